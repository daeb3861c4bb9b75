import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { HitStatus } from '../api/types.ts';

const COLOURS: Record<HitStatus, string> = {
  new: 'blue',
  contact_requested: 'orange',
  granted: 'green',
  declined: 'gray',
};

export function HitStatusBadge({ status }: { status: HitStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      size="sm"
      variant="light"
      color={COLOURS[status]}
      tt="none"
      // A narrow table column must not cut the status to "Nie…": let the badge keep its text.
      styles={{ root: { maxWidth: 'none', flexShrink: 0 }, label: { overflow: 'visible' } }}
    >
      {t(`hitStatus.${status}`)}
    </Badge>
  );
}
