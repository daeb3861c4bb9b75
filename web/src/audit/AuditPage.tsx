import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { listAudit } from '../api/audit.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { AuditQuery } from '../api/types.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { PageTitle } from '../shell/PageTitle.tsx';
import { AuditFilters, type AuditFilterValues } from './AuditFilters.tsx';
import { AuditTable } from './AuditTable.tsx';
import { TreeHeadCard } from './TreeHeadCard.tsx';

export default function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const filters: AuditFilterValues = {
    userId: params.get('userId') ?? '',
    itemId: params.get('itemId') ?? '',
    action: params.get('action') ?? '',
  };
  const query: AuditQuery = { ...filters, page };
  const largestPage = useRef(0);

  const result = useQuery({
    queryKey: queryKeys.auditList(query),
    queryFn: ({ signal }) => listAudit(query, signal),
    placeholderData: keepPreviousData,
  });

  const update = (next: AuditFilterValues, nextPage = 1): void => {
    const search = new URLSearchParams();
    if (next.userId) search.set('userId', next.userId);
    if (next.itemId) search.set('itemId', next.itemId);
    if (next.action) search.set('action', next.action);
    if (nextPage > 1) search.set('page', String(nextPage));
    setParams(search);
  };

  const records = result.data?.records ?? [];
  largestPage.current = Math.max(largestPage.current, records.length);
  const pageSize = result.data?.pageSize ?? largestPage.current;
  const total = result.data?.total ?? 0;
  const hasNext = pageSize > 0 && page * pageSize < total;

  return (
    <Stack gap="md">
      <PageTitle>{t('audit.title')}</PageTitle>
      <TreeHeadCard />
      <Paper withBorder p="sm">
        <AuditFilters value={filters} onChange={(next) => update(next)} />
      </Paper>
      {result.isError && <ErrorAlert error={result.error} onRetry={() => void result.refetch()} />}
      {result.isPending ? (
        <LoadingState />
      ) : (
        result.data && (
          <Paper withBorder p="xs" aria-busy={result.isFetching}>
            <Text size="sm" c="dimmed" px="xs" role="status" aria-live="polite">
              {t('audit.total', { count: total })}
            </Text>
            <AuditTable records={records} caption={t('audit.tableCaption')} />
            <Group justify="center" gap="xs" pt="sm">
              <Button
                variant="default"
                size="xs"
                disabled={page <= 1}
                onClick={() => update(filters, page - 1)}
              >
                {t('pagination.previous')}
              </Button>
              <Text size="sm">{t('pagination.page', { page })}</Text>
              <Button
                variant="default"
                size="xs"
                disabled={!hasNext}
                onClick={() => update(filters, page + 1)}
              >
                {t('pagination.next')}
              </Button>
            </Group>
          </Paper>
        )
      )}
    </Stack>
  );
}
