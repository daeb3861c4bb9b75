import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Inspection } from '../api/cargo.ts';
import { useFormatDate } from '../common/useFormatDate.ts';

export function inspectorName(inspector: Inspection['inspector']): string {
  if (!inspector) return '';
  return typeof inspector === 'string' ? inspector : inspector.name;
}

/** The recorded result of the inspection, in words. */
export function InspectionSummary({ inspection }: { inspection: Inspection }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const seizure = inspection.outcome === 'seizure';
  return (
    <Alert
      color={seizure ? 'red' : 'gray'}
      title={seizure ? t('cargo.inspection.outcomes.seizure') : t('cargo.inspection.outcomes.nothing')}
      data-testid="cargo-inspection-result"
      data-outcome={inspection.outcome}
    >
      {seizure && (
        <Text size="sm">
          {t('cargo.inspection.seizureSummary', {
            kilograms: inspection.kilograms ?? '?',
            drug: inspection.drug ? t(`cargo.drugs.${inspection.drug}`) : '—',
            concealment: inspection.concealment ? t(`cargo.concealments.${inspection.concealment}`) : '—',
          })}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('cargo.inspection.recorded', {
          date: formatDate(inspection.inspectedAt),
          name: inspectorName(inspection.inspector) || '—',
        })}
      </Text>
    </Alert>
  );
}
