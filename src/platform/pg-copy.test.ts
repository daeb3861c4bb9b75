import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, engines, openTestDatabase } from '../../test/support/node.ts';
import type { Database } from './database.ts';
import { BinaryCopyWriter, copyIn, copyStatement } from './pg-copy.ts';

interface Row {
  id: string;
  n: number | null;
  x: number | null;
  t: string | null;
  at: number | null;
  ok: boolean | null;
  tags: string[] | null;
}

const COLUMNS = ['id', 'n', 'x', 't', 'at', 'ok', 'tags'];

function encode(w: BinaryCopyWriter, r: Row): void {
  w.row(7);
  w.uuid(r.id);
  w.int4(r.n);
  w.float8(r.x);
  w.text(r.t);
  w.timestamptz(r.at);
  w.bool(r.ok);
  w.textArray(r.tags);
}

const uuidArb = fc.uuid();
/** Text PostgreSQL accepts: any Unicode but NUL (and no lone surrogates, which UTF-8 cannot carry). */
const textArb = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\u0000'));
const rowArb: fc.Arbitrary<Row> = fc.record({
  id: uuidArb,
  n: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  x: fc.option(fc.double({ noNaN: true, noDefaultInfinity: false })),
  t: fc.option(textArb),
  // Whole milliseconds from year 1900 to 2200 (timestamptz keeps microseconds).
  at: fc.option(fc.integer({ min: -2_208_988_800_000, max: 7_258_118_400_000 })),
  ok: fc.option(fc.boolean()),
  tags: fc.option(fc.array(textArb, { maxLength: 5 })),
});

describe.each(engines())('binary COPY on %s', (engine: Engine) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await sql`create table copy_t (id uuid primary key, n int, x float8, t text, at timestamptz, ok boolean,
      tags text[])`.execute(database.db);
  });
  afterAll(() => database.close());

  async function roundTrip(rows: Row[]): Promise<Row[]> {
    await sql`truncate copy_t`.execute(database.db);
    const stored = await database.db.transaction().execute(async (tx) => {
      const copy = copyIn(tx, 'copy_t', COLUMNS);
      const w = new BinaryCopyWriter();
      for (const [i, r] of rows.entries()) {
        encode(w, r);
        if (i % 7 === 0) await copy.push(w.take());
      }
      return copy.end(w.end());
    });
    expect(stored).toBe(rows.length);
    const back = await sql<{
      id: string;
      n: number | null;
      x: number | null;
      t: string | null;
      at: Date | null;
      ok: boolean | null;
      tags: string[] | null;
    }>`select * from copy_t`.execute(database.db);
    const byId = new Map(back.rows.map((r) => [r.id, r]));
    return rows.map((r) => {
      const b = byId.get(r.id.toLowerCase());
      if (b === undefined) throw new Error(`row ${r.id} missing`);
      return { ...b, at: b.at === null ? null : b.at.getTime() };
    });
  }

  it('stores every type as the writer encoded it, NULLs and edge values included', async () => {
    const rows: Row[] = [
      {
        id: '00000000-0000-4000-8000-000000000001',
        n: -(2 ** 31),
        x: -0.5,
        t: 'tab\tnew\nline back\\slash "quote" ✓ 東京 𝄞',
        at: Date.parse('1999-12-31T23:59:59.999Z'),
        ok: true,
        tags: ['a,b', '{brace}', '"q"', '\\', ''],
      },
      {
        id: 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
        n: 2 ** 31 - 1,
        x: Number.POSITIVE_INFINITY,
        t: '',
        at: Date.parse('2026-12-06T10:00:00.123Z'),
        ok: false,
        tags: [],
      },
      {
        id: '00000000-0000-4000-8000-000000000003',
        n: null,
        x: null,
        t: null,
        at: null,
        ok: null,
        tags: null,
      },
    ];
    const back = await roundTrip(rows);
    expect(back).toEqual(rows.map((r) => ({ ...r, id: r.id.toLowerCase() })));
  });

  it('round-trips random rows, across buffer boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(rowArb, { selector: (r) => r.id, maxLength: 60 }), async (rows) => {
        const back = await roundTrip(rows);
        expect(back).toEqual(rows.map((r) => ({ ...r, id: r.id.toLowerCase() })));
      }),
      { numRuns: engine === 'pglite' ? 30 : 60 },
    );
    // Values larger than a buffer, and rows spanning many buffers.
    const big = 'x'.repeat(1_500_000);
    const many = Array.from({ length: 3000 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      n: i,
      x: i / 3,
      t: i === 5 ? big : `row ${i} ${'é'.repeat(i % 700)}`,
      at: i * 1000,
      ok: i % 2 === 0,
      tags: i % 3 === 0 ? [] : [`t${i}`, 'ü'.repeat(i % 400)],
    }));
    const back = await roundTrip(many);
    expect(back).toEqual(many);
  });

  it('fails the transaction on a rejected row and leaves the connection usable', async () => {
    await sql`truncate copy_t`.execute(database.db);
    const id = '00000000-0000-4000-8000-00000000abcd';
    const row: Row = { id, n: 1, x: 1, t: 'a', at: 0, ok: true, tags: [] };
    const attempt = database.db.transaction().execute(async (tx) => {
      await sql`insert into copy_t (id) values (${id}::uuid)`.execute(tx);
      const copy = copyIn(tx, 'copy_t', COLUMNS);
      const w = new BinaryCopyWriter();
      encode(w, row);
      return copy.end(w.end());
    });
    await expect(attempt).rejects.toMatchObject({ code: '23505' });
    const n = await sql<{ n: number }>`select count(*)::int as n from copy_t`.execute(database.db);
    expect(n.rows[0]?.n).toBe(0);
  });

  it('refuses names that are not plain identifiers', () => {
    expect(() => copyStatement('copy_t; drop table x', ['id'])).toThrow(/identifier/);
    expect(() => copyStatement('copy_t', ['id"'])).toThrow(/identifier/);
  });
});

describe('JSON pieces of a text field', () => {
  it('write numbers and strings exactly as JSON.stringify does', () => {
    const numbers = [0, 7, 10, 99_999_999, 100_000_000, 100_000_001, 1_733_480_000_000, 2 ** 53 - 1, -5, 1.5];
    const strings = [
      '',
      'plain',
      'a'.repeat(30),
      'quote " and \\ back',
      'é ł 東京 𝄞',
      '\u0000\u001f\u2028',
      `${'x'.repeat(40)}"`,
    ];
    const w = new BinaryCopyWriter();
    w.beginText();
    for (const x of [...numbers, Number.NaN, Number.POSITIVE_INFINITY]) {
      w.jsonNumber(x);
      w.raw(new Uint8Array([0x2c]));
    }
    for (const s of strings) {
      w.jsonString(s);
      w.raw(new Uint8Array([0x2c]));
    }
    w.endText();
    const all = Buffer.concat(w.end());
    const text = all.subarray(23, 23 + all.readInt32BE(19)).toString('utf8');
    const expected =
      [...numbers, null, null].map((x) => JSON.stringify(x)).join(',') +
      ',' +
      strings.map((s) => JSON.stringify(s)).join(',') +
      ',';
    expect(text).toBe(expected);
  });
});
