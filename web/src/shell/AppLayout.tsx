import { AppShell, Center, Divider, Loader, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router-dom';
import { useCurrentUser } from '../auth/useSession.ts';
import { AppHeader } from './AppHeader.tsx';
import { LogoutButton } from './LogoutButton.tsx';
import { MainNav } from './MainNav.tsx';
import { useLiveEvents } from './useLiveEvents.ts';

export function AppLayout() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [opened, { toggle, close }] = useDisclosure(false);
  useLiveEvents();

  return (
    <>
      <a className="ps-skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <AppShell
        header={{ height: 64 }}
        navbar={{ width: 210, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header component="header">
          <AppHeader navOpened={opened} onToggleNav={toggle} />
        </AppShell.Header>
        <AppShell.Navbar p="xs" id="main-navigation">
          <MainNav onNavigate={close} />
          <Stack gap="xs" hiddenFrom="sm" mt="md">
            <Divider />
            <div>
              <Text size="sm" fw={600}>
                {user.displayName}
              </Text>
              <Text size="xs" c="dimmed">
                {user.orgName} · {user.orgCountry}
              </Text>
            </div>
            <LogoutButton />
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main id="main" component="main" bg="gray.0">
          <Suspense
            fallback={
              <Center py="xl" role="status">
                <Loader aria-label={t('common.loading')} />
              </Center>
            }
          >
            <Outlet />
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </>
  );
}
