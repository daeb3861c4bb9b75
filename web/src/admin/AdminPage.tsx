import { Stack, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { PageTitle } from '../shell/PageTitle.tsx';
import { CommunitiesTab } from './CommunitiesTab.tsx';
import { OrgsTab } from './OrgsTab.tsx';
import { UsersTab } from './UsersTab.tsx';

const TABS = ['orgs', 'users', 'communities'] as const;
type AdminTab = (typeof TABS)[number];

export default function AdminPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: AdminTab = (TABS as readonly string[]).includes(requested ?? '')
    ? (requested as AdminTab)
    : 'orgs';

  return (
    <Stack gap="md">
      <PageTitle>{t('admin.title')}</PageTitle>
      <Tabs value={tab} onChange={(value) => value && setParams({ tab: value }, { replace: true })}>
        <Tabs.List aria-label={t('admin.title')}>
          {TABS.map((value) => (
            <Tabs.Tab key={value} value={value} data-testid={`admin-tab-${value}`}>
              {t(`admin.tabs.${value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="orgs" pt="md">
          {tab === 'orgs' && <OrgsTab />}
        </Tabs.Panel>
        <Tabs.Panel value="users" pt="md">
          {tab === 'users' && <UsersTab />}
        </Tabs.Panel>
        <Tabs.Panel value="communities" pt="md">
          {tab === 'communities' && <CommunitiesTab />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
