import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** Formats ISO timestamps in the UI language (day, month, year, time). */
export function useFormatDate(): (iso: string | null | undefined, withTime?: boolean) => string {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useCallback(
    (iso, withTime = true) => {
      if (!iso) return '—';
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return iso;
      return new Intl.DateTimeFormat(language, {
        dateStyle: 'medium',
        timeStyle: withTime ? 'short' : undefined,
      }).format(date);
    },
    [language],
  );
}
