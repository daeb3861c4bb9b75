import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface TotpSecretDialogProps {
  username: string;
  secret: string | null;
  onClose: () => void;
}

/** The new user's TOTP secret, shown exactly once: the server does not reveal it again. */
export function TotpSecretDialog({ username, secret, onClose }: TotpSecretDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={secret !== null}
      onClose={onClose}
      title={t('admin.totpTitle')}
      centered
      closeOnClickOutside={false}
      size="lg"
    >
      <Stack>
        <Alert color="orange" variant="light">
          {t('admin.totpOnce')}
        </Alert>
        <Text size="sm">{t('admin.totpFor', { username })}</Text>
        <Code block fz="lg" data-testid="totp-secret" className="ps-mono">
          {secret}
        </Code>
        <Group justify="space-between">
          <CopyButton value={secret ?? ''}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose} data-autofocus>
            {t('admin.totpDone')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
