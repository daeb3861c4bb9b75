import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsedRows } from './declaration-reader.ts';
import { fileBatches } from './file-batches.ts';
import { CSV_COLUMNS, type IngestFormat, type ParsedRow, parseDeclarationFile } from './ingest.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ps-file-batches-'));
let files = 0;

/** Every row of the file through fileBatches, and the batches' row counts. */
async function viaBatches(text: string, format: IngestFormat, rowsPerBatch: number, chunkBytes: number) {
  const file = path.join(dir, `f${files++}.${format}`);
  writeFileSync(file, text);
  const rows: ParsedRow[] = [];
  const sizes: number[] = [];
  for await (const b of fileBatches(file, format, rowsPerBatch, chunkBytes)) {
    const got = [...parsedRows(b.input)];
    rows.push(...got);
    sizes.push(b.rows);
    expect(b.rows).toBe(got.length);
  }
  return { rows, sizes };
}

const cell = fc.oneof(
  fc.constantFrom('', 'NLRTM', '1', 'x'),
  fc.string({ unit: fc.constantFrom('a', 'é', '東', ',', '"', '\n', '\r\n', ' ', ';'), maxLength: 8 }),
);
const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

describe('fileBatches', () => {
  it('gives the rows of a JSON Lines file, numbered as in the file, whatever the chunk and batch sizes', async () => {
    const line = fc.oneof(
      fc.constantFrom('', '   ', '{oops', '{"id":"A"}', '{"name":"東京 é","n":1}', '[1,2]'),
      fc.json(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 25 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 40 }),
        async (lines, eol, trailing, perBatch, chunk) => {
          const text = lines.join(eol) + (trailing ? eol : '');
          const { rows, sizes } = await viaBatches(text, 'jsonl', perBatch, chunk);
          expect(rows).toEqual(parseDeclarationFile('jsonl', text));
          expect(sizes.every((n) => n <= perBatch)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the rows of a CSV file with quoted line breaks, numbered as in the file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(cell, cell, cell), { maxLength: 15 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 30 }),
        async (records, eol, bom, perBatch, chunk) => {
          // Every column (so the header is usable); three of them filled at random.
          const filler = ','.repeat(CSV_COLUMNS.length - 3);
          const body = [
            CSV_COLUMNS.map((c) => c.name).join(','),
            ...records.map((r) => r.map(quote).join(',') + filler),
          ].join(eol);
          const text = (bom ? '\uFEFF' : '') + body + eol;
          const { rows } = await viaBatches(text, 'csv', perBatch, chunk);
          const whole = parseDeclarationFile('csv', text);
          expect(rows.map((r) => [r.row, r.raw, r.value, r.errors])).toEqual(
            whole.map((r) => [r.row, r.raw, r.value, r.errors]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads a file larger than its chunks with multi-byte characters split across them', async () => {
    const lines = Array.from({ length: 500 }, (_, i) =>
      JSON.stringify({ i, name: `東京-ł-${'é'.repeat(i % 7)}` }),
    );
    const text = `${lines.join('\n')}\n`;
    const { rows, sizes } = await viaBatches(text, 'jsonl', 64, 7);
    expect(rows.map((r) => r.value)).toEqual(lines.map((l) => JSON.parse(l)));
    expect(rows.at(-1)?.row).toBe(500);
    expect(sizes).toEqual([...Array.from({ length: 7 }, () => 64), 52]);
  });
});
