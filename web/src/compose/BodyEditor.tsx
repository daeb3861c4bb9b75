import { Tabs, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MarkdownPreview } from './MarkdownPreview.tsx';

interface BodyEditorProps {
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

/** Markdown textarea with a preview tab. */
export function BodyEditor({ value, onChange, error }: BodyEditorProps) {
  const { t } = useTranslation();
  return (
    <Tabs defaultValue="write" variant="outline" keepMounted>
      <Tabs.List aria-label={t('compose.bodyModes')}>
        <Tabs.Tab value="write">{t('compose.write')}</Tabs.Tab>
        <Tabs.Tab value="preview" data-testid="compose-preview-tab">
          {t('compose.preview')}
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="write" pt="xs">
        <Textarea
          label={t('compose.body')}
          description={t('compose.bodyHint')}
          autosize
          minRows={8}
          maxRows={24}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={error}
          data-testid="compose-body"
        />
      </Tabs.Panel>
      <Tabs.Panel value="preview" pt="xs">
        <MarkdownPreview source={value} emptyText={t('compose.previewEmpty')} />
      </Tabs.Panel>
    </Tabs>
  );
}
