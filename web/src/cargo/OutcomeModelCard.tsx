import { Paper, Progress, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { cargoKeys, fetchOutcomeModel } from '../api/cargo.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { useFormatNumber, useReasonLabel } from './useCargoText.ts';

/**
 * What the second opinion learned from the organisation's inspections: how well it ranks
 * inspections it was not trained on (cross-validated AUC) and the weight it gives each reason.
 */
export function OutcomeModelCard() {
  const { t, i18n } = useTranslation();
  const format = useFormatNumber();
  const reasonLabel = useReasonLabel();
  const model = useQuery({ queryKey: cargoKeys.model, queryFn: ({ signal }) => fetchOutcomeModel(signal) });
  const number = (x: number, digits = 2) =>
    new Intl.NumberFormat(i18n.language, { maximumFractionDigits: digits, signDisplay: 'exceptZero' }).format(
      x,
    );
  const data = model.data;
  const largest = data?.available ? Math.max(0.01, ...data.weights.map((w) => Math.abs(w.weight))) : 1;
  return (
    <Paper
      withBorder
      p="sm"
      component="section"
      aria-labelledby="cargo-perf-model"
      data-testid="cargo-model"
      data-available={data === undefined ? undefined : String(data.available)}
      data-seizures={data?.available ? data.seizures : undefined}
    >
      <Title order={2} size="h5" id="cargo-perf-model" mb="xs">
        {t('cargo.secondOpinion.modelTitle')}
      </Title>
      {model.isError && <ErrorAlert error={model.error} onRetry={() => void model.refetch()} />}
      {data && !data.available && (
        <Text size="sm" c="dimmed">
          {t('cargo.secondOpinion.needs', {
            n: data.minimum.inspections,
            perOutcome: data.minimum.perOutcome,
          })}
        </Text>
      )}
      {data?.available && (
        <>
          <Text size="sm">
            {t('cargo.secondOpinion.learned', { n: data.trainedOn, seizures: data.seizures })}{' '}
            {data.auc !== null && t('cargo.secondOpinion.auc', { auc: number(data.auc, 3).replace('+', '') })}{' '}
            {t('cargo.secondOpinion.base', { probability: format.percent(data.baseProbability) })}
          </Text>
          <Text size="xs" c="dimmed" mb="xs">
            {t('cargo.secondOpinion.caveat')}
          </Text>
          <Table striped withTableBorder>
            <Table.Caption>{t('cargo.secondOpinion.weightsCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('cargo.secondOpinion.reason')}</Table.Th>
                <Table.Th scope="col">{t('cargo.secondOpinion.weight')}</Table.Th>
                <Table.Th scope="col">
                  <span aria-hidden>{t('cargo.secondOpinion.effect')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.weights.map((w) => (
                <Table.Tr key={w.code}>
                  <Table.Td>{reasonLabel(w)}</Table.Td>
                  <Table.Td ff="monospace">{number(w.weight)}</Table.Td>
                  <Table.Td w="30%">
                    <Progress
                      value={(100 * Math.abs(w.weight)) / largest}
                      color={w.weight >= 0 ? 'red' : 'teal'}
                      aria-hidden
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Paper>
  );
}
