import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CargoReason } from '../api/cargo.ts';

/**
 * Reason codes are indicator ids (`high-risk-port`) or rule ids, possibly written as
 * `rule:<id>@<version>`; the UI translates the indicators it knows and shows the server's English
 * label for anything else (an analyst's own rule has no translation).
 */
export function reasonKey(code: string): string {
  const bare = code.replace(/^rule:/, '').replace(/@\d+$/, '');
  return `cargo.indicators.${bare}`;
}

export function useReasonLabel(): (reason: Pick<CargoReason, 'code' | 'label'>) => string {
  const { t, i18n } = useTranslation();
  return useCallback(
    (reason) => {
      const key = reasonKey(reason.code);
      return i18n.exists(key) ? t(key) : reason.label || reason.code;
    },
    [t, i18n],
  );
}

/**
 * Percentages and ratios in the UI language; `—` when the server had nothing to divide. The
 * formatters are built once per language (tables call them for every cell).
 */
export function useFormatNumber() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useMemo(() => {
    const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
    const oneDecimal = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    const whole = new Intl.NumberFormat(language);
    const missing = (value: number | null | undefined): value is null | undefined =>
      value === null || value === undefined || Number.isNaN(value);
    return {
      percent: (value: number | null | undefined): string => (missing(value) ? '—' : percent.format(value)),
      ratio: (value: number | null | undefined): string =>
        missing(value) ? '—' : `×${oneDecimal.format(value)}`,
      count: (value: number): string => whole.format(value),
      score: (value: number): string => oneDecimal.format(value),
    };
  }, [language]);
}

/** Today's date in the browser's time zone as YYYY-MM-DD (the queue's default day). */
export function localDate(date: Date = new Date()): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function isIsoDate(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}
