import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { declineHit, grantHit, requestHitContact } from '../api/inbox.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { Hit } from '../api/types.ts';
import { useErrorText } from '../common/ErrorAlert.tsx';
import { RequestContactDialog } from './RequestContactDialog.tsx';

type Action = { kind: 'grant' } | { kind: 'decline' } | { kind: 'request'; justification: string };

/**
 * The owner of the hidden item (who sees `itemId`) grants or declines;
 * the searcher asks the hidden owner for contact.
 */
export function HitActions({ hit }: { hit: Hit }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [dialogOpen, setDialogOpen] = useState(false);
  const isOwner = Boolean(hit.itemId);
  const label = `${t(`observableTypes.${hit.observableType}`)} ${hit.normalized}`;

  const mutation = useMutation({
    mutationFn: (action: Action) => {
      if (action.kind === 'grant') return grantHit(hit.id);
      if (action.kind === 'decline') return declineHit(hit.id);
      return requestHitContact(hit.id, action.justification);
    },
    onSuccess: (_hit, action) => {
      setDialogOpen(false);
      notifications.show({ message: t(`hits.done.${action.kind}`), color: 'green' });
      void queryClient.invalidateQueries({ queryKey: queryKeys.inbox });
    },
    onError: (error) =>
      notifications.show({ title: t('errors.title'), message: errorText(error), color: 'red' }),
  });
  const pending = mutation.isPending ? mutation.variables?.kind : undefined;

  if (isOwner) {
    if (hit.status === 'granted' || hit.status === 'declined') return null;
    return (
      <Group gap="xs" wrap="nowrap">
        <Button
          size="xs"
          color="green"
          loading={pending === 'grant'}
          disabled={mutation.isPending}
          onClick={() => mutation.mutate({ kind: 'grant' })}
          aria-label={t('hits.grantFor', { label })}
        >
          {t('hits.grant')}
        </Button>
        <Button
          size="xs"
          variant="default"
          loading={pending === 'decline'}
          disabled={mutation.isPending}
          onClick={() => mutation.mutate({ kind: 'decline' })}
          aria-label={t('hits.declineFor', { label })}
        >
          {t('hits.decline')}
        </Button>
      </Group>
    );
  }

  if (hit.status !== 'new') return null;
  return (
    <>
      <Button
        size="xs"
        variant="light"
        color="orange"
        onClick={() => setDialogOpen(true)}
        aria-label={t('hits.requestContactFor', { label })}
      >
        {t('hits.requestContact')}
      </Button>
      <RequestContactDialog
        opened={dialogOpen}
        loading={mutation.isPending}
        onClose={() => setDialogOpen(false)}
        onSubmit={(justification) => mutation.mutate({ kind: 'request', justification })}
      />
    </>
  );
}
