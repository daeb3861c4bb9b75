import { Button, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { findPaths } from '../api/finance.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { formatAmount, formatUnixTime } from './format.ts';

/** Shortest money paths (in time order) between two addresses or clusters. */
export function PathSearch({ from: initialFrom }: { from: string }) {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState('');
  const [hops, setHops] = useState(6);
  const search = useMutation({ mutationFn: () => findPaths(from.trim(), to.trim(), hops) });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (from.trim() && to.trim()) search.mutate();
  };

  const result = search.data;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="finance-paths-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="finance-paths-heading">
          {t('finance.paths.title')}
        </Title>
        <form onSubmit={submit} aria-labelledby="finance-paths-heading">
          <Group align="flex-end" gap="md">
            <TextInput
              label={t('finance.paths.from')}
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              required
              miw={280}
              data-testid="finance-paths-from"
            />
            <TextInput
              label={t('finance.paths.to')}
              description={t('finance.paths.toHelp')}
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              required
              miw={280}
              data-testid="finance-paths-to"
            />
            <NumberInput
              label={t('finance.trace.hops')}
              min={1}
              max={6}
              clampBehavior="strict"
              allowDecimal={false}
              w={110}
              value={hops}
              onChange={(v) => setHops(typeof v === 'number' ? v : Number.parseInt(v, 10) || 1)}
            />
            <Button type="submit" loading={search.isPending} data-testid="finance-paths-run">
              {t('finance.paths.run')}
            </Button>
          </Group>
        </form>
        {search.isError && <ErrorAlert error={search.error} />}
        {result && (
          <Stack gap="sm" data-testid="finance-paths-result">
            <Text size="sm" role="status">
              {result.hops === null
                ? t('finance.paths.none', { hops })
                : t('finance.paths.found', { paths: result.paths.length, hops: result.hops })}
              {result.truncated ? ` ${t('finance.trace.truncated')}` : ''}
            </Text>
            {result.paths.map((path, p) => (
              <Table.ScrollContainer minWidth={640} key={path.map((s) => s.txid).join('>')}>
                <Table fz="xs" verticalSpacing={2} data-testid="finance-path">
                  <Table.Caption>{t('finance.paths.pathCaption', { n: p + 1 })}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('finance.trace.from')}</Table.Th>
                      <Table.Th scope="col">{t('finance.trace.to')}</Table.Th>
                      <Table.Th scope="col">{t('finance.alerts.transaction')}</Table.Th>
                      <Table.Th scope="col">{t('finance.trace.time')}</Table.Th>
                      <Table.Th scope="col">{t('finance.trace.value')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {path.map((step) => (
                      <Table.Tr key={`${step.txid}>${step.to}`}>
                        <Table.Td className="ps-mono">{step.from}</Table.Td>
                        <Table.Td className="ps-mono">{step.to}</Table.Td>
                        <Table.Td className="ps-mono">{step.txid}</Table.Td>
                        <Table.Td>{formatUnixTime(step.time, i18n.language)}</Table.Td>
                        <Table.Td>{formatAmount(step.value, 'sat', i18n.language)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
