import { List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SecondOpinion } from '../api/cargo.ts';
import { useFormatNumber, useReasonLabel } from './useCargoText.ts';

/** Reasons shown with the model's probability (its largest shares of the log-odds). */
const TOP = 3;

/**
 * The model's probability of a find beside the rules' score, with the reasons that weigh most in
 * it. It advises only: the channel comes from the rules.
 */
export function SecondOpinionNote({ opinion }: { opinion: SecondOpinion | null | undefined }) {
  const { t } = useTranslation();
  const format = useFormatNumber();
  const reasonLabel = useReasonLabel();
  if (opinion == null) {
    return (
      <Text size="sm" c="dimmed" data-testid="cargo-second-opinion">
        {t('cargo.secondOpinion.notYet')}
      </Text>
    );
  }
  return (
    <div data-testid="cargo-second-opinion">
      <Text size="sm">
        {t('cargo.secondOpinion.value', {
          probability: format.percent(opinion.probability),
          n: opinion.trainedOn,
        })}
      </Text>
      {opinion.reasons.length > 0 && (
        <List size="xs" mt={4}>
          {opinion.reasons.slice(0, TOP).map((r) => (
            <List.Item key={r.code}>
              {t(r.logOdds > 0 ? 'cargo.secondOpinion.raises' : 'cargo.secondOpinion.lowers', {
                reason: reasonLabel(r),
              })}
            </List.Item>
          ))}
        </List>
      )}
      <Text size="xs" c="dimmed" mt={4}>
        {t('cargo.secondOpinion.caveat')}
      </Text>
    </div>
  );
}
