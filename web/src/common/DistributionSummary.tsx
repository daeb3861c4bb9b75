import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Distribution } from '../api/types.ts';
import { useDirectory } from './useDirectory.ts';

/** One line describing who may see an item, with directory names instead of ids. */
export function DistributionSummary({ distribution }: { distribution: Distribution }) {
  const { t } = useTranslation();
  const { data } = useDirectory();
  const parts: string[] = [];
  if (distribution.node) parts.push(t('distribution.wholeNode'));
  if (distribution.orgs.length > 0) {
    const names = distribution.orgs.map((id) => data?.orgs.find((o) => o.id === id)?.name ?? id);
    parts.push(`${t('distribution.orgs')}: ${names.join(', ')}`);
  }
  if (distribution.communities.length > 0) {
    const names = distribution.communities.map(
      (id) => data?.communities.find((c) => c.id === id)?.name ?? id,
    );
    parts.push(`${t('distribution.communities')}: ${names.join(', ')}`);
  }
  if (distribution.users.length > 0) {
    const names = distribution.users.map((id) => data?.users.find((u) => u.id === id)?.displayName ?? id);
    parts.push(`${t('distribution.users')}: ${names.join(', ')}`);
  }
  return <Text size="sm">{parts.length > 0 ? parts.join(' · ') : t('distribution.orgOnly')}</Text>;
}
