import { Anchor, Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { FinanceAlert } from '../api/finance.ts';
import { useFormatDate } from '../common/useFormatDate.ts';
import { formatAlertAmount, shortId } from './format.ts';

interface FinanceAlertTableProps {
  alerts: FinanceAlert[];
  caption: string;
}

/** Flows of watched addresses and clusters, newest first. */
export function FinanceAlertTable({ alerts, caption }: FinanceAlertTableProps) {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  if (alerts.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="finance-alerts-empty">
        {t('finance.alerts.empty')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table fz="sm" verticalSpacing={6} highlightOnHover>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('finance.alerts.direction')}</Table.Th>
            <Table.Th scope="col">{t('finance.alerts.address')}</Table.Th>
            <Table.Th scope="col">{t('finance.alerts.amount')}</Table.Th>
            <Table.Th scope="col">{t('finance.alerts.transaction')}</Table.Th>
            <Table.Th scope="col">{t('finance.alerts.height')}</Table.Th>
            <Table.Th scope="col">{t('finance.alerts.date')}</Table.Th>
            <Table.Th scope="col">{t('finance.alerts.item')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {alerts.map((alert) => (
            <Table.Tr key={alert.id} data-testid="finance-alert-row" data-direction={alert.direction}>
              <Table.Td>
                <Badge color={alert.direction === 'inbound' ? 'teal' : 'orange'} variant="light">
                  {t(`finance.alerts.${alert.direction}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/finance?q=${encodeURIComponent(alert.address)}`}
                  className="ps-mono"
                  size="sm"
                >
                  {alert.address}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {t(`finance.chains.${alert.chain}`)}
                </Text>
              </Table.Td>
              <Table.Td>{formatAlertAmount(alert.amount, alert.chain, i18n.language)}</Table.Td>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/finance?q=${encodeURIComponent(alert.txid)}`}
                  className="ps-mono"
                  size="sm"
                  title={alert.txid}
                  aria-label={t('finance.alerts.traceTransaction', { txid: alert.txid })}
                >
                  {shortId(alert.txid, 8)}
                </Anchor>
              </Table.Td>
              <Table.Td>{alert.height}</Table.Td>
              <Table.Td>{formatDate(alert.createdAt)}</Table.Td>
              <Table.Td>
                {alert.itemId ? (
                  <Anchor component={Link} to={`/items/${encodeURIComponent(alert.itemId)}`} size="sm">
                    {t('finance.alerts.openItem')}
                  </Anchor>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
