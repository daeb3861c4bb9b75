import { Divider, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Reply } from '../api/types.ts';
import { useFormatDate } from '../common/useFormatDate.ts';
import { ReplyForm } from './ReplyForm.tsx';
import { SanitizedHtml } from './SanitizedHtml.tsx';

interface RepliesThreadProps {
  itemId: string;
  replies: Reply[];
  justification?: string;
}

/** The answers to a request for information, oldest first, with a reply form. */
export function RepliesThread({ itemId, replies, justification }: RepliesThreadProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <Stack gap="md">
      {replies.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('replies.empty')}
        </Text>
      ) : (
        <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {replies.map((reply) => (
            <Paper key={reply.id} withBorder p="sm" component="li" data-testid="reply">
              <Text size="xs" c="dimmed" mb={4}>
                {[reply.authorName, reply.orgName, formatDate(reply.createdAt)].filter(Boolean).join(' · ')}
              </Text>
              {reply.bodyHtml ? (
                <SanitizedHtml html={reply.bodyHtml} />
              ) : (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {reply.body}
                </Text>
              )}
            </Paper>
          ))}
        </Stack>
      )}
      <Divider />
      <Title order={3} size="h5">
        {t('replies.addTitle')}
      </Title>
      <ReplyForm itemId={itemId} justification={justification} />
    </Stack>
  );
}
