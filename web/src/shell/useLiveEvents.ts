import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { subscribeToEvents } from '../api/events.ts';
import { queryKeys } from '../api/queryKeys.ts';
import type { LiveEvent } from '../api/types.ts';

/** Subscribes to `/api/events` while signed in: refreshes affected data and notifies the user. */
export function useLiveEvents(): void {
  const queryClient = useQueryClient();
  // `i18n` is stable across language changes, so switching language does not reconnect the stream.
  const { i18n } = useTranslation();

  useEffect(() => {
    const onEvent = (event: LiveEvent): void => {
      // Refresh the inbox and the lists; an open item is refetched only when the event names it
      // (each read of a personal-data item is an audited access, so no blanket refetch).
      void queryClient.invalidateQueries({ queryKey: queryKeys.inbox });
      void queryClient.invalidateQueries({ queryKey: queryKeys.itemLists });
      if (event.type !== 'hit') void queryClient.invalidateQueries({ queryKey: queryKeys.item(event.id) });
      notifications.show({
        id: `live-${event.type}-${event.id}`,
        title: i18n.t(`live.${event.type}`),
        message: event.title ?? i18n.t('live.openInbox'),
        color: event.type === 'hit' ? 'orange' : 'indigo',
        autoClose: 8000,
      });
    };
    return subscribeToEvents(onEvent);
  }, [queryClient, i18n]);
}
