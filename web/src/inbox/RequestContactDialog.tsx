import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface RequestContactDialogProps {
  opened: boolean;
  loading: boolean;
  onSubmit: (justification: string) => void;
  onClose: () => void;
}

/** The searcher states why contact with the hidden owner is needed (shown to the owner, audited). */
export function RequestContactDialog({ opened, loading, onSubmit, onClose }: RequestContactDialogProps) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setTouched(true);
    if (value.trim()) onSubmit(value.trim());
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('hits.requestContactTitle')} centered>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">{t('hits.requestContactExplanation')}</Text>
          <Textarea
            label={t('hits.justification')}
            required
            autosize
            minRows={2}
            maxLength={500}
            data-autofocus
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            error={touched && !value.trim() ? t('justification.missing') : undefined}
            data-testid="request-contact-justification"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={loading} data-testid="request-contact-submit">
              {t('hits.sendRequest')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
