import { Anchor, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { fetchFinanceAddress, financeKeys } from '../api/finance.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { PageTitle } from '../shell/PageTitle.tsx';
import { AddressCard } from './AddressCard.tsx';
import { ClusterDetails } from './ClusterDetails.tsx';
import { ExposureCard } from './ExposureCard.tsx';
import { parseSubject, type Subject } from './format.ts';
import { PathSearch } from './PathSearch.tsx';
import { TracePanel } from './TracePanel.tsx';
import { useFinanceAlertEvents } from './useFinanceAlertEvents.ts';
import { WatchButton } from './WatchButton.tsx';

function AddressView({ address }: { address: string }) {
  const { t } = useTranslation();
  const result = useQuery({
    queryKey: financeKeys.address(address),
    queryFn: ({ signal }) => fetchFinanceAddress(address, signal),
  });
  if (result.isPending) return <LoadingState />;
  if (result.isError) {
    return (
      <ErrorAlert
        error={result.error}
        title={t('finance.address.unavailable')}
        onRetry={() => void result.refetch()}
      />
    );
  }
  const data = result.data;
  return (
    <Stack gap="md">
      <AddressCard address={data} />
      <ExposureCard subject={data.address} unit={data.chain === 'btc' ? 'sat' : ''} />
      <TracePanel key={data.address} from={data.address} accountChain={data.chain !== 'btc'} />
      <PathSearch key={`paths-${data.address}`} from={data.address} />
    </Stack>
  );
}

function ClusterView({ clusterId, subject }: { clusterId: number; subject: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Paper withBorder p="md" component="section" aria-labelledby="finance-cluster-heading">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4" id="finance-cluster-heading">
              {t('finance.cluster.title', { id: clusterId })}
            </Title>
            <Text size="sm" c="dimmed">
              {t('finance.cluster.help')}
            </Text>
          </div>
          <WatchButton target={{ clusterId }} />
        </Group>
      </Paper>
      <ClusterDetails clusterId={clusterId} />
      <ExposureCard subject={subject} unit="sat" />
      <TracePanel key={subject} from={subject} />
      <PathSearch key={`paths-${subject}`} from={subject} />
    </Stack>
  );
}

function SubjectView({ subject }: { subject: Subject }) {
  if (subject.kind === 'address') return <AddressView address={subject.value} />;
  if (subject.kind === 'cluster')
    return <ClusterView clusterId={subject.clusterId} subject={subject.value} />;
  return <TracePanel key={subject.value} from={subject.value} />;
}

/**
 * Financial flows: look up an address (BTC, ETH, TRON), a cluster or a transaction; see its tags,
 * exposure and flows; trace it; watch it. The subject lives in the URL (`?q=`), so views can be linked.
 */
export default function FinancePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  useFinanceAlertEvents();
  const subject = parseSubject(q);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const next = parseSubject(text);
    setParams(next ? { q: next.value } : {});
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <PageTitle>{t('finance.title')}</PageTitle>
        <Group gap="md">
          <Anchor component={Link} to="/finance/tbml" data-testid="finance-tbml-link">
            {t('finance.tbml.link')}
          </Anchor>
          <Anchor component={Link} to="/finance/watches" data-testid="finance-watches-link">
            {t('finance.watches.title')}
          </Anchor>
        </Group>
      </Group>
      <Paper withBorder p="sm">
        <search aria-label={t('finance.search.label')}>
          <form onSubmit={submit}>
            <Group align="flex-end" gap="xs">
              <TextInput
                label={t('finance.search.label')}
                description={t('finance.search.help')}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                style={{ flex: 1 }}
                spellCheck={false}
                autoComplete="off"
                data-testid="finance-search-input"
              />
              <Button type="submit" data-testid="finance-search-submit">
                {t('finance.search.submit')}
              </Button>
            </Group>
          </form>
        </search>
      </Paper>
      {subject ? (
        <SubjectView key={subject.value} subject={subject} />
      ) : (
        <Text size="sm" c="dimmed">
          {t('finance.search.empty')}
        </Text>
      )}
    </Stack>
  );
}
