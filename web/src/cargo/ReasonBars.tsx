import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CargoReason } from '../api/cargo.ts';
import { useFormatNumber, useReasonLabel } from './useCargoText.ts';

/**
 * Every reason with its contribution to the score as a horizontal bar, longest first. The bar is
 * decoration (aria-hidden): the number beside it carries the value.
 */
export function ReasonBars({ reasons }: { reasons: CargoReason[] }) {
  const { t } = useTranslation();
  const label = useReasonLabel();
  const format = useFormatNumber();
  const sorted = [...reasons].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const max = Math.max(1, ...sorted.map((r) => Math.abs(r.contribution)));
  if (sorted.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('cargo.detail.noReasons')}
      </Text>
    );
  }
  return (
    <ul aria-label={t('cargo.detail.reasons')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {sorted.map((reason) => (
        <li key={reason.code} data-testid="cargo-reason" data-code={reason.code} style={{ marginBottom: 8 }}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm" fw={500}>
              {label(reason)}
            </Text>
            <Text size="sm" ff="monospace" aria-label={t('cargo.detail.contribution')}>
              {reason.contribution > 0 ? '+' : ''}
              {format.score(reason.contribution)}
            </Text>
          </Group>
          <Box
            aria-hidden
            h={8}
            mt={2}
            style={{
              width: `${(Math.abs(reason.contribution) / max) * 100}%`,
              minWidth: 2,
              borderRadius: 2,
              background:
                reason.contribution >= 0 ? 'var(--mantine-color-red-6)' : 'var(--mantine-color-gray-5)',
            }}
          />
          {reason.detail && (
            <Text size="xs" c="dimmed" mt={2}>
              {reason.detail}
            </Text>
          )}
        </li>
      ))}
    </ul>
  );
}
