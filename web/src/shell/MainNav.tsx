import { NavLink as MantineNavLink, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router-dom';
import { canAdminister, canReadAudit } from '../auth/permissions.ts';
import { useCurrentUser } from '../auth/useSession.ts';
import { canUseCargo } from '../cargo/access.ts';

interface Entry {
  to: string;
  labelKey: string;
  testId: string;
}

export function MainNav({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const location = useLocation();
  const entries: Entry[] = [
    { to: '/inbox', labelKey: 'nav.inbox', testId: 'nav-inbox' },
    { to: '/items', labelKey: 'nav.items', testId: 'nav-items' },
    { to: '/compose', labelKey: 'nav.compose', testId: 'nav-compose' },
    { to: '/finance', labelKey: 'finance.nav', testId: 'nav-finance' },
  ];
  if (canUseCargo(user)) entries.push({ to: '/cargo', labelKey: 'cargo.nav.title', testId: 'nav-cargo' });
  if (canReadAudit(user)) entries.push({ to: '/audit', labelKey: 'nav.audit', testId: 'nav-audit' });
  if (canAdminister(user)) entries.push({ to: '/admin', labelKey: 'nav.admin', testId: 'nav-admin' });

  return (
    <nav aria-label={t('nav.label')}>
      <Stack gap={2}>
        {entries.map((entry) => {
          const active = location.pathname === entry.to || location.pathname.startsWith(`${entry.to}/`);
          return (
            <MantineNavLink
              key={entry.to}
              component={NavLink}
              to={entry.to}
              label={t(entry.labelKey)}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={onNavigate}
              data-testid={entry.testId}
            />
          );
        })}
      </Stack>
    </nav>
  );
}
