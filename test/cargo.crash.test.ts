import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorld } from '../src/cargo/index.ts';
import { openDatabase } from '../src/platform/database.ts';
import { type Engine, engines, freshPostgresUrl } from './support/node.ts';
import {
  cliEnv,
  killAll,
  killHard,
  runCli,
  type ServerEnv,
  sleep,
  spawnCli,
  waitForOrphanSessions,
} from './support/server-process.ts';

/**
 * "Nothing is lost under a crash" for cargo ingest: `portshield cargo ingest` is SIGKILLed while
 * it writes a file batch after batch (the next batch read on a worker thread while the previous
 * one is written). On the same data afterwards: every batch is stored whole or not at all, the
 * batches stored are the file's first ones, the history counts exactly the declarations stored,
 * running the command again finishes the file, and the audit log verifies.
 */

const ANALYST = 'be.customs.analyst';
const BATCH = 1_000;
/** Rows of the file: enough batches that the kill lands mid-file, however fast the machine ingests. */
const ROWS = 40_000;
const BATCHES = ROWS / BATCH;
/** A demo seed, three CLI runs and an audit verification on a slow 2-core machine. */
const TEST_TIMEOUT = 300_000;
/** References of this test's declarations start with this (the demo's do not). */
const PREFIX = 'CRASH';

/** ROWS rows of a synthetic month (amendments included: a later row may amend an earlier one). */
function fileRows(): string[] {
  const rows: string[] = [];
  for (const d of createWorld({ seed: 77, declarations: ROWS, days: 40 }).declarations()) {
    rows.push(JSON.stringify({ ...d, id: `${PREFIX}${d.id}` }));
    if (rows.length === ROWS) break;
  }
  return rows;
}

/** The highest percentage the command has printed so far (its progress lines end "(NN%)"). */
function progressOf(output: string): number {
  return Math.max(0, ...[...output.matchAll(/\((\d+)%\)/g)].map((m) => Number(m[1])));
}

interface Stored {
  batches: Array<{ accepted: number; amended: number; quarantined: number }>;
  declarations: number;
  versions: number;
  observed: number;
  orgDeclarations: number;
}

async function stored(env: ServerEnv): Promise<Stored> {
  const database = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
  try {
    const db = database.db;
    const batches = await sql<{ accepted: number; amended: number; quarantined: number }>`
      select b.accepted, b.amended, b.quarantined from cargo_batches b
      join users u on u.id = b.author_id
      where u.username = ${ANALYST} and b.format = 'jsonl'
      order by b.created_at, b.id`.execute(db);
    const one = async (q: ReturnType<typeof sql<{ n: number }>>) =>
      Number((await q.execute(db)).rows[0]?.n ?? 0);
    return {
      batches: batches.rows,
      declarations: await one(
        sql<{
          n: number;
        }>`select count(*)::int as n from cargo_declarations where reference like ${`${PREFIX}%`}`,
      ),
      // Superseded versions have a row of their own; the current one is the declaration's row.
      versions:
        (await one(sql<{ n: number }>`select count(*)::int as n from cargo_declaration_versions v
          join cargo_declarations d on d.id = v.declaration_id where d.reference like ${`${PREFIX}%`}`)) +
        (await one(
          sql<{
            n: number;
          }>`select count(*)::int as n from cargo_declarations where reference like ${`${PREFIX}%`}`,
        )),
      observed: await one(sql<{ n: number }>`select coalesce(sum(observed), 0)::int as n from cargo_history`),
      orgDeclarations: await one(sql<{ n: number }>`select count(*)::int as n from cargo_declarations`),
    };
  } finally {
    await database.close();
  }
}

const tempDirs: string[] = [];
afterAll(async () => {
  await killAll();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

describe.each(engines())('cargo ingest under a crash (%s)', (engine: Engine) => {
  it(
    'a SIGKILL during `cargo ingest` keeps every batch whole or absent, history exact, and the file can be finished',
    async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), `portshield-cargo-crash-${engine}-`));
      tempDirs.push(dataDir);
      const env: ServerEnv = {
        dataDir,
        databaseUrl: engine === 'postgres' ? await freshPostgresUrl() : null,
        demoItems: 0,
      };
      const seeded = await runCli(['demo', '--items', '0'], cliEnv(env));
      expect(seeded.code, seeded.output).toBe(0);
      const rows = fileRows();
      const file = path.join(dataDir, 'declarations.jsonl');
      writeFileSync(file, rows.join('\n'));
      const references = new Set(rows.map((r) => (JSON.parse(r) as { id: string }).id));
      const before = await stored(env);

      // 1. Ingest the file; once a quarter of it is acknowledged, kill the command at a random
      //    moment within the next few batches.
      const ingest = spawnCli(
        ['cargo', 'ingest', file, '--as', ANALYST, '--batch', String(BATCH)],
        cliEnv(env),
      );
      for (let i = 0; progressOf(ingest.output()) < 25; i++) {
        if (ingest.hasExited()) throw new Error(`the ingest ended before the kill: ${ingest.output()}`);
        if (i > 6_000) throw new Error(`no progress: ${ingest.output()}`);
        await sleep(10);
      }
      await sleep(Math.floor(Math.random() * 300));
      const exit = await killHard(ingest);
      expect(exit.signal).toBe('SIGKILL');
      if (env.databaseUrl) await waitForOrphanSessions(env.databaseUrl);

      // 2. What is stored: whole batches of the file, in order, and a history that counts them.
      const after = await stored(env);
      const mine = after.batches.slice(before.batches.length);
      console.info(`[cargo-crash/${engine}] killed after ${mine.length} of ${BATCHES} batches were stored`);
      // Progress counts the bytes read for the stored batches (read ahead by at most a chunk).
      expect(mine.length).toBeGreaterThanOrEqual(BATCHES / 5);
      expect(mine.length).toBeLessThan(BATCHES);
      for (const b of mine) expect(b.accepted + b.amended + b.quarantined).toBe(BATCH);
      expect(mine.every((b) => b.quarantined === 0)).toBe(true);
      const accepted = mine.reduce((a, b) => a + b.accepted, 0);
      const amended = mine.reduce((a, b) => a + b.amended, 0);
      expect(after.declarations).toBe(accepted);
      expect(after.versions).toBe(accepted + amended);
      const firstRows = rows.slice(0, mine.length * BATCH);
      expect(after.declarations).toBe(
        new Set(firstRows.map((r) => (JSON.parse(r) as { id: string }).id)).size,
      );
      expect(after.observed).toBe(after.orgDeclarations);

      // 3. The same command again finishes the file.
      const again = await runCli(
        ['cargo', 'ingest', file, '--as', ANALYST, '--batch', String(BATCH)],
        cliEnv(env),
      );
      expect(again.code, again.output).toBe(0);
      const totals = JSON.parse(again.stdout.trim().split('\n').at(-1) ?? '{}') as {
        accepted: number;
        amended: number;
        unchanged: number;
        quarantined: number;
      };
      // Rows already stored are recognised as the same filing, not refused; only versions that a
      // stored amendment superseded are refused as not newer.
      const latest = new Map<string, number>();
      for (const r of firstRows) {
        const { id, version } = JSON.parse(r) as { id: string; version: number };
        latest.set(id, Math.max(version, latest.get(id) ?? 0));
      }
      const superseded = firstRows.filter((r) => {
        const { id, version } = JSON.parse(r) as { id: string; version: number };
        return version < (latest.get(id) ?? 0);
      }).length;
      expect(totals.quarantined).toBe(superseded);
      expect(totals.unchanged).toBe(firstRows.length - superseded);
      expect(totals.accepted + totals.amended + totals.unchanged + totals.quarantined).toBe(rows.length);
      const finished = await stored(env);
      expect(finished.declarations).toBe(references.size);
      expect(finished.observed).toBe(finished.orgDeclarations);

      // 4. The audit log, kill included, verifies.
      const verify = await runCli(['audit', 'verify'], cliEnv(env));
      expect(verify.code, verify.output).toBe(0);
    },
    TEST_TIMEOUT,
  );
});
