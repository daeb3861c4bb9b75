import { Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ChangeLink, FinanceAddress, FinanceTag, SharedMention } from '../api/finance.ts';
import { categoryColour } from './format.ts';
import { useCategoryLabel } from './useCategoryLabel.ts';
import { WatchButton } from './WatchButton.tsx';

/** Tags visible to the user (the server leaves out those they may not see). */
export function TagTable({ tags, caption }: { tags: FinanceTag[]; caption: string }) {
  const { t } = useTranslation();
  const label = useCategoryLabel();
  if (tags.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="finance-tags-empty">
        {t('finance.tags.empty')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table fz="sm" verticalSpacing={4}>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('finance.tags.label')}</Table.Th>
            <Table.Th scope="col">{t('finance.tags.category')}</Table.Th>
            <Table.Th scope="col">{t('finance.tags.source')}</Table.Th>
            <Table.Th scope="col">{t('finance.tags.confidence')}</Table.Th>
            <Table.Th scope="col">{t('finance.tags.scope')}</Table.Th>
            <Table.Th scope="col">TLP</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tags.map((tag) => (
            <Table.Tr key={tag.id} data-testid="finance-tag-row">
              <Table.Td>{tag.label}</Table.Td>
              <Table.Td>
                <Badge
                  variant="light"
                  color="gray"
                  leftSection={<Dot colour={categoryColour(tag.category)} />}
                >
                  {label(tag.category ?? tag.abuse)}
                </Badge>
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{tag.source ?? '—'}</Table.Td>
              <Table.Td>{tag.confidence ?? '—'}</Table.Td>
              <Table.Td>
                {tag.address !== null && !tag.isClusterDefiner
                  ? t('finance.tags.onAddress')
                  : t('finance.tags.onCluster')}
              </Table.Td>
              <Table.Td>TLP:{tag.tlp}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Dot({ colour }: { colour: string }) {
  return (
    <span
      aria-hidden
      style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: colour }}
    />
  );
}

/** One-time-change links (a heuristic guess, shown apart from the cluster) with their confidence. */
export function ChangeLinkTable({ links }: { links: ChangeLink[] }) {
  const { t, i18n } = useTranslation();
  const pct = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  return (
    <Stack gap={4} data-testid="finance-change-links">
      <Title order={3} size="h5">
        {t('finance.change.title')}
      </Title>
      <Text size="xs" c="dimmed">
        {t('finance.change.help')}
      </Text>
      <Table.ScrollContainer minWidth={560}>
        <Table fz="sm" verticalSpacing={4}>
          <Table.Caption>{t('finance.change.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('finance.change.role')}</Table.Th>
              <Table.Th scope="col">{t('finance.change.other')}</Table.Th>
              <Table.Th scope="col">{t('finance.change.confidence')}</Table.Th>
              <Table.Th scope="col">{t('finance.change.tx')}</Table.Th>
              <Table.Th scope="col">{t('finance.change.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {links.map((l) => (
              <Table.Tr key={`${l.txid}:${l.role}:${l.otherAddress}`} data-testid="finance-change-link-row">
                <Table.Td>{t(`finance.change.roles.${l.role}`)}</Table.Td>
                <Table.Td className="ps-mono" style={{ overflowWrap: 'anywhere' }}>
                  <Anchor component={Link} to={`/finance?q=${encodeURIComponent(l.otherAddress)}`} size="sm">
                    {l.otherAddress}
                  </Anchor>
                </Table.Td>
                <Table.Td title={l.criteria.join(', ')}>{pct.format(l.confidence)}</Table.Td>
                <Table.Td className="ps-mono" style={{ overflowWrap: 'anywhere' }}>
                  {l.txid.slice(0, 16)}… ({l.height})
                </Table.Td>
                <Table.Td>
                  {l.revoked
                    ? t('finance.change.revoked', { height: l.revoked.height ?? '?' })
                    : t('finance.change.active')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** Shared items naming the address or another of its cluster: the link from ledger to intelligence. */
function SharedItemList({ items }: { items: SharedMention[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4} data-testid="finance-shared-items">
      <Text size="sm" fw={600}>
        {t('finance.sharedItems.title', { count: items.length })}
      </Text>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('finance.sharedItems.none')}
        </Text>
      ) : (
        items.map((item) => (
          <Group key={`${item.itemId}-${item.value}`} gap="xs" wrap="wrap">
            <Anchor component={Link} to={`/items/${encodeURIComponent(item.itemId)}`} size="sm">
              {item.title ?? t('finance.sharedItems.personalData')}
            </Anchor>
            <Text size="xs" c="dimmed" className="ps-mono">
              {item.value}
            </Text>
          </Group>
        ))
      )}
    </Stack>
  );
}

/** An address: chain, cluster, visible tags, change links, and the watch control. */
export function AddressCard({ address }: { address: FinanceAddress }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="finance-address-heading">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4" id="finance-address-heading">
              {t('finance.address.title')}
            </Title>
            <Text className="ps-mono" size="sm" data-testid="finance-address">
              {address.address}
            </Text>
          </div>
          <WatchButton target={{ address: address.address }} />
        </Group>
        <Group gap="xl">
          <div>
            <Text size="xs" c="dimmed">
              {t('finance.address.chain')}
            </Text>
            <Text size="sm" data-testid="finance-chain">
              {t(`finance.chains.${address.chain}`)}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              {t('finance.address.cluster')}
            </Text>
            <Anchor
              component={Link}
              to={`/finance?q=${encodeURIComponent(`cluster:${address.clusterId}`)}`}
              size="sm"
              data-testid="finance-cluster-link"
            >
              {t('finance.address.clusterValue', { id: address.clusterId, size: address.clusterSize })}
            </Anchor>
          </div>
        </Group>
        <TagTable tags={address.tags} caption={t('finance.tags.caption')} />
        {address.changeLinks.length > 0 && <ChangeLinkTable links={address.changeLinks} />}
        <SharedItemList items={address.sharedItems ?? []} />
      </Stack>
    </Paper>
  );
}
