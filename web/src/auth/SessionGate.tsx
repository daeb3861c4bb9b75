import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguageFromLocale } from '../i18n/index.ts';
import { AppRoutes } from '../shell/AppRoutes.tsx';
import { LoginPage } from './LoginPage.tsx';
import { CurrentUserContext, useSessionQuery } from './useSession.ts';

/** Shows the login screen until a session exists, then the application. */
export function SessionGate() {
  const { t } = useTranslation();
  const session = useSessionQuery();
  const userId = session.data?.user.id;
  const locale = session.data?.user.locale;

  // The initial language follows the user's locale; the header switcher can change it afterwards.
  useEffect(() => {
    if (userId) void setLanguageFromLocale(locale);
  }, [userId, locale]);

  if (session.isPending) {
    return (
      <Center h="100vh" role="status" aria-live="polite">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh" p="md">
        <Stack maw={480}>
          <Alert color="red" title={t('errors.serverUnavailable')} role="alert">
            {session.error.message}
          </Alert>
          <Button onClick={() => void session.refetch()}>{t('common.retry')}</Button>
        </Stack>
      </Center>
    );
  }
  if (!session.data) return <LoginPage />;
  return (
    <CurrentUserContext value={session.data.user}>
      <AppRoutes />
    </CurrentUserContext>
  );
}
