import { Stack, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../shell/PageTitle.tsx';
import { RuleEditor } from './RuleEditor.tsx';
import { WatchlistPanel } from './WatchlistPanel.tsx';

/** The targeting rule set (YAML, versioned, simulated before saving) and the watchlists. */
export default function RulesPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <PageTitle>{t('cargo.rules.title')}</PageTitle>
      <Tabs defaultValue="rules" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="rules" data-testid="cargo-tab-rules">
            {t('cargo.rules.tab')}
          </Tabs.Tab>
          <Tabs.Tab value="watchlists" data-testid="cargo-tab-watchlists">
            {t('cargo.watchlists.tab')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="rules" pt="md">
          <RuleEditor />
        </Tabs.Panel>
        <Tabs.Panel value="watchlists" pt="md">
          <WatchlistPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
