import { Box, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { categoryColour, formatAmount } from './format.ts';
import { categoryKey, useCategoryLabel } from './useCategoryLabel.ts';

interface ExposureBarsProps {
  /** Heading id of the chart, for the list's accessible name. */
  labelledBy: string;
  values: Record<string, number>;
  unit: string;
  testId: string;
}

/**
 * A horizontal bar per counterparty category, longest first. Plain elements: the bar is decoration
 * (aria-hidden); each row says its category and amount in text, so screen readers get the same facts.
 */
export function ExposureBars({ labelledBy, values, unit, testId }: ExposureBarsProps) {
  const { t, i18n } = useTranslation();
  const label = useCategoryLabel();
  const rows = Object.entries(values)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={`${testId}-empty`}>
        {t('finance.exposure.none')}
      </Text>
    );
  }
  const max = rows[0]![1];
  return (
    <Stack gap={6} component="ul" aria-labelledby={labelledBy} p={0} m={0} style={{ listStyle: 'none' }}>
      {rows.map(([category, value]) => (
        <Box component="li" key={category} data-testid={testId} data-category={categoryKey(category)}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm">{label(category)}</Text>
            <Text size="sm" c="dimmed">
              {formatAmount(value, unit, i18n.language)}
            </Text>
          </Group>
          <Box aria-hidden h={10} bg="gray.1" style={{ borderRadius: 4, overflow: 'hidden' }}>
            <Box
              h="100%"
              style={{
                width: `${Math.max(2, (value / max) * 100)}%`,
                background: categoryColour(category),
                borderRadius: 4,
              }}
            />
          </Box>
        </Box>
      ))}
    </Stack>
  );
}
