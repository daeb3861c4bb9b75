/**
 * Account-chain (Ethereum, TRON) transfer exports: CSV with a header line or JSON Lines, fields
 * from, to, token, amount, hash, time, block and optionally log_index (or index). Each row is validated
 * on its own: a bad row is quarantined with its row number (1 = first data row), field and reason, and
 * the good rows go on. Addresses are validated and normalised by `identifiers`; both ends of a transfer
 * must be on the same chain. Amounts are kept as exact decimal text.
 */
import { validateCryptoAddress } from '../identifiers/index.ts';
import type { ErrorDetail } from '../platform/errors.ts';

export interface TransferInput {
  chain: 'eth' | 'tron';
  from: string;
  to: string;
  token: string;
  amount: string;
  hash: string;
  time: Date;
  block: number;
  logIndex: number;
}

const FIELDS = ['from', 'to', 'token', 'amount', 'hash', 'time', 'block'] as const;

/** RFC 4180 lines: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
}

export function readRecords(
  text: string,
): { row: number; fields: Record<string, unknown> | null; error?: string }[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const out: { row: number; fields: Record<string, unknown> | null; error?: string }[] = [];
    let n = 0;
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      n++;
      try {
        const v = JSON.parse(line) as unknown;
        if (v === null || typeof v !== 'object' || Array.isArray(v))
          out.push({ row: n, fields: null, error: 'not a JSON object' });
        else out.push({ row: n, fields: v as Record<string, unknown> });
      } catch (err) {
        out.push({ row: n, fields: null, error: `not valid JSON: ${(err as Error).message}` });
      }
    }
    return out;
  }
  const rows = parseCsv(text);
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  return rows.slice(1).map((r, i) => {
    const fields: Record<string, unknown> = {};
    header.forEach((h, j) => {
      fields[h] = r[j];
    });
    return { row: i + 1, fields };
  });
}

const DECIMAL = /^\d+(\.\d+)?$/;

export function parseTransfers(text: string): { rows: TransferInput[]; quarantined: ErrorDetail[] } {
  const rows: TransferInput[] = [];
  const quarantined: ErrorDetail[] = [];
  const logCounter = new Map<string, number>();
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
    const missing = FIELDS.find((k) => s(k) === '');
    if (missing) {
      bad(missing, 'missing');
      continue;
    }
    const from = validateCryptoAddress(s('from'));
    if (!from.ok) {
      bad('from', from.message, from.code);
      continue;
    }
    const to = validateCryptoAddress(s('to'));
    if (!to.ok) {
      bad('to', to.message, to.code);
      continue;
    }
    if (from.kind !== 'eth' && from.kind !== 'tron') {
      bad('from', 'not an account-chain (Ethereum or TRON) address');
      continue;
    }
    if (to.kind !== from.kind) {
      bad('to', `not on the same chain as from (${from.kind})`);
      continue;
    }
    const amount = s('amount');
    if (!DECIMAL.test(amount)) {
      bad('amount', 'not a non-negative decimal number');
      continue;
    }
    const hash = s('hash');
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(hash)) {
      bad('hash', 'not a 32-byte hex transaction hash');
      continue;
    }
    const rawTime = s('time');
    const time = /^\d+$/.test(rawTime) ? new Date(Number(rawTime) * 1000) : new Date(rawTime);
    if (Number.isNaN(time.getTime())) {
      bad('time', 'not unix seconds or an ISO 8601 date-time');
      continue;
    }
    const block = Number(s('block'));
    if (!Number.isSafeInteger(block) || block < 0) {
      bad('block', 'not a non-negative integer');
      continue;
    }
    const token = s('token');
    if (token.length > 100) {
      bad('token', 'longer than 100 characters');
      continue;
    }
    const normHash = hash.toLowerCase().replace(/^0x/, '');
    const given = s('log_index') || s('index');
    let logIndex: number;
    if (given !== '') {
      logIndex = Number(given);
      if (!Number.isSafeInteger(logIndex) || logIndex < 0 || logIndex > 2 ** 31 - 1) {
        bad('log_index', 'not a non-negative integer');
        continue;
      }
    } else {
      const key = `${from.kind}:${normHash}`;
      logIndex = logCounter.get(key) ?? 0;
      logCounter.set(key, logIndex + 1);
    }
    rows.push({
      chain: from.kind,
      from: from.value,
      to: to.value,
      token,
      amount: amount.replace(/^0+(?=\d)/, ''),
      hash: `0x${normHash}`,
      time,
      block,
      logIndex,
    });
  }
  return { rows, quarantined };
}
