import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ItemKind } from '../api/types.ts';

const KIND_COLOURS: Record<ItemKind, string> = { alert: 'red', report: 'indigo', rfi: 'teal' };

export function KindBadge({ kind }: { kind: ItemKind }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="light"
      color={KIND_COLOURS[kind]}
      radius="xs"
      tt="none"
      styles={{ root: { maxWidth: 'none', flexShrink: 0 }, label: { overflow: 'visible' } }}
    >
      {t(`kinds.${kind}`)}
    </Badge>
  );
}
