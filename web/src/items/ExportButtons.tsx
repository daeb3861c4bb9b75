import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportItem } from '../api/items.ts';
import type { ExportFormat, Item } from '../api/types.ts';
import { downloadBlob } from '../common/downloadBlob.ts';
import { useErrorText } from '../common/ErrorAlert.tsx';

interface ExportButtonsProps {
  item: Item;
  justification?: string;
}

/** MISP and STIX 2.1 exports; never offered for TLP:RED (the server refuses them too). */
export function ExportButtons({ item, justification }: ExportButtonsProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  if (item.marking.tlp === 'RED') return null;

  const run = async (format: ExportFormat): Promise<void> => {
    setBusy(format);
    try {
      const blob = await exportItem(item.id, format, justification);
      downloadBlob(blob, `portshield-${item.id}.${format}.json`);
    } catch (error) {
      notifications.show({ title: t('export.failed'), message: errorText(error), color: 'red' });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Group gap="xs">
      <Button size="xs" variant="default" loading={busy === 'misp'} onClick={() => void run('misp')}>
        {t('export.misp')}
      </Button>
      <Button size="xs" variant="default" loading={busy === 'stix'} onClick={() => void run('stix')}>
        {t('export.stix')}
      </Button>
    </Group>
  );
}
