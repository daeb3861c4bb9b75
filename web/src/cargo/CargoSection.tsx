import { Group, NavLink as MantineNavLink, Stack } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router-dom';
import { useCurrentUser } from '../auth/useSession.ts';
import { LoadingState } from '../common/LoadingState.tsx';
import { NotFoundPage } from '../shell/NotFoundPage.tsx';
import { canUseCargo } from './access.ts';

const QueuePage = lazy(() => import('./QueuePage.tsx'));
const PerformancePage = lazy(() => import('./PerformancePage.tsx'));
const RulesPage = lazy(() => import('./RulesPage.tsx'));

const SECTIONS = [
  { to: '/cargo/queue', labelKey: 'cargo.nav.queue', testId: 'cargo-nav-queue' },
  { to: '/cargo/performance', labelKey: 'cargo.nav.performance', testId: 'cargo-nav-performance' },
  { to: '/cargo/rules', labelKey: 'cargo.nav.rules', testId: 'cargo-nav-rules' },
] as const;

/** The cargo targeting section: queue, rule performance, rules and watchlists. */
export default function CargoSection() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const location = useLocation();
  if (!canUseCargo(user)) return <NotFoundPage />;
  return (
    <Stack gap="sm">
      <nav aria-label={t('cargo.nav.label')}>
        <Group gap={4}>
          {SECTIONS.map((s) => {
            const active = location.pathname === s.to || location.pathname.startsWith(`${s.to}/`);
            return (
              <MantineNavLink
                key={s.to}
                component={NavLink}
                to={s.to}
                label={t(s.labelKey)}
                active={active}
                aria-current={active ? 'page' : undefined}
                variant="light"
                w="auto"
                data-testid={s.testId}
              />
            );
          })}
        </Group>
      </nav>
      <Suspense fallback={<LoadingState />}>
        <Routes>
          <Route index element={<Navigate to="queue" replace />} />
          <Route path="queue" element={<QueuePage />} />
          <Route path="performance" element={<PerformancePage />} />
          <Route path="rules" element={<RulesPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </Stack>
  );
}
