import { Badge, Group, Paper, Stack, Tabs, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { getItemAudit } from '../api/items.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { Item } from '../api/types.ts';
import { PageTitle } from '../shell/PageTitle.tsx';
import { AttachmentsPanel } from './AttachmentsPanel.tsx';
import { CorrelationPanel } from './CorrelationPanel.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { ItemAuditTab } from './ItemAuditTab.tsx';
import { ItemMeta } from './ItemMeta.tsx';
import { MarkingBanner } from './MarkingBanner.tsx';
import { ObservablesTable } from './ObservablesTable.tsx';
import { RepliesThread } from './RepliesThread.tsx';
import { SanitizedHtml } from './SanitizedHtml.tsx';
import { SightingsPanel } from './SightingsPanel.tsx';

interface ItemViewProps {
  item: Item;
  justification?: string;
}

export function ItemView({ item, justification }: ItemViewProps) {
  const { t } = useTranslation();
  // The audit trail is for the owner organisation, the DPO and auditors: others get 403/404 and no tab.
  const audit = useQuery({
    queryKey: queryKeys.itemAudit(item.id),
    queryFn: ({ signal }) => getItemAudit(item.id, signal),
    retry: false,
  });
  const correlationCount =
    item.correlation.visible.length + item.correlation.restricted.reduce((sum, r) => sum + r.count, 0);

  return (
    <Stack gap="md">
      <MarkingBanner marking={item.marking} personalData={item.personalData} />
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <PageTitle testId="item-title">{item.title}</PageTitle>
          <ItemMeta item={item} />
        </Stack>
        <ExportButtons item={item} justification={justification} />
      </Group>

      <Tabs defaultValue="overview" keepMounted={false}>
        <Tabs.List aria-label={t('item.sectionsLabel')}>
          <Tabs.Tab value="overview">{t('item.tabs.overview')}</Tabs.Tab>
          <Tabs.Tab value="sightings" rightSection={<Badge size="xs">{item.sightings.length}</Badge>}>
            {t('item.tabs.sightings')}
          </Tabs.Tab>
          {item.kind === 'rfi' && (
            <Tabs.Tab value="replies" rightSection={<Badge size="xs">{item.replies.length}</Badge>}>
              {t('item.tabs.replies')}
            </Tabs.Tab>
          )}
          {audit.isSuccess && (
            <Tabs.Tab value="audit" data-testid="item-audit-tab">
              {t('item.tabs.audit')}
            </Tabs.Tab>
          )}
        </Tabs.List>

        <Tabs.Panel value="overview" pt="md">
          <Stack gap="md">
            <Paper withBorder p="md" component="section" aria-labelledby="item-body-heading">
              <Title order={2} size="h4" id="item-body-heading" mb="xs">
                {t('item.body')}
              </Title>
              <SanitizedHtml html={item.bodyHtml} testId="item-body" />
            </Paper>
            <Paper withBorder p="md" component="section" aria-labelledby="item-observables-heading">
              <Title order={2} size="h4" id="item-observables-heading" mb="xs">
                {t('item.observables')}
              </Title>
              <ObservablesTable observables={item.observables} />
            </Paper>
            <Paper withBorder p="md" component="section" aria-labelledby="item-correlations-heading">
              <Title order={2} size="h4" id="item-correlations-heading" mb="xs">
                {t('item.correlations', { count: correlationCount })}
              </Title>
              <CorrelationPanel correlation={item.correlation} />
            </Paper>
            <Paper withBorder p="md" component="section" aria-labelledby="item-attachments-heading">
              <Title order={2} size="h4" id="item-attachments-heading" mb="xs">
                {t('attachments.title', { count: item.attachments.length })}
              </Title>
              <AttachmentsPanel item={item} justification={justification} />
            </Paper>
          </Stack>
        </Tabs.Panel>

        <Tabs.Panel value="sightings" pt="md">
          <Paper withBorder p="md">
            <SightingsPanel itemId={item.id} sightings={item.sightings} justification={justification} />
          </Paper>
        </Tabs.Panel>

        {item.kind === 'rfi' && (
          <Tabs.Panel value="replies" pt="md">
            <Paper withBorder p="md">
              <RepliesThread itemId={item.id} replies={item.replies} justification={justification} />
            </Paper>
          </Tabs.Panel>
        )}

        {audit.isSuccess && (
          <Tabs.Panel value="audit" pt="md">
            <Paper withBorder p="xs">
              <ItemAuditTab records={audit.data} caption={t('item.tabs.audit')} />
            </Paper>
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
