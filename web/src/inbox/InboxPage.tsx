import { Badge, Group, Paper, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useSearchParams } from 'react-router-dom';
import { fetchInbox } from '../api/inbox.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { FinanceInboxSection } from '../finance/FinanceInboxSection.tsx';
import { ItemTable } from '../items/ItemTable.tsx';
import { PageTitle } from '../shell/PageTitle.tsx';
import { HitList } from './HitList.tsx';
import { WideningRequestList } from './WideningRequestList.tsx';

interface SectionProps {
  id: string;
  title: string;
  count: number;
  children: ReactNode;
}

function InboxSection({ id, title, count, children }: SectionProps) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${id}-heading`} id={id}>
      <Group gap="xs" mb="sm">
        <Title order={2} size="h4" id={`${id}-heading`}>
          {title}
        </Title>
        <Badge variant="light" aria-hidden>
          {count}
        </Badge>
      </Group>
      {children}
    </Paper>
  );
}

export function InboxPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const location = useLocation();
  const highlight = params.get('observable');
  const inbox = useQuery({ queryKey: queryKeys.inbox, queryFn: ({ signal }) => fetchInbox(signal) });

  // Arriving from a restricted correlation (`#hits`): bring the hits into view.
  useEffect(() => {
    if (inbox.isSuccess && location.hash === '#hits') {
      document.getElementById('hits')?.scrollIntoView({ block: 'start' });
    }
  }, [inbox.isSuccess, location.hash]);

  return (
    <Stack gap="md">
      <PageTitle>{t('inbox.title')}</PageTitle>
      {inbox.isPending && <LoadingState />}
      {inbox.isError && <ErrorAlert error={inbox.error} onRetry={() => void inbox.refetch()} />}
      {inbox.data && (
        <>
          <InboxSection id="alerts" title={t('inbox.alerts')} count={inbox.data.alerts.length}>
            <ItemTable
              items={inbox.data.alerts}
              caption={t('inbox.alerts')}
              emptyText={t('inbox.noAlerts')}
              rowTestId="inbox-alert-row"
            />
          </InboxSection>
          <InboxSection id="requests" title={t('inbox.requests')} count={inbox.data.requests.length}>
            <ItemTable
              items={inbox.data.requests}
              caption={t('inbox.requests')}
              emptyText={t('inbox.noRequests')}
              rowTestId="inbox-request-row"
            />
          </InboxSection>
          <InboxSection id="hits" title={t('inbox.hits')} count={inbox.data.hits.length}>
            <HitList hits={inbox.data.hits} highlight={highlight} />
          </InboxSection>
          <FinanceInboxSection />
          <InboxSection id="widening" title={t('inbox.widening')} count={inbox.data.wideningRequests.length}>
            <WideningRequestList requests={inbox.data.wideningRequests} />
          </InboxSection>
        </>
      )}
    </Stack>
  );
}
