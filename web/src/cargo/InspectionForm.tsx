import { Button, Group, NativeSelect, NumberInput, Radio, Stack, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONCEALMENTS,
  type Concealment,
  cargoKeys,
  DRUGS,
  type Drug,
  type InspectionInput,
  type InspectionOutcome,
  recordInspection,
} from '../api/cargo.ts';
import { isApiError } from '../api/client.ts';
import { useErrorText } from '../common/ErrorAlert.tsx';

/** Records the result of the physical inspection: nothing found, or a seizure and how it was hidden. */
export function InspectionForm({ declarationId }: { declarationId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [outcome, setOutcome] = useState<InspectionOutcome>('nothing');
  const [drug, setDrug] = useState<Drug>('cocaine');
  const [kilograms, setKilograms] = useState<number | string>('');
  const [concealment, setConcealment] = useState<Concealment>('rip-on-rip-off');
  const [notes, setNotes] = useState('');
  const [kgError, setKgError] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: (input: InspectionInput) => recordInspection(declarationId, input),
    onSuccess: () => {
      notifications.show({ message: t('cargo.inspection.done'), color: 'green' });
      void queryClient.invalidateQueries({ queryKey: cargoKeys.all });
    },
    onError: (error) => {
      if (isApiError(error)) setKgError(error.detailFor('kilograms') ?? null);
      notifications.show({ title: t('errors.title'), message: errorText(error), color: 'red' });
    },
  });

  const submit = (): void => {
    if (outcome === 'nothing') {
      mutation.mutate({ outcome, ...(notes.trim() ? { notes: notes.trim() } : {}) });
      return;
    }
    const kg = typeof kilograms === 'number' ? kilograms : Number.parseFloat(kilograms);
    if (!Number.isFinite(kg) || kg <= 0) {
      setKgError(t('cargo.inspection.kilogramsRequired'));
      return;
    }
    setKgError(null);
    mutation.mutate({
      outcome,
      drug,
      kilograms: kg,
      concealment,
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    });
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      aria-label={t('cargo.inspection.title')}
    >
      <Stack gap="xs">
        <Radio.Group
          label={t('cargo.inspection.outcome')}
          value={outcome}
          onChange={(value) => setOutcome(value as InspectionOutcome)}
        >
          <Group gap="md" mt={4}>
            <Radio
              value="nothing"
              label={t('cargo.inspection.outcomes.nothing')}
              data-testid="cargo-outcome-nothing"
            />
            <Radio
              value="seizure"
              label={t('cargo.inspection.outcomes.seizure')}
              data-testid="cargo-outcome-seizure"
            />
          </Group>
        </Radio.Group>
        {outcome === 'seizure' && (
          <Group grow align="flex-start" gap="xs">
            <NativeSelect
              label={t('cargo.inspection.drug')}
              value={drug}
              onChange={(e) => setDrug(e.currentTarget.value as Drug)}
              data={DRUGS.map((d) => ({ value: d, label: t(`cargo.drugs.${d}`) }))}
              data-testid="cargo-drug"
            />
            <NumberInput
              label={t('cargo.inspection.kilograms')}
              value={kilograms}
              onChange={setKilograms}
              min={0.001}
              max={100000}
              decimalScale={3}
              error={kgError}
              required
              data-testid="cargo-kilograms"
            />
            <NativeSelect
              label={t('cargo.inspection.concealment')}
              value={concealment}
              onChange={(e) => setConcealment(e.currentTarget.value as Concealment)}
              data={CONCEALMENTS.map((c) => ({ value: c, label: t(`cargo.concealments.${c}`) }))}
              data-testid="cargo-concealment"
            />
          </Group>
        )}
        <Textarea
          label={t('cargo.inspection.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          autosize
          minRows={1}
          maxRows={4}
          maxLength={2000}
          data-testid="cargo-inspection-notes"
        />
        <div>
          <Button type="submit" loading={mutation.isPending} data-testid="cargo-inspection-submit">
            {t('cargo.inspection.submit')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
