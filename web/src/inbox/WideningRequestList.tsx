import { Anchor, Button, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { approveWidening, declineWidening } from '../api/inbox.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { WideningRequest } from '../api/types.ts';
import { DistributionSummary } from '../common/DistributionSummary.tsx';
import { useErrorText } from '../common/ErrorAlert.tsx';
import { useFormatDate } from '../common/useFormatDate.ts';

function WideningActions({ request }: { request: WideningRequest }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (decision: 'approve' | 'decline') =>
      decision === 'approve' ? approveWidening(request.id) : declineWidening(request.id),
    onSuccess: (_request, decision) => {
      notifications.show({ message: t(`widening.done.${decision}`), color: 'green' });
      void queryClient.invalidateQueries({ queryKey: queryKeys.inbox });
      void queryClient.invalidateQueries({ queryKey: queryKeys.items });
    },
    onError: (error) =>
      notifications.show({ title: t('errors.title'), message: errorText(error), color: 'red' }),
  });
  if (request.status && request.status !== 'pending') {
    return <Text size="sm">{request.status}</Text>;
  }
  const label = request.itemTitle ?? request.itemId;
  return (
    <Group gap="xs" wrap="nowrap">
      <Button
        size="xs"
        color="green"
        disabled={mutation.isPending}
        loading={mutation.isPending && mutation.variables === 'approve'}
        onClick={() => mutation.mutate('approve')}
        aria-label={t('widening.approveFor', { label })}
      >
        {t('widening.approve')}
      </Button>
      <Button
        size="xs"
        variant="default"
        disabled={mutation.isPending}
        loading={mutation.isPending && mutation.variables === 'decline'}
        onClick={() => mutation.mutate('decline')}
        aria-label={t('widening.declineFor', { label })}
      >
        {t('widening.decline')}
      </Button>
    </Group>
  );
}

export function WideningRequestList({ requests }: { requests: WideningRequest[] }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  if (requests.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('inbox.noWidening')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table fz="sm" verticalSpacing={6} highlightOnHover>
        <Table.Caption>{t('inbox.wideningCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('widening.item')}</Table.Th>
            <Table.Th scope="col">{t('widening.requester')}</Table.Th>
            <Table.Th scope="col">{t('widening.proposed')}</Table.Th>
            <Table.Th scope="col">{t('widening.reason')}</Table.Th>
            <Table.Th scope="col">{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.map((request) => (
            <Table.Tr key={request.id} data-testid="widening-row">
              <Table.Td>
                <Anchor component={Link} to={`/items/${encodeURIComponent(request.itemId)}`}>
                  {request.itemTitle ?? request.itemId}
                </Anchor>
                {request.createdAt && (
                  <Text size="xs" c="dimmed">
                    {formatDate(request.createdAt)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {request.requesterName ?? '—'}
                {request.requesterOrgName && (
                  <Text size="xs" c="dimmed">
                    {request.requesterOrgName}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {request.distribution ? <DistributionSummary distribution={request.distribution} /> : '—'}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{request.reason}</Table.Td>
              <Table.Td>
                <WideningActions request={request} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
