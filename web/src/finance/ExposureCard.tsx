import { Badge, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchExposure, financeKeys } from '../api/finance.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { ExposureBars } from './ExposureBars.tsx';
import { parseReason } from './format.ts';
import { useCategoryLabel } from './useCategoryLabel.ts';

interface ExposureCardProps {
  /** An address or `cluster:<id>`. */
  subject: string;
  unit: string;
}

function scoreColour(score: number): string {
  if (score >= 7) return 'red';
  if (score >= 4) return 'orange';
  if (score > 0) return 'yellow';
  return 'teal';
}

function useReasonText(): (reason: string) => string {
  const { t, i18n } = useTranslation();
  const label = useCategoryLabel();
  const percent = (p: string) =>
    new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(Number(p));
  return (reason) => {
    const r = parseReason(reason);
    if (!r) return reason; // an unknown form is shown as written
    if (r.kind === 'none') return t('finance.exposure.reasonNone', { hops: r.hops });
    if (r.kind === 'tagged')
      return t('finance.exposure.reasonTagged', { address: r.address, category: label(r.category) });
    const key = r.kind === 'sent' ? 'finance.exposure.reasonSent' : 'finance.exposure.reasonReceived';
    return t(key, { percent: percent(r.percent), category: label(r.category), hops: r.hops });
  };
}

/** Exposure score 0–10 with its reasons, and direct and indirect exposure per category as bars. */
export function ExposureCard({ subject, unit }: ExposureCardProps) {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const exposure = useQuery({
    queryKey: financeKeys.exposure(subject),
    queryFn: ({ signal }) => fetchExposure(subject, signal),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="finance-exposure-heading">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="finance-exposure-heading">
            {t('finance.exposure.title')}
          </Title>
          {exposure.data && (
            <Badge
              size="lg"
              color={scoreColour(exposure.data.score)}
              data-testid="finance-exposure-score"
              data-score={exposure.data.score}
            >
              {t('finance.exposure.score', { score: exposure.data.score })}
            </Badge>
          )}
        </Group>
        {exposure.isPending && <LoadingState />}
        {exposure.isError && <ErrorAlert error={exposure.error} onRetry={() => void exposure.refetch()} />}
        {exposure.data && (
          <>
            <div>
              <Text size="sm" fw={600} id="finance-exposure-reasons">
                {t('finance.exposure.reasons')}
              </Text>
              <List
                size="sm"
                aria-labelledby="finance-exposure-reasons"
                data-testid="finance-exposure-reasons"
              >
                {exposure.data.reasons.map((reason) => (
                  <List.Item key={reason}>{reasonText(reason)}</List.Item>
                ))}
              </List>
            </div>
            <Text size="xs" c="dimmed">
              {t('finance.exposure.method')}
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <div>
                <Text size="sm" fw={600} id="finance-exposure-forward" mb={4}>
                  {t('finance.exposure.forward')}
                </Text>
                <ExposureBars
                  labelledBy="finance-exposure-forward"
                  values={exposure.data.exposure.forward}
                  unit={unit}
                  testId="finance-exposure-forward"
                />
              </div>
              <div>
                <Text size="sm" fw={600} id="finance-exposure-backward" mb={4}>
                  {t('finance.exposure.backward')}
                </Text>
                <ExposureBars
                  labelledBy="finance-exposure-backward"
                  values={exposure.data.exposure.backward}
                  unit={unit}
                  testId="finance-exposure-backward"
                />
              </div>
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Paper>
  );
}
