import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { bananaInput, buildInput } from './cargo.fixtures.ts';
import { DeclarationSchema } from './cargo.schema.ts';
import { CSV_COLUMNS, csvRows, jsonlRows, parseCsv, toCsv } from './ingest.ts';

describe('parseCsv', () => {
  it('splits plain and quoted fields, doubled quotes, embedded commas and line breaks', () => {
    const r = parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\n2,"two\nlines",\n');
    expect(r.map((x) => x.fields)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
    ]);
    expect(r.map((x) => x.line)).toEqual([1, 2, 3]);
    expect(r[2]?.raw).toBe('2,"two\nlines",');
  });

  it('skips a byte-order mark and empty lines, keeps the last record without a newline', () => {
    const r = parseCsv('\uFEFFa,b\n\n1,2');
    expect(r.map((x) => x.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(r[1]?.line).toBe(3);
  });

  it('keeps a record of one quoted empty field and refuses an open quote', () => {
    expect(parseCsv('""\n').map((x) => x.fields)).toEqual([['']]);
    expect(() => parseCsv('a\n"open\n')).toThrow(AppError);
  });
});

describe('csvRows', () => {
  it('round-trips declarations through toCsv into valid schema input', () => {
    const ds = [buildInput(), bananaInput((d) => (d.consignee.name = 'Fruit, "Best" & Co NV'))];
    const rows = csvRows(toCsv(ds));
    expect(rows).toHaveLength(2);
    for (const [i, r] of rows.entries()) {
      expect(r.errors).toEqual([]);
      const parsed = DeclarationSchema.parse(r.value);
      const original = DeclarationSchema.parse(ds[i]);
      expect(parsed).toEqual(original);
    }
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
  });

  it('reports unreadable numbers and wrong field counts per row', () => {
    const text = toCsv([buildInput()]).replace(',400,', ',four hundred,');
    const lines = text.trimEnd().split('\n');
    const rows = csvRows(`${lines.join('\n')}\n1,2,3\n`);
    expect(rows[0]?.errors).toEqual([
      {
        field: 'goods.packages',
        reason: "column packages: 'four hundred' is not a whole number",
        code: 'NOT_A_NUMBER',
      },
    ]);
    expect(rows[0]?.value).toBeNull();
    expect(rows[1]?.errors[0]).toMatchObject({ field: '', code: 'FIELD_COUNT' });
  });

  it('refuses a header with unknown, missing or repeated columns', () => {
    const e = (() => {
      try {
        csvRows('id,colour,id\n');
      } catch (x) {
        return x as AppError;
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('VALIDATION_FAILED');
    const codes = e.details.map((d) => d.code);
    expect(codes).toContain('UNKNOWN_COLUMN');
    expect(codes).toContain('MISSING_COLUMN');
    expect(codes).toContain('DUPLICATE_COLUMN');
  });

  it('documents every column', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/cargo-formats.md', import.meta.url), 'utf8');
    for (const c of CSV_COLUMNS) expect(doc, c.name).toContain(`\`${c.name}\``);
  });
});

describe('jsonlRows', () => {
  it('numbers rows by line, skipping blank lines, and flags lines that are not JSON', () => {
    const rows = jsonlRows(`${JSON.stringify(buildInput())}\n\n{oops\r\n`);
    expect(rows.map((r) => r.row)).toEqual([1, 3]);
    expect(rows[1]?.errors[0]).toMatchObject({ field: '', code: 'MALFORMED_JSON' });
    expect(rows[1]?.raw).toBe('{oops');
  });
});
