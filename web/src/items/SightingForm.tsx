import { Button, Group, Radio, Stack, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addSighting } from '../api/items.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { SIGHTING_KINDS, type SightingKind } from '../api/types.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';

interface SightingFormProps {
  itemId: string;
  justification?: string;
}

export function SightingForm({ itemId, justification }: SightingFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<SightingKind>('seen');
  const [note, setNote] = useState('');

  const mutation = useMutation({
    mutationFn: () =>
      addSighting(itemId, note.trim() ? { kind, note: note.trim() } : { kind }, justification),
    onSuccess: () => {
      setNote('');
      notifications.show({ message: t('sightings.added'), color: 'green' });
      void queryClient.invalidateQueries({ queryKey: queryKeys.item(itemId) });
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <form onSubmit={submit} aria-label={t('sightings.formLabel')}>
      <Stack gap="sm">
        <Radio.Group
          label={t('sightings.kind')}
          value={kind}
          onChange={(value) => setKind(value as SightingKind)}
          required
        >
          <Group gap="md" mt={4}>
            {SIGHTING_KINDS.map((value) => (
              <Radio key={value} value={value} label={t(`sightingKinds.${value}`)} />
            ))}
          </Group>
        </Radio.Group>
        <Textarea
          label={t('sightings.note')}
          autosize
          minRows={2}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        {mutation.isError && <ErrorAlert error={mutation.error} />}
        <Group>
          <Button type="submit" loading={mutation.isPending}>
            {t('sightings.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
