import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

const CODE_KEYS: Record<string, string> = {
  NETWORK_ERROR: 'errors.network',
  NOT_FOUND: 'errors.notFound',
  FORBIDDEN: 'errors.forbidden',
  CSRF_FAILED: 'errors.csrf',
  RATE_LIMITED: 'errors.rateLimited',
  MARKING_VIOLATION: 'errors.markingViolation',
  VALIDATION_FAILED: 'errors.validation',
  PAYLOAD_TOO_LARGE: 'errors.payloadTooLarge',
  CONFLICT: 'errors.conflict',
};

/** The translated, user-facing summary of an error. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    if (error instanceof ApiError) {
      const key = CODE_KEYS[error.code];
      return key ? t(key) : error.message || t('errors.generic');
    }
    return t('errors.generic');
  };
}

interface ErrorAlertProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

export function ErrorAlert({ error, title, onRetry }: ErrorAlertProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const serverMessage = error instanceof ApiError && error.message ? error.message : null;
  const summary = errorText(error);
  return (
    <Alert color="red" title={title ?? t('errors.title')} role="alert">
      <Stack gap="xs">
        <Text size="sm">{summary}</Text>
        {serverMessage && serverMessage !== summary && (
          <Text size="xs" c="dimmed">
            {serverMessage}
          </Text>
        )}
        {onRetry && (
          <div>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          </div>
        )}
      </Stack>
    </Alert>
  );
}
