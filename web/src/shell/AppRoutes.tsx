import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { canAdminister, canReadAudit } from '../auth/permissions.ts';
import { useCurrentUser } from '../auth/useSession.ts';
import { canUseCargo } from '../cargo/access.ts';
import { InboxPage } from '../inbox/InboxPage.tsx';
import { ItemListPage } from '../items/ItemListPage.tsx';
import { AppLayout } from './AppLayout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';

// Heavier screens are split into their own chunks.
const ItemViewPage = lazy(() => import('../items/ItemViewPage.tsx'));
const ComposePage = lazy(() => import('../compose/ComposePage.tsx'));
const AdminPage = lazy(() => import('../admin/AdminPage.tsx'));
const AuditPage = lazy(() => import('../audit/AuditPage.tsx'));
const FinancePage = lazy(() => import('../finance/FinancePage.tsx'));
const WatchesPage = lazy(() => import('../finance/WatchesPage.tsx'));
const TbmlPage = lazy(() => import('../finance/TbmlPage.tsx'));
const CargoSection = lazy(() => import('../cargo/CargoSection.tsx'));

export function AppRoutes() {
  const user = useCurrentUser();
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<Navigate to="/inbox" replace />} />
        <Route path="login" element={<Navigate to="/inbox" replace />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="items" element={<ItemListPage />} />
        <Route path="items/:id" element={<ItemViewPage />} />
        <Route path="compose" element={<ComposePage />} />
        <Route path="finance" element={<FinancePage />} />
        <Route path="finance/watches" element={<WatchesPage />} />
        <Route path="finance/tbml" element={<TbmlPage />} />
        {canUseCargo(user) && <Route path="cargo/*" element={<CargoSection />} />}
        {canReadAudit(user) && <Route path="audit" element={<AuditPage />} />}
        {canAdminister(user) && <Route path="admin" element={<AdminPage />} />}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
