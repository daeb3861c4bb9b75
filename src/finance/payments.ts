/**
 * Payment records (financial-intelligence data): CSV with a header line or JSON Lines, fields date,
 * amount, currency, payer_name, payer_iban, payee_name, payee_iban and optionally reference (the format is
 * documented in docs/finance-formats.md). Each row is validated on its own through `identifiers`: IBANs by
 * country length and MOD 97-10, names folded (diacritics, case, punctuation, trailing legal forms) for
 * search. A bad row is quarantined with its row number (1 = first data row), field and reason; the good
 * rows go on.
 */
import { normalizeCompanyName, validateIban } from '../identifiers/index.ts';
import type { ErrorDetail } from '../platform/errors.ts';
import { readRecords } from './transfers.ts';

export interface PaymentInput {
  row: number;
  /** YYYY-MM-DD */
  date: string;
  /** Exact decimal text, non-negative. */
  amount: string;
  /** ISO 4217 alphabetic code, upper case. */
  currency: string;
  payerName: string;
  payerNameFolded: string;
  payerIban: string;
  payeeName: string;
  payeeNameFolded: string;
  payeeIban: string;
  reference: string;
}

const REQUIRED = [
  'date',
  'amount',
  'currency',
  'payer_name',
  'payer_iban',
  'payee_name',
  'payee_iban',
] as const;
const DECIMAL = /^\d{1,18}(\.\d{1,8})?$/;

/** A real calendar date in YYYY-MM-DD. */
function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function parsePayments(text: string): { rows: PaymentInput[]; quarantined: ErrorDetail[] } {
  const rows: PaymentInput[] = [];
  const quarantined: ErrorDetail[] = [];
  for (const rec of readRecords(text)) {
    const bad = (field: string, message: string, code?: string) =>
      quarantined.push({ path: `row ${rec.row}.${field}`, message, ...(code ? { code } : {}) });
    if (!rec.fields) {
      bad('$', rec.error ?? 'unreadable');
      continue;
    }
    const f = rec.fields;
    const s = (k: string): string => {
      const v = f[k];
      return v === undefined || v === null ? '' : String(v).trim();
    };
    const missing = REQUIRED.find((k) => s(k) === '');
    if (missing) {
      bad(missing, 'missing');
      continue;
    }
    if (!isDate(s('date'))) {
      bad('date', 'not a date (YYYY-MM-DD)');
      continue;
    }
    const amount = s('amount').replace(/^\+/, '');
    if (!DECIMAL.test(amount)) {
      bad('amount', 'not a non-negative decimal amount (digits, optional "." and up to 8 decimals)');
      continue;
    }
    const currency = s('currency').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) {
      bad('currency', 'not an ISO 4217 currency code (three letters)');
      continue;
    }
    const names: Record<'payer' | 'payee', { name: string; folded: string; iban: string } | null> = {
      payer: null,
      payee: null,
    };
    let failed = false;
    for (const side of ['payer', 'payee'] as const) {
      if (failed) break;
      const name = s(`${side}_name`);
      if (name.length > 300) {
        bad(`${side}_name`, 'longer than 300 characters');
        failed = true;
        break;
      }
      const folded = normalizeCompanyName(name);
      if (!folded.ok) {
        bad(`${side}_name`, folded.message, folded.code);
        failed = true;
        break;
      }
      const iban = validateIban(s(`${side}_iban`));
      if (!iban.ok) {
        bad(`${side}_iban`, iban.message, iban.code);
        failed = true;
        break;
      }
      names[side] = { name, folded: folded.value, iban: iban.value };
    }
    if (failed) continue;
    const reference = s('reference');
    if (reference.length > 500) {
      bad('reference', 'longer than 500 characters');
      continue;
    }
    rows.push({
      row: rec.row,
      date: s('date'),
      amount: amount.replace(/^0+(?=\d)/, ''),
      currency,
      payerName: names.payer!.name,
      payerNameFolded: names.payer!.folded,
      payerIban: names.payer!.iban,
      payeeName: names.payee!.name,
      payeeNameFolded: names.payee!.folded,
      payeeIban: names.payee!.iban,
      reference,
    });
  }
  return { rows, quarantined };
}
