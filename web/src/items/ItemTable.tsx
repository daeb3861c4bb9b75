import { Anchor, Badge, Group } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ItemSummary } from '../api/types.ts';
import { type CoreFeatures, DataTable } from '../common/DataTable.tsx';
import { useFormatDate } from '../common/useFormatDate.ts';
import { KindBadge } from './KindBadge.tsx';
import { MarkingChip } from './MarkingChip.tsx';

const column = createColumnHelper<CoreFeatures, ItemSummary>();

interface ItemTableProps {
  items: ItemSummary[];
  caption: string;
  emptyText: string;
  /** `data-testid` of each row; `item-row` by default. */
  rowTestId?: string;
}

export function ItemTable({ items, caption, emptyText, rowTestId = 'item-row' }: ItemTableProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('marking', {
          header: () => t('items.columns.marking'),
          cell: (info) => <MarkingChip marking={info.getValue()} />,
        }),
        column.accessor('title', {
          header: () => t('items.columns.title'),
          cell: (info) => (
            <Group gap={6} wrap="nowrap">
              <Anchor component={Link} to={`/items/${encodeURIComponent(info.row.original.id)}`} fw={600}>
                {info.getValue()}
              </Anchor>
              {info.row.original.personalData && (
                <Badge
                  size="xs"
                  color="grape"
                  variant="outline"
                  tt="none"
                  styles={{ root: { maxWidth: 'none', flexShrink: 0 }, label: { overflow: 'visible' } }}
                >
                  {t('marking.personalData')}
                </Badge>
              )}
            </Group>
          ),
        }),
        column.accessor('kind', {
          header: () => t('items.columns.kind'),
          cell: (info) => <KindBadge kind={info.getValue()} />,
        }),
        column.accessor('ownerOrgName', { header: () => t('items.columns.organisation') }),
        column.accessor('authorName', { header: () => t('items.columns.author') }),
        column.accessor('observableCount', { header: () => t('items.columns.observables') }),
        column.accessor('createdAt', {
          header: () => t('items.columns.created'),
          cell: (info) => formatDate(info.getValue()),
        }),
      ]),
    [t, formatDate],
  );

  return (
    <DataTable
      data={items}
      columns={columns}
      getRowId={(item) => item.id}
      caption={caption}
      emptyText={emptyText}
      rowTestId={rowTestId}
      minWidth={860}
    />
  );
}
