/**
 * Declaration files → DeclarationSchema input, row by row. CSV (RFC 4180: comma separated, fields
 * in double quotes may hold commas, quotes written twice and line breaks) and JSON Lines. A row
 * that cannot even be read becomes a row error (row, field, reason, code); the schema and the
 * identifiers are checked afterwards by `normalizeDeclaration`, which reports its own field paths.
 * The columns and fields are documented in docs/cargo-formats.md.
 */
import { AppError } from '../platform/errors.ts';

export type IngestFormat = 'csv' | 'jsonl';

export interface RowError {
  /** Field path in the declaration (`consignee.name`) or the CSV column, '' for the whole row. */
  field: string;
  reason: string;
  code: string;
}

export interface ParsedRow {
  /** CSV: spreadsheet row number (the header is row 1). JSON Lines: line number. */
  row: number;
  /** The row as written (kept with quarantined rows). */
  raw: string;
  /** DeclarationSchema input, or null when the row could not be read. */
  value: unknown;
  errors: RowError[];
}

/* ------------------------------------------------------------------------------------------ */
/* CSV records                                                                                  */
/* ------------------------------------------------------------------------------------------ */

export interface CsvRecord {
  /** Line where the record starts (1-based). */
  line: number;
  fields: string[];
  raw: string;
}

/**
 * Splits CSV text into records. Quoted fields may contain commas, line breaks and `""`; CRLF and
 * LF both end a record; a byte-order mark is skipped; empty lines are skipped. Throws
 * AppError VALIDATION_FAILED on a quote left open (the rest of the file cannot be read reliably).
 */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let recordLine = 1;
  let recordStart = 0;
  const endRecord = (end: number) => {
    fields.push(field);
    const empty = fields.length === 1 && fields[0] === '' && !fieldStarted;
    if (!empty) out.push({ line: recordLine, fields, raw: s.slice(recordStart, end) });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
      i++;
    } else if (c === '\n' || c === '\r') {
      const end = i;
      i += c === '\r' && s[i + 1] === '\n' ? 2 : 1;
      endRecord(end);
      line++;
      recordLine = line;
      recordStart = i;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) {
    throw new AppError('VALIDATION_FAILED', 'CSV: a quoted field is not closed', [
      {
        path: 'text',
        message: `the quote opened in the record of line ${recordLine} is never closed`,
        code: 'CSV_QUOTE',
      },
    ]);
  }
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord(s.length);
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* CSV columns                                                                                  */
/* ------------------------------------------------------------------------------------------ */

type ColumnType = 'string' | 'int' | 'number' | 'list';

interface Column {
  name: string;
  /** Path in DeclarationSchema input. */
  path: string;
  type: ColumnType;
  required: boolean;
}

const col = (name: string, path: string, type: ColumnType = 'string', required = false): Column => ({
  name,
  path,
  type,
  required,
});

const party = (prefix: string, required: boolean): Column[] => [
  col(`${prefix}_name`, `${prefix}.name`, 'string', required),
  col(`${prefix}_address`, `${prefix}.address`, 'string', required),
  col(`${prefix}_country`, `${prefix}.country`, 'string', required),
  col(`${prefix}_eori`, `${prefix}.eori`),
  col(`${prefix}_phone`, `${prefix}.phone`),
];

/** The CSV columns, in the documented order (docs/cargo-formats.md). Lists are `;`-separated. */
export const CSV_COLUMNS: readonly Column[] = [
  col('id', 'id', 'string', true),
  col('version', 'version', 'int'),
  col('carrier_scac', 'carrier.scac'),
  col('carrier_name', 'carrier.name'),
  col('vessel_imo', 'vessel.imo', 'string', true),
  col('vessel_name', 'vessel.name'),
  col('voyage', 'voyage', 'string', true),
  col('port_of_loading', 'route.loading', 'string', true),
  col('call_ports', 'route.callPorts', 'list'),
  col('transshipment_ports', 'route.transshipment', 'list'),
  col('port_of_discharge', 'route.discharge', 'string', true),
  col('first_entry_office', 'route.firstEntryOffice', 'string', true),
  col('booked_at', 'times.bookedAt', 'string', true),
  col('filed_at', 'times.filedAt', 'string', true),
  col('etd', 'times.etd'),
  col('eta', 'times.eta', 'string', true),
  col('container_number', 'container.number', 'string', true),
  col('container_size_type', 'container.sizeType', 'string', true),
  col('seals', 'container.seals', 'list'),
  col('master_bl', 'transportDocuments.masterBl', 'string', true),
  col('house_bl', 'transportDocuments.houseBl'),
  ...party('shipper', true),
  ...party('consignee', true),
  ...party('notify', false),
  col('goods_description', 'goods.description', 'string', true),
  col('hs_code', 'goods.hsCode', 'string', true),
  col('packages', 'goods.packages', 'int', true),
  col('gross_kg', 'goods.grossKg', 'number', true),
  col('value_amount', 'goods.value.amount', 'number'),
  col('value_currency', 'goods.value.currency'),
  col('freight_terms', 'freight.terms', 'string', true),
  ...party('payer', false).map((c) => ({ ...c, path: c.path.replace(/^payer\./, 'freight.payer.') })),
];

const BY_NAME = new Map(CSV_COLUMNS.map((c) => [c.name, c]));

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i] as string;
    let next = o[k];
    if (typeof next !== 'object' || next === null) {
      next = {};
      o[k] = next;
    }
    o = next as Record<string, unknown>;
  }
  o[parts[parts.length - 1] as string] = value;
}

function cellValue(c: Column, text: string): { value: unknown } | { error: RowError } {
  switch (c.type) {
    case 'string':
      return { value: text };
    case 'list':
      return {
        value: text
          .split(';')
          .map((x) => x.trim())
          .filter((x) => x !== ''),
      };
    case 'int':
    case 'number': {
      const n = Number(text.replace(/_/g, ''));
      if (!Number.isFinite(n) || (c.type === 'int' && !Number.isInteger(n))) {
        return {
          error: {
            field: c.path,
            reason: `column ${c.name}: '${text}' is not ${c.type === 'int' ? 'a whole number' : 'a number'}`,
            code: 'NOT_A_NUMBER',
          },
        };
      }
      return { value: n };
    }
  }
}

/**
 * CSV text (first record = header of column names, any order, unknown names refused) → rows.
 * Empty cells are left out (so optional fields stay absent); `version` defaults to 1 and the
 * list columns to empty lists. `lineOffset` is added to every row number (a slice of a file
 * carrying the file's header: the rows are numbered as in the file).
 */
export function csvRows(text: string, lineOffset = 0): ParsedRow[] {
  const records = parseCsv(text).map((r) => (lineOffset === 0 ? r : { ...r, line: r.line + lineOffset }));
  const header = records[0];
  if (header === undefined) return [];
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const problems = names.flatMap((n, i) =>
    BY_NAME.has(n)
      ? []
      : [{ path: `text.header[${i}]`, message: `unknown column '${n}'`, code: 'UNKNOWN_COLUMN' }],
  );
  for (const c of CSV_COLUMNS) {
    if (c.required && !names.includes(c.name))
      problems.push({ path: 'text.header', message: `missing column '${c.name}'`, code: 'MISSING_COLUMN' });
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n))
      problems.push({ path: 'text.header', message: `column '${n}' twice`, code: 'DUPLICATE_COLUMN' });
    seen.add(n);
  }
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', 'CSV header is not usable', problems);
  const columns = names.map((n) => BY_NAME.get(n) as Column);
  return records.slice(1).map((r) => {
    const errors: RowError[] = [];
    if (r.fields.length !== columns.length) {
      errors.push({
        field: '',
        reason: `${r.fields.length} fields where the header has ${columns.length}`,
        code: 'FIELD_COUNT',
      });
      return { row: r.line, raw: r.raw, value: null, errors };
    }
    const value: Record<string, unknown> = { version: 1, route: { callPorts: [], transshipment: [] } };
    setPath(value, 'container.seals', []);
    columns.forEach((c, i) => {
      const text = (r.fields[i] as string).trim();
      if (text === '') return;
      const v = cellValue(c, text);
      if ('error' in v) errors.push(v.error);
      else setPath(value, c.path, v.value);
    });
    return { row: r.line, raw: r.raw, value: errors.length > 0 ? null : value, errors };
  });
}

/**
 * JSON Lines, one row at a time: one declaration object per line; blank lines are skipped (they
 * keep their number; `lineOffset` is added to it, for a slice of a file). Lazily, so that a caller
 * reading each row as it comes keeps only what it made of it, and each line's parse tree is
 * garbage before the next line is parsed.
 */
export function* eachJsonlRow(text: string, lineOffset = 0): Generator<ParsedRow> {
  let start = 0;
  for (let line = 1 + lineOffset; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (raw.trim() === '') continue;
    try {
      yield { row: line, raw, value: JSON.parse(raw), errors: [] };
    } catch (e) {
      yield {
        row: line,
        raw,
        value: null,
        errors: [{ field: '', reason: `not JSON: ${(e as Error).message}`, code: 'MALFORMED_JSON' }],
      };
    }
  }
}

/** Rows with content in a JSON Lines text (blank lines do not count), without parsing them. */
export function jsonlRowCount(text: string): number {
  let n = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 13) {
        n++;
        break;
      }
    }
    start = end + 1;
  }
  return n;
}

/** JSON Lines: one declaration object per line; blank lines are skipped (they keep their number). */
export function jsonlRows(text: string): ParsedRow[] {
  return [...eachJsonlRow(text)];
}

export function parseDeclarationFile(format: IngestFormat, text: string, lineOffset = 0): ParsedRow[] {
  return format === 'csv' ? csvRows(text, lineOffset) : [...eachJsonlRow(text, lineOffset)];
}

/** Guesses the format of a file from its name (`.csv`, else JSON Lines). */
export function formatOfFile(name: string): IngestFormat {
  return name.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
}

function getPath(o: unknown, path: string): unknown {
  let x = o;
  for (const k of path.split('.')) {
    if (typeof x !== 'object' || x === null) return undefined;
    x = (x as Record<string, unknown>)[k];
  }
  return x;
}

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(';') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Declarations as CSV with every column (the inverse of `csvRows`; amendment trails are not carried). */
export function toCsv(declarations: readonly unknown[]): string {
  const lines = [CSV_COLUMNS.map((c) => c.name).join(',')];
  for (const d of declarations) lines.push(CSV_COLUMNS.map((c) => csvCell(getPath(d, c.path))).join(','));
  return `${lines.join('\n')}\n`;
}
