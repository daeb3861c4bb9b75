/**
 * Reading ingested rows: each parsed row validated and normalised into a declaration, or refused
 * with its errors (row, field, reason, stable code). Pure and synchronous, so that it runs the same
 * in the service's thread and in the declaration reader's worker (declaration-reader.ts).
 */
import { AppError } from '../platform/errors.ts';
import { type Declaration, type NormalizeCache, normalizeDeclaration } from './declaration.ts';
import type { ParsedRow } from './ingest.ts';

/** A refused row's error as reported and quarantined. */
export interface RowErrorOut {
  row: number;
  field: string;
  reason: string;
  code: string;
}

/** A row ready for ingest: its declaration, or the reasons it is refused. */
export interface ReadRow {
  /** CSV: spreadsheet row number; JSON Lines: line number. */
  row: number;
  /** The row as written (kept with a quarantined row). */
  raw: string;
  d: Declaration | null;
  errors: RowErrorOut[];
  /** `d` as JSON, when it was read on another thread (where stringifying it costs the service nothing). */
  body?: string;
}

/**
 * Fields holding U+0000, which PostgreSQL text cannot store. JSON can only carry it escaped, so a
 * row whose text has no `\u0000` (nearly every row) is not walked.
 */
function nulFields(row: ParsedRow): string[] {
  if (row.raw !== '' && !row.raw.includes('\\u0000') && !row.raw.includes('\u0000')) return [];
  const out: string[] = [];
  const walk = (x: unknown, path: string) => {
    if (typeof x === 'string') {
      if (x.includes('\u0000')) out.push(path);
    } else if (Array.isArray(x)) {
      for (const [i, y] of x.entries()) walk(y, path === '' ? String(i) : `${path}.${i}`);
    } else if (typeof x === 'object' && x !== null) {
      for (const [k, v] of Object.entries(x)) walk(v, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(row.value, '');
  return out;
}

export function readRow(row: ParsedRow, cache: NormalizeCache): ReadRow {
  if (row.errors.length > 0 || row.value === null) {
    return { row: row.row, raw: row.raw, d: null, errors: row.errors.map((e) => ({ row: row.row, ...e })) };
  }
  const nul = nulFields(row);
  if (nul.length > 0) {
    return {
      row: row.row,
      raw: row.raw,
      d: null,
      errors: nul.map((field) => ({
        row: row.row,
        field,
        reason: 'contains the NUL character (U+0000), which cannot be stored',
        code: 'CONTROL_CHARACTER',
      })),
    };
  }
  try {
    return { row: row.row, raw: row.raw, d: normalizeDeclaration(row.value, { cache }), errors: [] };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const details = e.details.length > 0 ? e.details : [{ path: '', message: e.message }];
    return {
      row: row.row,
      raw: row.raw,
      d: null,
      errors: details.map((x) => ({
        row: row.row,
        field: x.path,
        reason: x.message,
        code: x.code ?? e.code,
      })),
    };
  }
}
