import {
  Alert,
  Box,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { login } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { LoginInput, Session } from '../api/types.ts';
import { LanguageSwitcher } from '../shell/LanguageSwitcher.tsx';

/** Maps a login failure to a message that never tells whether the account exists. */
function loginErrorKey(error: Error): string {
  if (!(error instanceof ApiError)) return 'errors.generic';
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      return 'login.invalidCredentials';
    case 'LOCKED':
      return 'login.locked';
    case 'RATE_LIMITED':
      return 'errors.rateLimited';
    case 'NETWORK_ERROR':
      return 'errors.network';
    default:
      return 'errors.generic';
  }
}

export function LoginPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [mfaRequired, setMfaRequired] = useState(false);
  const [errorKey, setErrorKey] = useState<string | null>(null);
  const totpRef = useRef<HTMLInputElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t('login.title')} · PortShield`;
  }, [t]);

  useEffect(() => {
    if (mfaRequired) totpRef.current?.focus();
  }, [mfaRequired]);

  const mutation = useMutation<Session, Error, LoginInput>({
    mutationFn: login,
    onSuccess: (session) => {
      setErrorKey(null);
      queryClient.setQueryData(queryKeys.session, session);
      if (location.pathname === '/login' || location.pathname === '/') navigate('/inbox', { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'MFA_REQUIRED') {
        setErrorKey(mfaRequired ? 'login.totpRequired' : null);
        setMfaRequired(true);
        return;
      }
      setErrorKey(loginErrorKey(error));
      if (mfaRequired) {
        setTotp('');
        totpRef.current?.focus();
      } else {
        usernameRef.current?.focus();
      }
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const input: LoginInput = { username: username.trim(), password };
    if (mfaRequired && totp.trim()) input.totp = totp.replace(/\s+/g, '');
    mutation.mutate(input);
  };

  return (
    <Box component="main" id="main" mih="100vh" bg="gray.1">
      <Group justify="flex-end" p="sm">
        <LanguageSwitcher />
      </Group>
      <Center px="md" pb="xl">
        <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
          <form onSubmit={onSubmit} noValidate aria-labelledby="login-heading">
            <Stack gap="md">
              <div>
                <Text fw={700} c="indigo.8" size="lg">
                  PortShield
                </Text>
                <Title order={1} id="login-heading" size="h2">
                  {t('login.title')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('login.notice')}
                </Text>
              </div>
              {errorKey && (
                <Alert color="red" role="alert" title={t('login.failed')}>
                  {t(errorKey)}
                </Alert>
              )}
              <TextInput
                ref={usernameRef}
                label={t('login.username')}
                autoComplete="username"
                required
                autoFocus
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
                data-testid="login-username"
              />
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                data-testid="login-password"
              />
              {mfaRequired && (
                <TextInput
                  ref={totpRef}
                  label={t('login.totp')}
                  description={t('login.totpHint')}
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  required
                  value={totp}
                  onChange={(e) => setTotp(e.currentTarget.value)}
                  data-testid="login-totp"
                />
              )}
              <Button type="submit" loading={mutation.isPending} data-testid="login-submit" fullWidth>
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}
