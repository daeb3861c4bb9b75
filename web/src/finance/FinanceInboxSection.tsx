import { Anchor, Badge, Group, Paper, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { financeKeys, listFinanceAlerts } from '../api/finance.ts';
import { hasPermission } from '../auth/permissions.ts';
import { useCurrentUser } from '../auth/useSession.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { FinanceAlertTable } from './FinanceAlertTable.tsx';
import { useFinanceAlertEvents } from './useFinanceAlertEvents.ts';

/** The inbox's financial alerts (flows of the organisation's watched addresses), beside the hits. */
export function FinanceInboxSection() {
  const user = useCurrentUser();
  // Ledger data and alerts are read with items:read; without it there is nothing to show.
  return hasPermission(user, 'items:read') ? <FinanceAlertsSection /> : null;
}

function FinanceAlertsSection() {
  const { t } = useTranslation();
  const alerts = useQuery({
    queryKey: financeKeys.alerts,
    queryFn: ({ signal }) => listFinanceAlerts(signal),
  });
  useFinanceAlertEvents();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="finance-alerts-heading" id="finance-alerts">
      <Group gap="xs" mb="sm" justify="space-between">
        <Group gap="xs">
          <Title order={2} size="h4" id="finance-alerts-heading">
            {t('finance.alerts.inboxTitle')}
          </Title>
          {alerts.data && (
            <Badge variant="light" aria-hidden>
              {alerts.data.length}
            </Badge>
          )}
        </Group>
        <Anchor component={Link} to="/finance/watches" size="sm">
          {t('finance.watches.manage')}
        </Anchor>
      </Group>
      {alerts.isPending && <LoadingState />}
      {alerts.isError && <ErrorAlert error={alerts.error} onRetry={() => void alerts.refetch()} />}
      {alerts.data && <FinanceAlertTable alerts={alerts.data} caption={t('finance.alerts.caption')} />}
    </Paper>
  );
}
