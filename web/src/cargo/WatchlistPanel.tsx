import {
  ActionIcon,
  Button,
  Grid,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addWatchlistEntry,
  cargoKeys,
  deleteWatchlistEntry,
  fetchWatchlists,
  importFtm,
  type StoredWatchlistEntry,
  type WatchlistEntryInput,
} from '../api/cargo.ts';
import { isApiError } from '../api/client.ts';
import { ErrorAlert, useErrorText } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';

const KINDS = ['party', 'container', 'vessel', 'phone'] as const;
type Kind = (typeof KINDS)[number];

function entryValue({ entry }: StoredWatchlistEntry): string {
  return entry.kind === 'party' ? entry.names.join(' · ') : entry.value;
}

/** Watchlists of parties, containers, vessels and phones: list, add, delete, FtM import. */
export function WatchlistPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const list = useQuery({ queryKey: cargoKeys.watchlists, queryFn: ({ signal }) => fetchWatchlists(signal) });
  const refresh = (): void => void queryClient.invalidateQueries({ queryKey: cargoKeys.watchlists });

  const [kind, setKind] = useState<Kind>('party');
  const [id, setId] = useState('');
  const [source, setSource] = useState('');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [ftmText, setFtmText] = useState('');
  const [ftmList, setFtmList] = useState('');

  const add = useMutation({
    mutationFn: (entry: WatchlistEntryInput) => addWatchlistEntry(entry),
    onSuccess: () => {
      notifications.show({ message: t('cargo.watchlists.added'), color: 'green' });
      setId('');
      setValue('');
      setReason('');
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (entryId: string) => deleteWatchlistEntry(entryId),
    onSuccess: () => {
      notifications.show({ message: t('cargo.watchlists.deleted'), color: 'green' });
      refresh();
    },
    onError: (error) =>
      notifications.show({ title: t('errors.title'), message: errorText(error), color: 'red' }),
  });
  const ftm = useMutation({
    mutationFn: () => importFtm(ftmText, ftmList.trim()),
    onSuccess: (result) => {
      notifications.show({
        message: t('cargo.watchlists.imported', { count: result.imported }),
        color: 'green',
      });
      setFtmText('');
      refresh();
    },
  });

  const fieldError = (path: string): string | undefined =>
    isApiError(add.error) ? add.error.detailFor(path) : undefined;

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const base = {
      id: id.trim(),
      source: source.trim(),
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    };
    const entry: WatchlistEntryInput =
      kind === 'party'
        ? {
            ...base,
            kind,
            names: value
              .split(/[;\n]/)
              .map((n) => n.trim())
              .filter(Boolean),
          }
        : { ...base, kind, value: value.trim() };
    add.mutate(entry);
  };

  const entries = list.data?.entries ?? [];

  return (
    <Stack gap="md">
      <Paper withBorder p="sm" component="section" aria-labelledby="cargo-wl-add">
        <Title order={2} size="h5" id="cargo-wl-add" mb="xs">
          {t('cargo.watchlists.add')}
        </Title>
        <form onSubmit={submit}>
          <Grid gap="sm" align="flex-end">
            <Grid.Col span={{ base: 12, md: 2 }}>
              <NativeSelect
                label={t('cargo.watchlists.kind')}
                value={kind}
                onChange={(e) => setKind(e.currentTarget.value as Kind)}
                data={KINDS.map((k) => ({ value: k, label: t(`cargo.watchlists.kinds.${k}`) }))}
                data-testid="cargo-wl-kind"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 2 }}>
              <TextInput
                label={t('cargo.watchlists.id')}
                required
                value={id}
                onChange={(e) => setId(e.currentTarget.value)}
                error={fieldError('id')}
                data-testid="cargo-wl-id"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 3 }}>
              <TextInput
                label={kind === 'party' ? t('cargo.watchlists.names') : t('cargo.watchlists.value')}
                description={kind === 'party' ? t('cargo.watchlists.namesHelp') : undefined}
                required
                value={value}
                onChange={(e) => setValue(e.currentTarget.value)}
                error={fieldError(kind === 'party' ? 'names' : 'value')}
                data-testid="cargo-wl-value"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 2 }}>
              <TextInput
                label={t('cargo.watchlists.source')}
                required
                value={source}
                onChange={(e) => setSource(e.currentTarget.value)}
                error={fieldError('source')}
                data-testid="cargo-wl-source"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 'auto' }}>
              <TextInput
                label={t('cargo.watchlists.reason')}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                data-testid="cargo-wl-reason"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 'content' }}>
              <Button type="submit" loading={add.isPending} data-testid="cargo-wl-submit">
                {t('cargo.watchlists.addButton')}
              </Button>
            </Grid.Col>
          </Grid>
        </form>
        {add.isError && !fieldError('id') && !fieldError('value') && !fieldError('names') && (
          <ErrorAlert error={add.error} />
        )}
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="cargo-wl-entries">
        <Title order={2} size="h5" id="cargo-wl-entries" mb="xs">
          {t('cargo.watchlists.entries', { count: list.data?.total ?? 0 })}
        </Title>
        {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
        {list.isPending ? (
          <LoadingState />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped fz="sm" verticalSpacing={4} data-testid="cargo-wl-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('cargo.watchlists.kind')}</Table.Th>
                  <Table.Th scope="col">{t('cargo.watchlists.value')}</Table.Th>
                  <Table.Th scope="col">{t('cargo.watchlists.source')}</Table.Th>
                  <Table.Th scope="col">{t('cargo.watchlists.reason')}</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('cargo.watchlists.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text size="sm" c="dimmed">
                        {t('cargo.watchlists.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  entries.map((entry) => (
                    <Table.Tr key={entry.id} data-testid="cargo-wl-row">
                      <Table.Td>{t(`cargo.watchlists.kinds.${entry.entry.kind}`)}</Table.Td>
                      <Table.Td>{entryValue(entry)}</Table.Td>
                      <Table.Td>{entry.list}</Table.Td>
                      <Table.Td>{entry.entry.reason ?? '—'}</Table.Td>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => remove.mutate(entry.id)}
                          loading={remove.isPending && remove.variables === entry.id}
                          aria-label={t('cargo.watchlists.delete', { value: entryValue(entry) })}
                        >
                          <span aria-hidden>×</span>
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="cargo-wl-ftm">
        <Title order={2} size="h5" id="cargo-wl-ftm" mb="xs">
          {t('cargo.watchlists.ftmTitle')}
        </Title>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            ftm.mutate();
          }}
        >
          <Stack gap="xs">
            <TextInput
              label={t('cargo.watchlists.ftmList')}
              required
              value={ftmList}
              onChange={(e) => setFtmList(e.currentTarget.value)}
              data-testid="cargo-ftm-list"
            />
            <Textarea
              label={t('cargo.watchlists.ftmText')}
              description={t('cargo.watchlists.ftmHelp')}
              required
              value={ftmText}
              onChange={(e) => setFtmText(e.currentTarget.value)}
              autosize
              minRows={4}
              maxRows={12}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
              data-testid="cargo-ftm-text"
            />
            <div>
              <Button type="submit" variant="default" loading={ftm.isPending} data-testid="cargo-ftm-submit">
                {t('cargo.watchlists.ftmSubmit')}
              </Button>
            </div>
            {ftm.isError && <ErrorAlert error={ftm.error} />}
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
