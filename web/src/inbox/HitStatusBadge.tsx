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
    <Badge size="sm" variant="light" color={COLOURS[status]} tt="none">
      {t(`hitStatus.${status}`)}
    </Badge>
  );
}
