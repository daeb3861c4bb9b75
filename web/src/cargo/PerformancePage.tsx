import { Paper, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { cargoKeys, fetchPerformance, type Performance } from '../api/cargo.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { PageTitle } from '../shell/PageTitle.tsx';
import { OutcomeModelCard } from './OutcomeModelCard.tsx';
import { portName } from './ports.ts';
import { DateField, FilterBar, PortSelect } from './QueueFilters.tsx';
import { TrendChart } from './TrendChart.tsx';
import { useCargoParams } from './useCargoParams.ts';
import { addDays, localDate, useFormatNumber, useReasonLabel } from './useCargoText.ts';

/** Default window: the last twelve weeks up to today. */
const DEFAULT_DAYS = 83;

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={650} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

/** Selections, inspections, seizures, hit rate and lift per rule and overall, with weekly trends. */
export default function PerformancePage() {
  const { t, i18n } = useTranslation();
  const format = useFormatNumber();
  const formatWeek = useCallback(
    (week: string) =>
      new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
        new Date(`${week}T00:00:00Z`),
      ),
    [i18n.language],
  );
  const reasonLabel = useReasonLabel();
  const today = useMemo(() => localDate(), []);
  const { port, get, update } = useCargoParams({ from: addDays(today, -DEFAULT_DAYS), to: today });
  const from = get('from');
  const to = get('to');
  const query = { port, from, to };

  const result = useQuery({
    queryKey: cargoKeys.performance(query),
    queryFn: ({ signal }) => fetchPerformance(query, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="md">
      <PageTitle>{t('cargo.performance.title')}</PageTitle>
      <Paper withBorder p="sm">
        <FilterBar>
          <PortSelect value={port} onChange={(p) => update({ port: p })} testId="cargo-perf-port" />
          <DateField
            label={t('cargo.filters.from')}
            value={from}
            onChange={(d) => update({ from: d })}
            testId="cargo-perf-from"
          />
          <DateField
            label={t('cargo.filters.to')}
            value={to}
            onChange={(d) => update({ to: d })}
            testId="cargo-perf-to"
          />
        </FilterBar>
      </Paper>
      {result.isError && <ErrorAlert error={result.error} onRetry={() => void result.refetch()} />}
      {result.isPending ? (
        <LoadingState />
      ) : (
        result.data && (
          <PerformanceView
            data={result.data}
            busy={result.isFetching}
            caption={t('cargo.performance.caption', { port: portName(port), from, to })}
            format={format}
            formatWeek={formatWeek}
            reasonLabel={reasonLabel}
          />
        )
      )}
      <OutcomeModelCard />
    </Stack>
  );
}

interface ViewProps {
  data: Performance;
  busy: boolean;
  caption: string;
  format: ReturnType<typeof useFormatNumber>;
  formatWeek: (week: string) => string;
  reasonLabel: ReturnType<typeof useReasonLabel>;
}

function PerformanceView({ data, busy, caption, format, formatWeek, reasonLabel }: ViewProps) {
  const { t } = useTranslation();
  const { overall, rules, weekly } = data;
  const weeks = weekly.map((w) => formatWeek(w.week));
  const hitRates = weekly.map((w) => (w.inspections > 0 ? w.seizures / w.inspections : null));
  const rulesSorted = [...rules].sort((a, b) => b.seizures - a.seizures || b.selections - a.selections);

  return (
    <Stack gap="md" aria-busy={busy} data-testid="cargo-performance">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {(
          [
            ['declarations', format.count(overall.declarations), 'declarations'],
            ['selections', format.count(overall.selections), 'selections'],
            ['inspections', format.count(overall.inspections), 'inspections'],
            ['seizures', format.count(overall.seizures), 'seizures'],
            ['hitRate', format.percent(overall.hitRate), 'hit-rate'],
            ['randomHitRate', format.percent(overall.randomHitRate), 'random-hit-rate'],
            ['lift', format.ratio(overall.lift), 'lift'],
            ['precisionAtCapacity', format.percent(overall.precisionAtCapacity), 'precision'],
          ] as const
        ).map(([key, value, id]) => (
          <Stat key={key} label={t(`cargo.performance.${key}`)} value={value} testId={`cargo-perf-${id}`} />
        ))}
      </SimpleGrid>

      <Paper withBorder p="sm" component="section" aria-labelledby="cargo-perf-rules">
        <Title order={2} size="h4" id="cargo-perf-rules" mb="xs">
          {t('cargo.performance.perRule')}
        </Title>
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing={4} fz="sm" data-testid="cargo-rules-table">
            <Table.Caption>
              <VisuallyHidden>{caption}</VisuallyHidden>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('cargo.performance.rule')}</Table.Th>
                <Table.Th scope="col">{t('cargo.performance.selections')}</Table.Th>
                <Table.Th scope="col">{t('cargo.performance.inspections')}</Table.Th>
                <Table.Th scope="col">{t('cargo.performance.seizures')}</Table.Th>
                <Table.Th scope="col">{t('cargo.performance.hitRate')}</Table.Th>
                <Table.Th scope="col">{t('cargo.performance.lift')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rulesSorted.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text size="sm" c="dimmed">
                      {t('cargo.performance.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                rulesSorted.map((rule) => (
                  <Table.Tr key={rule.code} data-testid="cargo-rule-row" data-code={rule.code}>
                    <Table.Th scope="row" fw={500}>
                      {reasonLabel(rule)}
                      <Text size="xs" c="dimmed" ff="monospace">
                        {rule.code}
                      </Text>
                    </Table.Th>
                    <Table.Td>{format.count(rule.selections)}</Table.Td>
                    <Table.Td>{format.count(rule.inspections)}</Table.Td>
                    <Table.Td data-testid="cargo-rule-seizures">{format.count(rule.seizures)}</Table.Td>
                    <Table.Td>{format.percent(rule.hitRate)}</Table.Td>
                    <Table.Td>{format.ratio(rule.lift)}</Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="cargo-perf-trends">
        <Title order={2} size="h4" id="cargo-perf-trends" mb="xs">
          {t('cargo.performance.trends')}
        </Title>
        {weekly.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('cargo.performance.empty')}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <TrendChart
              title={t('cargo.performance.volumeChart')}
              labels={weeks}
              kind="bar"
              series={[
                {
                  key: 'selections',
                  label: t('cargo.performance.selections'),
                  colour: 'var(--mantine-color-indigo-4)',
                },
                {
                  key: 'inspections',
                  label: t('cargo.performance.inspections'),
                  colour: 'var(--mantine-color-orange-5)',
                },
                {
                  key: 'seizures',
                  label: t('cargo.performance.seizures'),
                  colour: 'var(--mantine-color-red-8)',
                },
              ]}
              values={{
                selections: weekly.map((w) => w.selections),
                inspections: weekly.map((w) => w.inspections),
                seizures: weekly.map((w) => w.seizures),
              }}
              formatValue={format.count}
              testId="cargo-chart-volume"
            />
            <TrendChart
              title={t('cargo.performance.hitRateChart')}
              labels={weeks}
              kind="line"
              series={[
                {
                  key: 'hitRate',
                  label: t('cargo.performance.hitRate'),
                  colour: 'var(--mantine-color-red-7)',
                },
              ]}
              values={{ hitRate: hitRates }}
              formatValue={(v) => format.percent(v)}
              testId="cargo-chart-hit-rate"
            />
          </SimpleGrid>
        )}
        {weekly.length > 0 && (
          <Table.ScrollContainer minWidth={480} mt="sm">
            <Table verticalSpacing={2} fz="xs" data-testid="cargo-weekly-table">
              <Table.Caption>{t('cargo.performance.weeklyCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('cargo.performance.week')}</Table.Th>
                  <Table.Th scope="col">{t('cargo.performance.selections')}</Table.Th>
                  <Table.Th scope="col">{t('cargo.performance.inspections')}</Table.Th>
                  <Table.Th scope="col">{t('cargo.performance.seizures')}</Table.Th>
                  <Table.Th scope="col">{t('cargo.performance.hitRate')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {weekly.map((w, i) => (
                  <Table.Tr key={w.week}>
                    <Table.Th scope="row" fw={400}>
                      {weeks[i]}
                    </Table.Th>
                    <Table.Td>{format.count(w.selections)}</Table.Td>
                    <Table.Td>{format.count(w.inspections)}</Table.Td>
                    <Table.Td>{format.count(w.seizures)}</Table.Td>
                    <Table.Td>{format.percent(hitRates[i])}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </Stack>
  );
}
