import { Group, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchTreeHead } from '../api/audit.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { useFormatDate } from '../common/useFormatDate.ts';

function Field({ label, value, mono = false }: { label: string; value: string; mono?: boolean }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0} className={mono ? 'ps-mono' : undefined}>
        {value}
      </Text>
    </div>
  );
}

/** The latest signed tree head of the append-only audit log (Merkle tree). */
export function TreeHeadCard() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const head = useQuery({ queryKey: queryKeys.auditHead, queryFn: ({ signal }) => fetchTreeHead(signal) });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="tree-head-heading" data-testid="tree-head">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="tree-head-heading">
          {t('audit.treeHead')}
        </Title>
      </Group>
      {head.isPending && <LoadingState />}
      {head.isError && <ErrorAlert error={head.error} onRetry={() => void head.refetch()} />}
      {head.data && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs" component="dl" m={0}>
          <Field label={t('audit.treeSize')} value={String(head.data.treeSize)} />
          <Field label={t('audit.signedAt')} value={formatDate(head.data.timestamp)} />
          <Field label={t('audit.rootHash')} value={head.data.rootHash} mono />
          <Field label={t('audit.publicKey')} value={head.data.publicKey} mono />
          <Field label={t('audit.signature')} value={head.data.signature} mono />
        </SimpleGrid>
      )}
    </Paper>
  );
}
