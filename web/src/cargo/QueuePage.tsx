import { Group, Paper, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { cargoKeys, fetchQueue } from '../api/cargo.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { PageTitle } from '../shell/PageTitle.tsx';
import { DeclarationPanel } from './DeclarationPanel.tsx';
import { PortSettingsForm } from './PortSettingsForm.tsx';
import { portName } from './ports.ts';
import { DateField, FilterBar, PortSelect } from './QueueFilters.tsx';
import { QueueTable } from './QueueTable.tsx';
import { useCargoParams } from './useCargoParams.ts';
import { localDate, useFormatNumber } from './useCargoText.ts';

/** Today's ranked containers of one port, with their reasons; a row opens the detail panel. */
export default function QueuePage() {
  const { t } = useTranslation();
  const format = useFormatNumber();
  const today = useMemo(() => localDate(), []);
  const { port, get, update, params } = useCargoParams({ date: today });
  const date = get('date');
  const selectedId = params.get('selected');

  const queue = useQuery({
    queryKey: cargoKeys.queue(port, date),
    queryFn: ({ signal }) => fetchQueue(port, date, signal),
    placeholderData: keepPreviousData,
  });

  const select = useCallback((id: string) => update({ selected: id }), [update]);
  const entries = queue.data?.entries ?? [];
  const selected = entries.find((e) => e.id === selectedId) ?? null;
  const counts = { red: 0, amber: 0, green: 0 };
  for (const e of entries) counts[e.channel] += 1;

  return (
    <Stack gap="md">
      <PageTitle>{t('cargo.queue.title')}</PageTitle>
      <Paper withBorder p="sm">
        <FilterBar>
          <PortSelect value={port} onChange={(p) => update({ port: p, selected: '' })} testId="cargo-port" />
          <DateField
            label={t('cargo.filters.date')}
            value={date}
            onChange={(d) => update({ date: d, selected: '' })}
            testId="cargo-date"
          />
        </FilterBar>
      </Paper>
      {queue.isError && <ErrorAlert error={queue.error} onRetry={() => void queue.refetch()} />}
      {queue.isPending ? (
        <LoadingState />
      ) : (
        queue.data && (
          <Paper withBorder p="xs" aria-busy={queue.isFetching} data-testid="cargo-queue-panel">
            <Group justify="space-between" px="xs" pb="xs">
              <Text size="sm" role="status" aria-live="polite" data-testid="cargo-queue-summary">
                {t('cargo.queue.summary', {
                  count: entries.length,
                  port: portName(queue.data.port),
                  red: counts.red,
                  amber: counts.amber,
                  green: counts.green,
                })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('cargo.queue.settings', {
                  capacity: format.count(queue.data.capacity),
                  red: queue.data.thresholds.red,
                  amber: queue.data.thresholds.amber,
                })}
              </Text>
            </Group>
            <Paper px="xs" pb="xs">
              <PortSettingsForm
                port={queue.data.port}
                current={{ capacity: queue.data.capacity, thresholds: queue.data.thresholds }}
              />
            </Paper>
            <QueueTable
              entries={entries}
              selectedId={selected?.id ?? null}
              onSelect={select}
              caption={t('cargo.queue.caption', { port: portName(port), date })}
            />
          </Paper>
        )
      )}
      {selected && <DeclarationPanel entry={selected} port={port} onClose={() => update({ selected: '' })} />}
    </Stack>
  );
}
