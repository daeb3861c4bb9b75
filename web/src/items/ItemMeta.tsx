import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Item } from '../api/types.ts';
import { useDirectory } from '../common/useDirectory.ts';
import { useFormatDate } from '../common/useFormatDate.ts';
import { KindBadge } from './KindBadge.tsx';

/** Author, organisation, date and the item's personal-data and RFI particulars. */
export function ItemMeta({ item }: { item: Item }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const directory = useDirectory();
  const userName = (id: string): string => directory.data?.users.find((u) => u.id === id)?.displayName ?? id;

  return (
    <Group gap="xs" wrap="wrap" data-testid="item-meta">
      <KindBadge kind={item.kind} />
      <Text size="sm" c="dimmed">
        {t('item.byline', {
          author: item.authorName,
          org: item.ownerOrgName,
          date: formatDate(item.createdAt),
        })}
      </Text>
      {item.personalDataDetail && (
        <Text size="sm" c="grape.8">
          {t('item.personalDataLine', {
            category: t(`subjectCategories.${item.personalDataDetail.subjectCategory}`),
            date: formatDate(item.personalDataDetail.reviewDate, false),
          })}
        </Text>
      )}
      {item.kind === 'rfi' && item.deadline && (
        <Text size="sm" fw={600}>
          {t('item.deadline', { date: formatDate(item.deadline) })}
        </Text>
      )}
      {item.kind === 'rfi' && item.addressees && item.addressees.length > 0 && (
        <Text size="sm">{t('item.addressees', { names: item.addressees.map(userName).join(', ') })}</Text>
      )}
    </Group>
  );
}
