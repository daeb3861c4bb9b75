import { Box, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Marking } from '../api/types.ts';
import { markingLabel, TLP_BACKGROUND, TLP_COLOURS } from './marking.ts';

interface MarkingBannerProps {
  marking: Marking;
  personalData: boolean;
}

/** The handling banner across the top of an item, in TLP 2.0 colours. */
export function MarkingBanner({ marking, personalData }: MarkingBannerProps) {
  const { t } = useTranslation();
  const colour = TLP_COLOURS[marking.tlp];
  return (
    <Box
      role="note"
      aria-label={t('marking.bannerLabel')}
      py={6}
      px="md"
      style={{ background: TLP_BACKGROUND, color: colour, borderRadius: 4, textAlign: 'center' }}
      data-testid="marking-banner"
      data-tlp={marking.tlp}
    >
      <Text
        component="span"
        fw={800}
        ff="monospace"
        size="md"
        style={{ color: colour, letterSpacing: '0.04em' }}
      >
        {markingLabel(marking)}
      </Text>
      {personalData && (
        <Text component="span" fw={700} size="sm" ml="md" style={{ color: '#FFFFFF' }}>
          · {t('marking.personalData')}
        </Text>
      )}
    </Box>
  );
}
