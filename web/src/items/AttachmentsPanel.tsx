import { Button, FileInput, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadAttachment, uploadAttachment } from '../api/items.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { Attachment, Item } from '../api/types.ts';
import { downloadBlob } from '../common/downloadBlob.ts';
import { useErrorText } from '../common/ErrorAlert.tsx';

/** The server's limit (5 MiB); checked here too so a large file fails before it is read and sent. */
const MAX_BYTES = 5 * 1024 * 1024;

/** The file's bytes as base64, read in chunks (a spread of a 5 MiB array would overflow the stack). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

interface AttachmentsPanelProps {
  item: Item;
  justification?: string;
}

/**
 * An item's files: every reader may download them (personal-data items send the justification
 * given for the item, and each download is audited); the originator may add more.
 */
export function AttachmentsPanel({ item, justification }: AttachmentsPanelProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const upload = useMutation({
    mutationFn: async (f: File) => {
      if (f.size > MAX_BYTES) throw new Error(t('attachments.tooLarge'));
      return uploadAttachment(item.id, {
        filename: f.name,
        mediaType: f.type || 'application/octet-stream',
        contentBase64: await base64Of(f),
      });
    },
    onSuccess: () => {
      setFile(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.item(item.id) });
      notifications.show({ message: t('attachments.uploaded'), color: 'green' });
    },
    onError: (error) =>
      notifications.show({ title: t('attachments.uploadFailed'), message: errorText(error), color: 'red' }),
  });

  const download = async (a: Attachment): Promise<void> => {
    setBusy(a.id);
    try {
      downloadBlob(await downloadAttachment(item.id, a.id, justification), a.filename);
    } catch (error) {
      notifications.show({ title: t('attachments.downloadFailed'), message: errorText(error), color: 'red' });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="sm" data-testid="attachments">
      {item.attachments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('attachments.none')}
        </Text>
      ) : (
        <Table striped withTableBorder verticalSpacing={4} fz="sm">
          <Table.Caption>{t('attachments.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('attachments.file')}</Table.Th>
              <Table.Th scope="col">{t('attachments.type')}</Table.Th>
              <Table.Th scope="col">{t('attachments.size')}</Table.Th>
              <Table.Th scope="col">SHA-256</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t('attachments.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {item.attachments.map((a) => (
              <Table.Tr key={a.id} data-testid="attachment-row">
                <Table.Td>{a.filename}</Table.Td>
                <Table.Td className="ps-mono">{a.mediaType}</Table.Td>
                <Table.Td>{sizeText(a.size)}</Table.Td>
                <Table.Td className="ps-mono" title={a.sha256}>
                  {a.sha256.slice(0, 16)}…
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    loading={busy === a.id}
                    onClick={() => void download(a)}
                    aria-label={t('attachments.downloadNamed', { name: a.filename })}
                  >
                    {t('attachments.download')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {item.canEdit && (
        <Group align="flex-end" gap="xs">
          <FileInput
            label={t('attachments.add')}
            description={t('attachments.allowed')}
            value={file}
            onChange={setFile}
            clearable
            w={360}
            data-testid="attachment-input"
          />
          <Button
            disabled={!file}
            loading={upload.isPending}
            onClick={() => file && upload.mutate(file)}
            data-testid="attachment-upload"
          >
            {t('attachments.upload')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
