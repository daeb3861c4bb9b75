import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface JustificationDialogProps {
  opened: boolean;
  onSubmit: (justification: string) => void;
  onCancel: () => void;
}

/** Asks for the legal basis or case number before personal data is opened (audited server-side). */
export function JustificationDialog({ opened, onSubmit, onCancel }: JustificationDialogProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const trimmed = value.trim();

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setTouched(true);
    if (trimmed) onSubmit(trimmed);
  };

  return (
    <Modal opened={opened} onClose={onCancel} title={t('justification.title')} centered size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">{t('justification.explanation')}</Text>
          <Textarea
            label={t('justification.label')}
            description={t('justification.hint')}
            required
            autosize
            minRows={2}
            maxLength={500}
            data-autofocus
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            error={touched && !trimmed ? t('justification.missing') : undefined}
            data-testid="justification-input"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" data-testid="justification-submit">
              {t('justification.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
