import { Button, Group, NumberInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cargoKeys, type PortSettings, savePortSettings } from '../api/cargo.ts';
import { isApiError } from '../api/client.ts';
import { useErrorText } from '../common/ErrorAlert.tsx';

interface PortSettingsFormProps {
  port: string;
  current: PortSettings;
}

/**
 * The port's daily inspection capacity and channel thresholds, for the user's organisation.
 * A native <details> keeps it out of the way and keyboard-operable.
 */
export function PortSettingsForm({ port, current }: PortSettingsFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [capacity, setCapacity] = useState<number | string>(current.capacity);
  const [red, setRed] = useState<number | string>(current.thresholds.red);
  const [amber, setAmber] = useState<number | string>(current.thresholds.amber);
  useEffect(() => {
    setCapacity(current.capacity);
    setRed(current.thresholds.red);
    setAmber(current.thresholds.amber);
  }, [current.capacity, current.thresholds.red, current.thresholds.amber]);

  const mutation = useMutation({
    mutationFn: (settings: PortSettings) => savePortSettings(port, settings),
    onSuccess: () => {
      notifications.show({ message: t('cargo.settings.saved'), color: 'green' });
      void queryClient.invalidateQueries({ queryKey: cargoKeys.all });
    },
    onError: (error) =>
      notifications.show({ title: t('errors.title'), message: errorText(error), color: 'red' }),
  });
  const fieldError = (path: string): string | undefined =>
    isApiError(mutation.error) ? mutation.error.detailFor(path) : undefined;

  return (
    <details data-testid="cargo-settings">
      <summary style={{ cursor: 'pointer' }}>
        <Text span size="sm">
          {t('cargo.settings.title')}
        </Text>
      </summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          mutation.mutate({
            capacity: Number(capacity),
            thresholds: { red: Number(red), amber: Number(amber) },
          });
        }}
      >
        <Group align="flex-start" gap="sm" mt="xs">
          <NumberInput
            label={t('cargo.settings.capacity')}
            value={capacity}
            onChange={setCapacity}
            min={0}
            max={100000}
            allowDecimal={false}
            required
            error={fieldError('capacity')}
            w={140}
            data-testid="cargo-settings-capacity"
          />
          <NumberInput
            label={t('cargo.settings.red')}
            value={red}
            onChange={setRed}
            required
            error={fieldError('thresholds.red')}
            w={140}
            data-testid="cargo-settings-red"
          />
          <NumberInput
            label={t('cargo.settings.amber')}
            value={amber}
            onChange={setAmber}
            required
            error={fieldError('thresholds.amber')}
            w={140}
            data-testid="cargo-settings-amber"
          />
          <Button
            type="submit"
            variant="default"
            mt={24}
            loading={mutation.isPending}
            data-testid="cargo-settings-save"
          >
            {t('cargo.settings.save')}
          </Button>
        </Group>
      </form>
    </details>
  );
}
