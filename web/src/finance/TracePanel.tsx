import {
  Alert,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { toBlob } from '@sigma/export-image';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  exportTrace,
  type TaintModel,
  type TraceDirection,
  type TraceExportFormat,
  type TraceInput,
  traceFunds,
} from '../api/finance.ts';
import { downloadBlob } from '../common/downloadBlob.ts';
import { ErrorAlert, useErrorText } from '../common/ErrorAlert.tsx';
import { formatAmount } from './format.ts';
import { TraceGraph, type TraceGraphHandle } from './TraceGraph.tsx';
import { TraceTables } from './TraceTables.tsx';
import { useCategoryLabel } from './useCategoryLabel.ts';

const MODELS: TaintModel[] = ['haircut', 'poison', 'fifo'];

/** File name stem of exports: the source shortened, the model and the direction. */
function fileStem(input: TraceInput): string {
  const from = input.from.replace(/[^0-9A-Za-z]+/g, '-').slice(0, 24);
  return `trace-${from}-${input.direction}-${input.hops}-${input.model}`;
}

/**
 * Trace funds from an address, a cluster or a transaction: the form, then the result as a graph with
 * the same nodes and edges in tables beside it, and the CSV, GraphML (from the server) and PNG exports.
 */
export function TracePanel({ from, accountChain = false }: { from: string; accountChain?: boolean }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const label = useCategoryLabel();
  const [direction, setDirection] = useState<TraceDirection>('forward');
  const [hops, setHops] = useState<number>(3);
  const [model, setModel] = useState<TaintModel>('haircut');
  const [token, setToken] = useState('');
  // Off by default: the change heuristic is a guess (see the address card's change links).
  const [includeChange, setIncludeChange] = useState(false);
  const [exporting, setExporting] = useState<TraceExportFormat | 'png' | null>(null);
  const graphRef = useRef<TraceGraphHandle>(null);
  const trace = useMutation({ mutationFn: (input: TraceInput) => traceFunds(input) });
  // Exports describe the trace on screen, not the form's current (possibly edited) settings.
  const [shown, setShown] = useState<TraceInput | null>(null);

  const run = (event: FormEvent): void => {
    event.preventDefault();
    const input: TraceInput = { from, direction, hops, model };
    if (accountChain && token.trim()) input.token = token.trim();
    if (!accountChain && includeChange) input.includeChange = true;
    setShown(input);
    trace.mutate(input);
  };

  const download = async (format: TraceExportFormat | 'png'): Promise<void> => {
    if (!shown) return;
    setExporting(format);
    try {
      if (format === 'png') {
        const sigma = graphRef.current?.sigma();
        if (!sigma) throw new Error('no graph');
        const blob = await toBlob(sigma, { format: 'png', backgroundColor: '#ffffff' });
        downloadBlob(blob, `${fileStem(shown)}.png`);
      } else {
        const blob = await exportTrace(shown, format);
        downloadBlob(blob, `${fileStem(shown)}.${format === 'csv' ? 'csv' : 'graphml'}`);
      }
    } catch (error) {
      notifications.show({ title: t('finance.trace.exportFailed'), message: errorText(error), color: 'red' });
    } finally {
      setExporting(null);
    }
  };

  const result = trace.data;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="finance-trace-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="finance-trace-heading">
          {t('finance.trace.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('finance.trace.source', { source: from })}
        </Text>
        <form onSubmit={run} aria-labelledby="finance-trace-heading">
          <Group align="flex-end" gap="md">
            <Stack gap={4}>
              <Text size="sm" fw={500} id="finance-trace-direction-label">
                {t('finance.trace.direction')}
              </Text>
              <SegmentedControl
                aria-labelledby="finance-trace-direction-label"
                value={direction}
                onChange={(v) => setDirection(v as TraceDirection)}
                data={[
                  { value: 'forward', label: t('finance.trace.forward') },
                  { value: 'backward', label: t('finance.trace.backward') },
                ]}
                data-testid="finance-trace-direction"
              />
            </Stack>
            <NumberInput
              label={t('finance.trace.hops')}
              min={1}
              max={6}
              step={1}
              clampBehavior="strict"
              allowDecimal={false}
              w={110}
              value={hops}
              onChange={(v) => setHops(typeof v === 'number' ? v : Number.parseInt(v, 10) || 1)}
              data-testid="finance-trace-hops"
            />
            <NativeSelect
              label={t('finance.trace.model')}
              value={model}
              onChange={(e) => setModel(e.currentTarget.value as TaintModel)}
              data={MODELS.map((m) => ({ value: m, label: t(`finance.trace.models.${m}`) }))}
              data-testid="finance-trace-model"
            />
            {accountChain && (
              <TextInput
                label={t('finance.trace.token')}
                description={t('finance.trace.tokenHelp')}
                value={token}
                onChange={(e) => setToken(e.currentTarget.value)}
                maxLength={100}
                w={200}
                data-testid="finance-trace-token"
              />
            )}
            <Button type="submit" loading={trace.isPending} data-testid="finance-trace-run">
              {t('finance.trace.run')}
            </Button>
          </Group>
          {!accountChain && (
            <Checkbox
              mt="sm"
              label={t('finance.trace.includeChange')}
              description={t('finance.trace.includeChangeHelp')}
              checked={includeChange}
              onChange={(e) => setIncludeChange(e.currentTarget.checked)}
              data-testid="finance-trace-include-change"
            />
          )}
        </form>
        <Text size="xs" c="dimmed">
          {t(`finance.trace.modelHelp.${model}`)}
        </Text>
        {trace.isError && <ErrorAlert error={trace.error} />}
        {result && shown && (
          <Stack gap="sm" data-testid="finance-trace-result" aria-busy={trace.isPending}>
            <Group justify="space-between" align="flex-start">
              <Text size="sm" role="status" data-testid="finance-trace-summary">
                {t('finance.trace.summary', {
                  nodes: result.nodes.length,
                  edges: result.edges.length,
                  hops: result.maxHops,
                  model: t(`finance.trace.models.${result.model}`),
                  direction: t(`finance.trace.${result.direction}`),
                  amount: formatAmount(result.sourceAmount, result.unit, i18n.language),
                })}
              </Text>
              <Group gap="xs" role="group" aria-label={t('finance.trace.exports')}>
                <Button
                  size="xs"
                  variant="default"
                  loading={exporting === 'csv'}
                  onClick={() => void download('csv')}
                  data-testid="finance-export-csv"
                >
                  {t('finance.trace.exportCsv')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  loading={exporting === 'graphml'}
                  onClick={() => void download('graphml')}
                  data-testid="finance-export-graphml"
                >
                  {t('finance.trace.exportGraphml')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  loading={exporting === 'png'}
                  onClick={() => void download('png')}
                  data-testid="finance-export-png"
                >
                  {t('finance.trace.exportPng')}
                </Button>
              </Group>
            </Group>
            {result.edges.some((e) => e.viaChange) && (
              <Text size="sm" c="dimmed" data-testid="finance-trace-via-change">
                {t('finance.trace.viaChange', { count: result.edges.filter((e) => e.viaChange).length })}
              </Text>
            )}
            {result.truncated && (
              <Alert color="yellow" data-testid="finance-trace-truncated">
                {t('finance.trace.truncated')}
              </Alert>
            )}
            {Object.keys(result.exposure).length > 0 && (
              <Text size="sm" data-testid="finance-trace-exposure">
                {t('finance.trace.exposure')}{' '}
                {Object.entries(result.exposure)
                  .map(([c, v]) => `${label(c)}: ${formatAmount(v, result.unit, i18n.language)}`)
                  .join(' · ')}
              </Text>
            )}
            <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
              <TraceGraph ref={graphRef} result={result} />
              <TraceTables result={result} />
            </SimpleGrid>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
