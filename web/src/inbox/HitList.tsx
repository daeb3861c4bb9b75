import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Hit } from '../api/types.ts';
import { useFormatDate } from '../common/useFormatDate.ts';
import { HitActions } from './HitActions.tsx';
import { HitStatusBadge } from './HitStatusBadge.tsx';

interface HitListProps {
  hits: Hit[];
  /** Normalised observable value to highlight (from a restricted correlation's link). */
  highlight?: string | null;
}

export function HitList({ hits, highlight }: HitListProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  if (hits.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('inbox.noHits')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table fz="sm" verticalSpacing={6} highlightOnHover>
        <Table.Caption>{t('inbox.hitsCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('hits.observable')}</Table.Th>
            <Table.Th scope="col">{t('hits.item')}</Table.Th>
            <Table.Th scope="col">{t('hits.requester')}</Table.Th>
            <Table.Th scope="col">{t('hits.status')}</Table.Th>
            <Table.Th scope="col">{t('hits.date')}</Table.Th>
            <Table.Th scope="col">{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {hits.map((hit) => (
            <Table.Tr
              key={hit.id}
              data-testid="hit-row"
              data-status={hit.status}
              bg={highlight && hit.normalized === highlight ? 'yellow.0' : undefined}
            >
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {t(`observableTypes.${hit.observableType}`)}
                </Text>
                <Text size="sm" className="ps-mono">
                  {hit.normalized}
                </Text>
              </Table.Td>
              <Table.Td>
                {hit.itemId ? (
                  <Anchor component={Link} to={`/items/${encodeURIComponent(hit.itemId)}`}>
                    {hit.itemTitle ?? hit.itemId}
                  </Anchor>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('hits.hiddenItem')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {hit.requesterName}
                <Text size="xs" c="dimmed">
                  {hit.requesterOrgName}
                </Text>
              </Table.Td>
              <Table.Td>
                <HitStatusBadge status={hit.status} />
              </Table.Td>
              <Table.Td>{formatDate(hit.createdAt)}</Table.Td>
              <Table.Td>
                <HitActions hit={hit} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
