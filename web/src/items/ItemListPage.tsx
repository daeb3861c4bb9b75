import { Group, Pagination, Paper, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { listItems } from '../api/items.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { ITEM_KINDS, type ItemKind, type ItemQuery, TLP_LEVELS, type Tlp } from '../api/types.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { PageTitle } from '../shell/PageTitle.tsx';
import { ItemFilters, type ItemFilterValues } from './ItemFilters.tsx';
import { ItemTable } from './ItemTable.tsx';

const PAGE_SIZE = 25;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | '' {
  return value && (values as readonly string[]).includes(value) ? (value as T) : '';
}

/** The filters live in the URL, so a search can be bookmarked and shared. */
function readFilters(params: URLSearchParams): ItemFilterValues & { page: number } {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    q: params.get('q') ?? '',
    kind: oneOf<ItemKind>(ITEM_KINDS, params.get('kind')),
    tlp: oneOf<Tlp>(TLP_LEVELS, params.get('tlp')),
    observable: params.get('observable') ?? '',
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

export function ItemListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const query: ItemQuery = { ...filters, pageSize: PAGE_SIZE };

  const result = useQuery({
    queryKey: queryKeys.itemList(query),
    queryFn: ({ signal }) => listItems(query, signal),
    placeholderData: keepPreviousData,
  });

  const update = (next: ItemFilterValues & { page?: number }): void => {
    const search = new URLSearchParams();
    if (next.q) search.set('q', next.q);
    if (next.kind) search.set('kind', next.kind);
    if (next.tlp) search.set('tlp', next.tlp);
    if (next.observable) search.set('observable', next.observable);
    if (next.page && next.page > 1) search.set('page', String(next.page));
    setParams(search);
  };

  const total = result.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / (result.data?.pageSize ?? PAGE_SIZE)));

  return (
    <Stack gap="md">
      <PageTitle>{t('items.title')}</PageTitle>
      <Paper withBorder p="sm">
        <ItemFilters value={filters} onChange={(next) => update({ ...next, page: 1 })} />
      </Paper>
      {result.isError && <ErrorAlert error={result.error} onRetry={() => void result.refetch()} />}
      {result.isPending ? (
        <LoadingState />
      ) : (
        result.data && (
          <Paper withBorder p="xs" aria-busy={result.isFetching}>
            <Text size="sm" c="dimmed" px="xs" role="status" aria-live="polite" data-testid="item-count">
              {result.data.totalCapped
                ? t('items.resultCountCapped', { count: total })
                : t('items.resultCount', { count: total })}
            </Text>
            <ItemTable
              items={result.data.items}
              caption={t('items.tableCaption')}
              emptyText={t('items.empty')}
            />
            {pages > 1 && (
              <Group justify="center" pt="sm">
                <Pagination
                  total={pages}
                  value={filters.page}
                  onChange={(page) => update({ ...filters, page })}
                  getControlProps={(control) => ({
                    'aria-label':
                      control === 'next'
                        ? t('pagination.next')
                        : control === 'previous'
                          ? t('pagination.previous')
                          : control === 'first'
                            ? t('pagination.first')
                            : t('pagination.last'),
                  })}
                  getItemProps={(page) => ({ 'aria-label': t('pagination.page', { page }) })}
                />
              </Group>
            )}
          </Paper>
        )
      )}
    </Stack>
  );
}
