import { Anchor, Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { deleteWatch, financeKeys, listFinanceAlerts, listWatches, type Watch } from '../api/finance.ts';
import { hasPermission } from '../auth/permissions.ts';
import { useCurrentUser } from '../auth/useSession.ts';
import { ErrorAlert, useErrorText } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { useFormatDate } from '../common/useFormatDate.ts';
import { PageTitle } from '../shell/PageTitle.tsx';
import { FinanceAlertTable } from './FinanceAlertTable.tsx';
import { useFinanceAlertEvents } from './useFinanceAlertEvents.ts';

function subjectOf(watch: Watch): string {
  return watch.address ?? `cluster:${watch.clusterId}`;
}

function WatchTable({ watches }: { watches: Watch[] }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const formatDate = useFormatDate();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const unwatch = useMutation({
    mutationFn: deleteWatch,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: financeKeys.watches }),
    onError: (error) =>
      notifications.show({ title: t('finance.watches.failed'), message: errorText(error), color: 'red' }),
  });
  const canWrite = hasPermission(user, 'items:write');
  if (watches.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('finance.watches.empty')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table fz="sm" verticalSpacing={6} highlightOnHover>
        <Table.Caption>{t('finance.watches.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('finance.watches.subject')}</Table.Th>
            <Table.Th scope="col">{t('finance.watches.note')}</Table.Th>
            <Table.Th scope="col">{t('finance.watches.since')}</Table.Th>
            <Table.Th scope="col">{t('finance.watches.sharing')}</Table.Th>
            {canWrite && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {watches.map((watch) => {
            const subject = subjectOf(watch);
            return (
              <Table.Tr key={watch.id} data-testid="finance-watch-row">
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/finance?q=${encodeURIComponent(subject)}`}
                    className="ps-mono"
                    size="sm"
                  >
                    {watch.address ?? t('finance.cluster.title', { id: watch.clusterId })}
                  </Anchor>
                </Table.Td>
                <Table.Td>{watch.note || '—'}</Table.Td>
                <Table.Td>{formatDate(watch.createdAt)}</Table.Td>
                <Table.Td>{watch.share ? `TLP:${watch.share.tlp}` : '—'}</Table.Td>
                {canWrite && (
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="default"
                      loading={unwatch.isPending && unwatch.variables === watch.id}
                      onClick={() => unwatch.mutate(watch.id)}
                      aria-label={t('finance.watches.unwatchSubject', { subject })}
                    >
                      {t('finance.watches.unwatch')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The organisation's watched addresses and clusters, and the alerts they raised. */
export default function WatchesPage() {
  const { t } = useTranslation();
  const watches = useQuery({ queryKey: financeKeys.watches, queryFn: ({ signal }) => listWatches(signal) });
  const alerts = useQuery({
    queryKey: financeKeys.alerts,
    queryFn: ({ signal }) => listFinanceAlerts(signal),
  });
  useFinanceAlertEvents();
  return (
    <Stack gap="md">
      <PageTitle>{t('finance.watches.title')}</PageTitle>
      <Anchor component={Link} to="/finance" size="sm">
        {t('finance.watches.back')}
      </Anchor>
      <Paper withBorder p="md" component="section" aria-labelledby="finance-watches-heading">
        <Title order={2} size="h4" id="finance-watches-heading" mb="sm">
          {t('finance.watches.listTitle')}
        </Title>
        {watches.isPending && <LoadingState />}
        {watches.isError && <ErrorAlert error={watches.error} onRetry={() => void watches.refetch()} />}
        {watches.data && <WatchTable watches={watches.data} />}
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="finance-watch-alerts-heading">
        <Title order={2} size="h4" id="finance-watch-alerts-heading" mb="sm">
          {t('finance.alerts.title')}
        </Title>
        {alerts.isPending && <LoadingState />}
        {alerts.isError && <ErrorAlert error={alerts.error} onRetry={() => void alerts.refetch()} />}
        {alerts.data && <FinanceAlertTable alerts={alerts.data} caption={t('finance.alerts.caption')} />}
      </Paper>
    </Stack>
  );
}
