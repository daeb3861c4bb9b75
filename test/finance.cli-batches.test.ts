/**
 * `portshield finance import-payments FILE --as USER` and `portshield finance demo-next-batch --out FILE`
 * as a user runs them, on an embedded node seeded with the demo world. What the commands stored is read
 * back afterwards through the services, on the same data directory.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoNextBlocksHex } from '../src/demo/finance-demo.ts';
import { inspectBlock } from '../src/finance/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/logger.ts';
import { type NodeContext, openNode } from '../src/server/context.ts';
import { runCli } from './support/server-process.ts';

/** The real `portshield` command on an embedded node in `dataDir` (stdout apart; `output` has both). */
const cli = (dataDir: string, ...args: string[]) =>
  runCli(args, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: undefined });

const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').at(-1) as string) as T;

/** Opens the node of a data directory in-process (the CLI has exited and released it). */
async function withDataDir<T>(dataDir: string, fn: (ctx: NodeContext) => Promise<T>): Promise<T> {
  const ctx = await openNode(loadConfig({ DATA_DIR: dataDir }), { log: createLogger('silent') });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

describe('portshield finance import-payments and demo-next-batch', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ps-finance-cli-'));
  const dataDir = path.join(dir, 'data');

  beforeAll(async () => {
    const seeded = await cli(dataDir, 'demo', '--items', '0');
    expect(seeded.code, seeded.output).toBe(0);
  }, 240_000);

  it("imports payment records into the user's organisation and reports the bad row", async () => {
    const file = path.join(dir, 'payments.csv');
    writeFileSync(
      file,
      [
        'date,amount,currency,payer_name,payer_iban,payee_name,payee_iban,reference',
        '2026-02-01,12500.50,EUR,Schelde Fruit Import NV,BE68 5390 0754 7034,Frutas del Pacifico SA,NL91ABNA0417164300,INV-1',
        '2026-02-02,99,EUR,Bad Iban BV,BE68539007547035,Someone,NL91ABNA0417164300,',
        '2026-02-03,7000,usd,Schelde Fruit Import N.V.,BE68539007547034,Kanal Exchange,DE89370400440532013000,loan',
      ].join('\n'),
    );
    const r = await cli(dataDir, 'finance', 'import-payments', file, '--as', 'nl.fiu.analyst');
    expect(r.code, r.output).toBe(0);
    const report = lastJson<{ batchId: string; stored: number; quarantined: { path: string }[] }>(r.stdout);
    expect(report.stored).toBe(2);
    expect(report.quarantined.map((q) => q.path)).toEqual(['row 2.payer_iban']);

    await withDataDir(dataDir, async (ctx) => {
      const fiu = await ctx.identity.actorForUsername('nl.fiu.analyst');
      const mine = await ctx.finance.payments(fiu, { iban: 'BE68539007547034' });
      expect(mine.map((p) => [p.date, p.amount, p.currency, p.reference, p.batchId])).toEqual([
        ['2026-02-03', '7000', 'USD', 'loan', report.batchId],
        ['2026-02-01', '12500.50', 'EUR', 'INV-1', report.batchId],
      ]);
      // Another organisation's user finds none of them.
      const customs = await ctx.identity.actorForUsername('be.customs.analyst');
      expect(await ctx.finance.payments(customs, { iban: 'BE68539007547034' })).toEqual([]);
    });
  }, 180_000);

  it('fails with a clear error for an unknown user and stores nothing', async () => {
    const file = path.join(dir, 'one.csv');
    writeFileSync(
      file,
      'date,amount,currency,payer_name,payer_iban,payee_name,payee_iban\n2026-02-04,1,EUR,Nobody,GB82WEST12345698765432,X,NL91ABNA0417164300\n',
    );
    const r = await cli(dataDir, 'finance', 'import-payments', file, '--as', 'no.such.user');
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('error NOT_FOUND: No user no.such.user');
    await withDataDir(dataDir, async (ctx) => {
      const fiu = await ctx.identity.actorForUsername('nl.fiu.analyst');
      expect(await ctx.finance.payments(fiu, { iban: 'GB82WEST12345698765432' })).toEqual([]);
    });
  }, 120_000);

  it('writes the next demo batch to a file that checks as real blocks and imports into the demo ledger once', async () => {
    const file = path.join(dir, 'next.hex');
    const w = await cli(dataDir, 'finance', 'demo-next-batch', '--out', file);
    expect(w.code, w.output).toBe(0);
    expect(w.stdout).toBe('');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toEqual(demoNextBlocksHex());
    // Without --out the same batch goes to standard output.
    const printed = await cli(dataDir, 'finance', 'demo-next-batch');
    expect(printed.stdout.trim().split('\n')).toEqual(lines);
    for (const l of lines) expect(inspectBlock(Buffer.from(l, 'hex')).ok).toBe(true);

    const imported = await cli(dataDir, 'finance', 'import-blocks', file, '--as', 'be.customs.analyst');
    expect(imported.code, imported.output).toBe(0);
    expect(lastJson(imported.stdout)).toMatchObject({ blocks: 1, skipped: 0, transactions: 3 });
    const again = await cli(dataDir, 'finance', 'import-blocks', file, '--as', 'be.customs.analyst');
    expect(lastJson(again.stdout)).toMatchObject({ blocks: 0, skipped: 1 });
  }, 180_000);
});
