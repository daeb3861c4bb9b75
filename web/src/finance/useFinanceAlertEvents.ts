import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { onServerEvent } from '../api/events.ts';
import { financeKeys } from '../api/finance.ts';

/**
 * While mounted, a `finance-alert` event on the live stream (a watched address or cluster moved funds)
 * refreshes the alert lists and tells the user. A watch that shares its alerts publishes the item just
 * after the alert, so a new item refreshes the lists as well (that is when the alert gets its item link).
 */
export function useFinanceAlertEvents(): void {
  const queryClient = useQueryClient();
  const { i18n } = useTranslation();
  useEffect(() => {
    const offItem = onServerEvent('item', () => {
      void queryClient.invalidateQueries({ queryKey: financeKeys.alerts });
    });
    const offAlert = onServerEvent('finance-alert', (data) => {
      void queryClient.invalidateQueries({ queryKey: financeKeys.alerts });
      let id = '';
      try {
        const parsed: unknown = JSON.parse(data);
        if (typeof parsed === 'object' && parsed !== null) id = String((parsed as { id?: unknown }).id ?? '');
      } catch {
        // No body to read: the refresh above is what matters.
      }
      notifications.show({
        id: id ? `finance-alert-${id}` : undefined,
        title: i18n.t('finance.alerts.live'),
        message: i18n.t('finance.alerts.liveMessage'),
        color: 'orange',
        autoClose: 8000,
      });
    });
    return () => {
      offItem();
      offAlert();
    };
  }, [queryClient, i18n]);
}
