import { Button, Group, Stack, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addReply } from '../api/items.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';

interface ReplyFormProps {
  itemId: string;
  justification?: string;
}

export function ReplyForm({ itemId, justification }: ReplyFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [touched, setTouched] = useState(false);

  const mutation = useMutation({
    mutationFn: (text: string) => addReply(itemId, text, justification),
    onSuccess: () => {
      setBody('');
      setTouched(false);
      void queryClient.invalidateQueries({ queryKey: queryKeys.item(itemId) });
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setTouched(true);
    if (body.trim()) mutation.mutate(body.trim());
  };

  return (
    <form onSubmit={submit} aria-label={t('replies.formLabel')}>
      <Stack gap="sm">
        <Textarea
          label={t('replies.label')}
          description={t('replies.hint')}
          required
          autosize
          minRows={3}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={touched && !body.trim() ? t('replies.missing') : undefined}
          data-testid="reply-body"
        />
        {mutation.isError && <ErrorAlert error={mutation.error} />}
        <Group>
          <Button type="submit" loading={mutation.isPending} data-testid="reply-submit">
            {t('replies.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
