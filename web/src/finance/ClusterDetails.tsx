import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fetchCluster, financeKeys } from '../api/finance.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { useFormatDate } from '../common/useFormatDate.ts';
import { TagTable } from './AddressCard.tsx';

const PAGE = 50;

/** A cluster's size, first and last activity, the tags visible to the user, and its addresses page by page. */
export function ClusterDetails({ clusterId }: { clusterId: number }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const [offset, setOffset] = useState(0);
  const result = useQuery({
    queryKey: [...financeKeys.all, 'cluster', clusterId, offset],
    queryFn: ({ signal }) => fetchCluster(clusterId, offset, signal),
    placeholderData: keepPreviousData,
  });
  if (result.isPending) return <LoadingState />;
  if (result.isError) return <ErrorAlert error={result.error} onRetry={() => void result.refetch()} />;
  const c = result.data;
  const seen = (s: { time: string | null; height: number | null }) =>
    s.time === null
      ? t('finance.cluster.never')
      : s.height === null
        ? formatDate(s.time)
        : `${formatDate(s.time)} · ${t('finance.cluster.height', { height: s.height })}`;
  const last = offset + c.members.addresses.length;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="finance-cluster-details-heading">
      <Stack gap="sm">
        <Title order={3} size="h5" id="finance-cluster-details-heading">
          {t('finance.cluster.details')}
        </Title>
        <Text size="sm" data-testid="finance-cluster-summary">
          {t('finance.cluster.summary', { size: c.size, first: seen(c.firstSeen), last: seen(c.lastSeen) })}
        </Text>
        <TagTable tags={c.tags} caption={t('finance.tags.caption')} />
        <Table.ScrollContainer minWidth={420}>
          <Table fz="sm" verticalSpacing={4} data-testid="finance-cluster-members">
            <Table.Caption>
              {t('finance.cluster.membersCaption', {
                from: c.size === 0 ? 0 : offset + 1,
                to: last,
                total: c.size,
              })}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('finance.cluster.members')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.members.addresses.map((m) => (
                <Table.Tr key={m.address}>
                  <Table.Td ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                    <Link to={`/finance?q=${encodeURIComponent(m.address)}`}>{m.address}</Link>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {c.size > PAGE && (
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              {t('finance.cluster.previous')}
            </Button>
            <Button
              size="xs"
              variant="default"
              disabled={last >= c.size}
              onClick={() => setOffset(offset + PAGE)}
            >
              {t('finance.cluster.next')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
