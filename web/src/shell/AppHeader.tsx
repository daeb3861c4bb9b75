import { Box, Burger, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../auth/useSession.ts';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { LogoutButton } from './LogoutButton.tsx';

interface AppHeaderProps {
  navOpened: boolean;
  onToggleNav: () => void;
}

export function AppHeader({ navOpened, onToggleNav }: AppHeaderProps) {
  const { t } = useTranslation();
  const user = useCurrentUser();

  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Burger
          opened={navOpened}
          onClick={onToggleNav}
          hiddenFrom="sm"
          size="sm"
          aria-label={t('shell.toggleNavigation')}
          aria-expanded={navOpened}
          aria-controls="main-navigation"
        />
        <Text fw={800} size="lg" c="indigo.8" component="span">
          PortShield
        </Text>
      </Group>
      <Group gap="sm" wrap="nowrap" align="flex-end">
        <Box data-testid="current-user" visibleFrom="sm">
          <Text size="sm" fw={600} lh={1.2}>
            {user.displayName}
          </Text>
          <Text size="xs" c="dimmed" lh={1.2}>
            {user.orgName} · {user.orgCountry}
          </Text>
        </Box>
        <LanguageSwitcher />
        {/* On small screens the user block and sign-out live in the navigation drawer. */}
        <LogoutButton visibleFrom="sm" />
      </Group>
    </Group>
  );
}
