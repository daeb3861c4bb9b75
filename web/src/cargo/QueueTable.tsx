import { Badge, Text, UnstyledButton } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueEntry } from '../api/cargo.ts';
import { type CoreFeatures, DataTable } from '../common/DataTable.tsx';
import { ChannelBadge } from './ChannelBadge.tsx';
import { useFormatNumber, useReasonLabel } from './useCargoText.ts';

interface QueueTableProps {
  entries: QueueEntry[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  caption: string;
}

const TOP_REASONS = 2;
const column = createColumnHelper<CoreFeatures, QueueEntry>();

/** The ranked queue: dense, one container per row; the container number opens its details. */
export function QueueTable({ entries, selectedId, onSelect, caption }: QueueTableProps) {
  const { t } = useTranslation();
  const reasonLabel = useReasonLabel();
  const format = useFormatNumber();

  const columns = useMemo(
    () =>
      column.columns([
        column.display({ id: 'rank', header: t('cargo.columns.rank'), cell: ({ row }) => row.original.rank }),
        column.display({
          id: 'container',
          header: t('cargo.columns.container'),
          cell: ({ row }) => {
            const selected = row.original.id === selectedId;
            return (
              <UnstyledButton
                onClick={() => onSelect(row.original.id)}
                aria-expanded={selected}
                aria-label={t('cargo.queue.open', { container: row.original.container })}
                data-testid="cargo-open"
                className="ps-cargo-open"
                style={{
                  fontFamily: 'var(--mantine-font-family-monospace)',
                  fontWeight: 600,
                  textDecoration: 'underline',
                }}
              >
                {row.original.container}
              </UnstyledButton>
            );
          },
        }),
        column.display({
          id: 'channel',
          header: t('cargo.columns.channel'),
          cell: ({ row }) => <ChannelBadge channel={row.original.channel} short />,
        }),
        column.display({
          id: 'score',
          header: t('cargo.columns.score'),
          cell: ({ row }) => (
            <Text ff="monospace" size="sm">
              {format.score(row.original.score)}
            </Text>
          ),
        }),
        column.display({
          id: 'secondOpinion',
          header: t('cargo.columns.secondOpinion'),
          cell: ({ row }) => (
            <Text ff="monospace" size="sm" title={t('cargo.secondOpinion.columnHint')}>
              {row.original.secondOpinion === null ? '—' : format.percent(row.original.secondOpinion)}
            </Text>
          ),
        }),
        column.display({
          id: 'reasons',
          header: t('cargo.columns.reasons'),
          cell: ({ row }) => {
            const top = [...row.original.reasons]
              .sort((a, b) => b.contribution - a.contribution)
              .slice(0, TOP_REASONS);
            return (
              <Text size="xs" data-testid="cargo-top-reasons">
                {top.map((r) => reasonLabel(r)).join(' · ')}
                {row.original.reasons.length > TOP_REASONS &&
                  ` (+${row.original.reasons.length - TOP_REASONS})`}
              </Text>
            );
          },
        }),
        column.display({
          id: 'consignee',
          header: t('cargo.columns.consignee'),
          cell: ({ row }) => <Text size="xs">{row.original.consignee}</Text>,
        }),
        column.display({
          id: 'hs',
          header: t('cargo.columns.hs'),
          cell: ({ row }) => (
            <Text size="xs" ff="monospace">
              {row.original.hs}
            </Text>
          ),
        }),
        column.display({
          id: 'route',
          header: t('cargo.columns.route'),
          cell: ({ row }) => (
            <Text size="xs" ff="monospace">
              {row.original.route.join(' → ')}
            </Text>
          ),
        }),
        column.display({
          id: 'assignee',
          header: t('cargo.columns.assignee'),
          cell: ({ row }) => <Text size="xs">{row.original.assignee?.name ?? '—'}</Text>,
        }),
        column.display({
          id: 'inspection',
          header: t('cargo.columns.inspection'),
          cell: ({ row }) => {
            const inspection = row.original.inspection;
            if (!inspection)
              return (
                <Text size="xs" c="dimmed">
                  {t('cargo.inspection.status.pending')}
                </Text>
              );
            return inspection.outcome === 'seizure' ? (
              <Badge
                color="red"
                variant="light"
                size="sm"
                tt="none"
                style={{ minWidth: 'max-content' }}
                data-testid="cargo-status-seizure"
              >
                {t('cargo.inspection.status.seizure')}
              </Badge>
            ) : (
              <Badge color="gray" variant="light" size="sm" tt="none" style={{ minWidth: 'max-content' }}>
                {t('cargo.inspection.status.nothing')}
              </Badge>
            );
          },
        }),
      ]),
    [t, selectedId, onSelect, reasonLabel, format],
  );

  return (
    <DataTable
      data={entries}
      columns={columns}
      getRowId={(row) => row.id}
      caption={caption}
      emptyText={t('cargo.queue.empty')}
      rowTestId="cargo-queue-row"
      minWidth={1000}
      tableProps={{
        striped: false,
        verticalSpacing: 4,
        horizontalSpacing: 'xs',
        'data-testid': 'cargo-queue',
      }}
      rowProps={(row) => ({
        'data-container': row.container,
        'data-channel': row.channel,
        'data-selected': row.id === selectedId || undefined,
        bg: row.id === selectedId ? 'var(--mantine-color-indigo-0)' : undefined,
      })}
    />
  );
}
