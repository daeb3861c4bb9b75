import { afterEach, describe, expect, it } from 'vitest';
import { DeclarationReader } from './declaration-reader.ts';
import { parseDeclarationFile } from './ingest.ts';
import { createWorld } from './synthetic.ts';

/** 1,200 declarations as JSON Lines, with an unreadable line and an invalid container number. */
function batchText(): string {
  const lines = [...createWorld({ seed: 11, declarations: 1_200, days: 30 }).declarations()].map((d) =>
    JSON.stringify(d),
  );
  lines[10] = '{"id": "broken';
  const bad = JSON.parse(lines[20] ?? '{}') as { container: { number: string } };
  bad.container.number = 'MSCU1234560';
  lines[20] = JSON.stringify(bad);
  return lines.join('\n');
}

const readers: DeclarationReader[] = [];
const reader = (workerMinRows: number) => {
  const r = new DeclarationReader({ workerMinRows });
  readers.push(r);
  return r;
};
afterEach(async () => {
  for (const r of readers.splice(0)) await r.close();
});

describe('DeclarationReader', () => {
  const text = batchText();
  const inThread = () => reader(Number.POSITIVE_INFINITY).readHere({ format: 'jsonl', text });

  it('reads a large batch on its worker thread exactly as in the calling thread', async () => {
    const expected = inThread();
    expect(expected).toHaveLength(1_200);
    expect(expected[10]?.errors[0]?.code).toBeDefined();
    expect(expected[20]?.errors.map((e) => e.field)).toContain('container.number');
    expect(expected.filter((r) => r.d !== null)).toHaveLength(1_198);

    const threaded = reader(100);
    const fromText = await threaded.read({ format: 'jsonl', text });
    expect(threaded.threaded).toBe(true);
    // The worker also hands over each declaration as JSON, so the service need not stringify it.
    for (const r of fromText) expect(r.body).toBe(r.d === null ? undefined : JSON.stringify(r.d));
    const withoutBodies = (rows: typeof fromText) => rows.map(({ body: _, ...r }) => r);
    expect(withoutBodies(fromText)).toEqual(expected);
    const fromRows = await threaded.read({ rows: parseDeclarationFile('jsonl', text) });
    expect(withoutBodies(fromRows)).toEqual(expected);
  });

  it('reads a small batch in the calling thread without starting a worker', async () => {
    const r = reader(5_000);
    const rows = await r.read({ format: 'jsonl', text });
    expect(r.threaded).toBe(false);
    expect(rows).toEqual(inThread());
  });

  it('lets the event loop turn while it reads a large batch in the calling thread', async () => {
    const r = reader(Number.POSITIVE_INFINITY);
    // A ticker on the check phase of the event loop: it runs only when the reader lets the loop turn.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const rows = await r.read({ format: 'jsonl', text });
    ticking = false;
    expect(rows).toEqual(inThread());
    expect(turns).toBeGreaterThan(0);
  });

  it('numbers the rows of a slice of a file as in the file', async () => {
    const r = reader(Number.POSITIVE_INFINITY);
    const rows = await r.read({ format: 'jsonl', text, lineOffset: 4_000 });
    expect(rows[10]).toMatchObject({ row: 4_011, d: null });
    expect(rows.at(-1)?.row).toBe(5_200);
  });

  it('reads a batch again in the calling thread when the worker dies holding it', async () => {
    const r = reader(100);
    await r.read({ format: 'jsonl', text: text.split('\n').slice(0, 200).join('\n') }); // worker started
    const pending = r.read({ format: 'jsonl', text });
    // The worker is killed while it holds the batch.
    await (r as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    expect((await pending).map((x) => x.d)).toEqual(inThread().map((x) => x.d));
    // The next large batch starts a new worker.
    expect((await r.read({ format: 'jsonl', text })).map((x) => x.d)).toEqual(inThread().map((x) => x.d));
    expect(r.threaded).toBe(true);
  });

  it('refuses a file of more rows than allowed, on the worker and in the calling thread alike', async () => {
    for (const r of [reader(100), reader(Number.POSITIVE_INFINITY)]) {
      await expect(r.read({ format: 'jsonl', text, maxRows: 1_199 })).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
      });
      expect(await r.read({ format: 'jsonl', text, maxRows: 1_200 })).toHaveLength(1_200);
    }
  });

  it('keeps reading in the calling thread once closed', async () => {
    const r = reader(100);
    await r.read({ format: 'jsonl', text });
    await r.close();
    expect(await r.read({ format: 'jsonl', text })).toEqual(inThread());
    expect(r.threaded).toBe(false);
  });
});
