import { Anchor, Code, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { AuditRecord } from '../api/types.ts';
import { type CoreFeatures, DataTable } from '../common/DataTable.tsx';
import { useDirectory } from '../common/useDirectory.ts';
import { useFormatDate } from '../common/useFormatDate.ts';

const column = createColumnHelper<CoreFeatures, AuditRecord>();

function detailsText(details: unknown): string {
  if (details === undefined || details === null) return '';
  if (typeof details === 'string') return details;
  try {
    return JSON.stringify(details);
  } catch {
    return '';
  }
}

interface AuditTableProps {
  records: AuditRecord[];
  caption: string;
  /** Hide the item column (the item's own audit trail). */
  withItem?: boolean;
}

export function AuditTable({ records, caption, withItem = true }: AuditTableProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const directory = useDirectory();
  const users = directory.data?.users;

  const columns = useMemo(() => {
    const userName = (record: AuditRecord): string => {
      if (record.userName) return record.userName;
      const known = users?.find((u) => u.id === record.userId);
      return known?.displayName ?? record.userId ?? '—';
    };
    return column.columns([
      column.accessor('index', { header: () => t('audit.columns.index') }),
      column.accessor('timestamp', {
        header: () => t('audit.columns.time'),
        cell: (info) => formatDate(info.getValue()),
      }),
      column.accessor((record) => userName(record), { id: 'user', header: () => t('audit.columns.user') }),
      column.accessor('action', {
        header: () => t('audit.columns.action'),
        cell: (info) => <Code>{info.getValue()}</Code>,
      }),
      ...(withItem
        ? [
            column.accessor('itemId', {
              header: () => t('audit.columns.item'),
              cell: (info) => {
                const id = info.getValue();
                return id ? (
                  <Anchor
                    component={Link}
                    to={`/items/${encodeURIComponent(id)}`}
                    className="ps-mono"
                    size="xs"
                  >
                    {id}
                  </Anchor>
                ) : (
                  '—'
                );
              },
            }),
          ]
        : []),
      column.accessor((record) => detailsText(record.details), {
        id: 'details',
        header: () => t('audit.columns.details'),
        cell: (info) => (
          <Text size="xs" className="ps-mono" lineClamp={3}>
            {info.getValue()}
          </Text>
        ),
      }),
    ]);
  }, [t, formatDate, users, withItem]);

  return (
    <DataTable
      data={records}
      columns={columns}
      getRowId={(record) => String(record.index)}
      caption={caption}
      emptyText={t('audit.empty')}
      rowTestId="audit-row"
      minWidth={760}
    />
  );
}
