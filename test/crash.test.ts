import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { containerRemainder } from '../src/identifiers/container.ts';
import { openDatabase } from '../src/platform/database.ts';
import { type Engine, engines, freshPostgresUrl } from './support/node.ts';
import {
  call,
  cliEnv,
  type HttpSession,
  killAll,
  killHard,
  loginDemo,
  runCli,
  type ServerEnv,
  sleep,
  startServer,
  stopGracefully,
  waitForOrphanSessions,
} from './support/server-process.ts';

/**
 * "Nothing is lost under a crash" (DESIGN.md, rule 5): the real server is SIGKILLed in the middle
 * of a bulk import of 100,000 observables. After a restart on the same data, every acknowledged
 * batch is there in full, no batch is there in part, the import can be finished, and the audit
 * log still verifies.
 */

/**
 * 10 × 10,000: a batch is stored in two INSERT statements (the store chunks at 5,000 rows), so
 * only the transaction around the batch keeps a crash from leaving half of one.
 */
const BATCHES = 10;
const BATCH_SIZE = 10_000;
const ANALYST = 'be.customs.analyst';
/** Three server starts, 100,000 observables and a full audit verification, on a slow 2-core CI machine. */
const TEST_TIMEOUT = 300_000;

/**
 * Batch `b` holds 10,000 valid ISO 6346 container numbers whose owner code names the batch
 * (PSA for batch 0, PSB for batch 1…), so a stored row tells which batch it came from.
 * Serials whose remainder is 10 are skipped (ISO 6346 advises against issuing them).
 */
function batchValues(b: number): string[] {
  const out: string[] = [];
  for (let n = 0; out.length < BATCH_SIZE; n++) {
    const first10 = `PS${batchLetter(b)}U${String(n).padStart(6, '0')}`;
    const r = containerRemainder(first10);
    if (r !== 10) out.push(`${first10}${r}`);
  }
  return out;
}

const batchLetter = (b: number) => String.fromCharCode(65 + b);
const batchOf = (normalized: string) => normalized.charCodeAt(2) - 65;

/** A small seeded generator, so a failing run can be replayed with CRASH_SEED. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function sendBatch(s: HttpSession, itemId: string, b: number) {
  const res = await call(s, 'POST', `/api/items/${itemId}/observables`, {
    observables: batchValues(b).map((value) => ({ type: 'container', value })),
  });
  return res;
}

/** Counts of observables per batch, read through the API. */
async function countsViaApi(s: HttpSession, itemId: string): Promise<Map<number, number>> {
  const res = await call(s, 'GET', `/api/items/${itemId}`);
  expect(res.status, res.body.slice(0, 500)).toBe(200);
  const item = res.json<{ observables: { type: string; normalized: string }[] }>();
  const counts = new Map<number, number>();
  for (const o of item.observables) {
    expect(o.type).toBe('container');
    const b = batchOf(o.normalized);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return counts;
}

/** The alteration records of the item: one per committed batch, written in the same transaction. */
async function batchAuditRecords(s: HttpSession, itemId: string): Promise<number[]> {
  const res = await call(s, 'GET', `/api/items/${itemId}/audit`);
  expect(res.status, res.body.slice(0, 500)).toBe(200);
  const { records } = res.json<{ records: { action: string; details: Record<string, unknown> }[] }>();
  return records
    .filter((r) => r.action === 'alteration' && 'observablesAdded' in r.details)
    .map((r) => Number(r.details.observablesAdded));
}

/** Counts per batch read straight from the stopped node's database. */
async function countsInDatabase(e: ServerEnv, itemId: string): Promise<Map<number, number>> {
  const database = await openDatabase({ databaseUrl: e.databaseUrl, dataDir: e.dataDir });
  try {
    const { rows } = await sql<{ batch: string; n: number }>`
      select substring(normalized from 3 for 1) as batch, count(*) as n
      from observables where item_id = ${itemId} group by 1`.execute(database.db);
    return new Map(rows.map((r) => [batchOf(`PS${r.batch}`), Number(r.n)]));
  } finally {
    await database.close();
  }
}

function expectComplete(counts: Map<number, number>, label: string) {
  for (const [b, n] of counts) expect(n, `${label}: batch ${b}`).toBe(BATCH_SIZE);
}

const tempDirs: string[] = [];

afterAll(async () => {
  await killAll();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

describe.each(engines())('nothing is lost under a crash (%s)', (engine: Engine) => {
  it(
    'a SIGKILL during a bulk import of 100,000 observables loses no acknowledged batch and leaves no partial one',
    async () => {
      const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const random = rng(seed);
      const dataDir = mkdtempSync(path.join(os.tmpdir(), `portshield-crash-${engine}-`));
      tempDirs.push(dataDir);
      const env: ServerEnv = {
        dataDir,
        databaseUrl: engine === 'postgres' ? await freshPostgresUrl() : null,
        demoItems: 0,
      };

      // 1. A node with the demo world; an item to import into.
      let server = await startServer(env, { demo: true });
      let session = await loginDemo(server.base, ANALYST);
      const created = await call(session, 'POST', '/api/items', {
        kind: 'report',
        title: 'Container list from the Guayaquil consolidation (bulk import)',
        body: '',
        marking: { tlp: 'AMBER', handlingCode: null, sourceReliability: null, infoCredibility: null },
        distribution: { orgs: [], users: [], communities: [], node: false },
        personalData: null,
        observables: [],
      });
      expect(created.status, created.body).toBe(201);
      const itemId = created.json<{ item: { id: string } }>().item.id;

      // 2. Batches one after the other; after a random number of acknowledgements, kill the
      //    server a random moment after the next batch is sent.
      const killAfter = 2 + Math.floor(random() * 5); // 2..6 acknowledged batches first
      const acknowledged = new Set<number>();
      const latencies: number[] = [];
      let next = 0;
      for (; next < killAfter; next++) {
        const started = performance.now();
        const res = await sendBatch(session, itemId, next);
        expect(res.status, res.body.slice(0, 500)).toBe(200);
        expect(res.json<{ accepted: number; rejected: unknown[] }>()).toMatchObject({
          accepted: BATCH_SIZE,
          rejected: [],
        });
        latencies.push(performance.now() - started);
        acknowledged.add(next);
      }
      const inFlight = next++;
      const typical = latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)] ?? 0;
      // Somewhere in the request's usual life (parsing, validation, the transaction, the answer);
      // the transaction takes most of it. A slow batch can still be answered before the kill.
      const delay = Math.round(typical * (0.05 + 0.95 * random()));
      const pending = sendBatch(session, itemId, inFlight).then(
        (res) => ({ ok: true as const, res }),
        (err: unknown) => ({ ok: false as const, err }),
      );
      await sleep(delay);
      const exit = await killHard(server);
      expect(exit.signal).toBe('SIGKILL');
      const outcome = await pending;
      // An answer that arrived before the kill is an acknowledgement like any other.
      if (outcome.ok && outcome.res.status === 200) {
        expect(outcome.res.json<{ accepted: number }>().accepted).toBe(BATCH_SIZE);
        acknowledged.add(inFlight);
      }

      // 3. Restart on the same data: the dead process's lock is taken over, the node recovers.
      if (env.databaseUrl) await waitForOrphanSessions(env.databaseUrl);
      server = await startServer(env);
      if (engine === 'pglite') {
        expect(readFileSync(path.join(dataDir, 'portshield.lock'), 'utf8').trim()).toBe(String(server.pid));
      }
      session = await loginDemo(server.base, ANALYST);

      const afterCrash = await countsViaApi(session, itemId);
      console.info(
        `[crash/${engine}] seed=${seed}: killed ${delay} ms into batch ${inFlight} ` +
          `(median batch ${Math.round(typical)} ms) after ${killAfter} acknowledged; the in-flight batch ` +
          `${acknowledged.has(inFlight) ? 'was acknowledged' : 'got no answer'}; ` +
          `${afterCrash.get(inFlight) ?? 0} of ${BATCH_SIZE} observables are stored after the restart`,
      );
      expectComplete(afterCrash, 'after the crash');
      for (const b of acknowledged) expect(afterCrash.get(b), `acknowledged batch ${b}`).toBe(BATCH_SIZE);
      for (const b of afterCrash.keys())
        expect(acknowledged.has(b) || b === inFlight, `batch ${b}`).toBe(true);
      // Each batch present came with its audit record, and no other batch has one.
      expect(await batchAuditRecords(session, itemId)).toEqual(
        Array.from({ length: afterCrash.size }, () => BATCH_SIZE),
      );

      // 4. Finish the import: send what is missing (the in-flight batch if it was lost).
      for (let b = 0; b < BATCHES; b++) {
        if (afterCrash.has(b)) continue;
        const res = await sendBatch(session, itemId, b);
        expect(res.status, res.body.slice(0, 500)).toBe(200);
        expect(res.json<{ accepted: number }>().accepted).toBe(BATCH_SIZE);
      }
      const finished = await countsViaApi(session, itemId);
      expect(finished.size).toBe(BATCHES);
      expectComplete(finished, 'after finishing');
      expect(await batchAuditRecords(session, itemId)).toHaveLength(BATCHES);

      // 5. A graceful stop; what is on disk is the whole import, batch by batch.
      expect(await stopGracefully(server)).toEqual({ code: 0, signal: null });
      const stored = await countsInDatabase(env, itemId);
      expect([...stored.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: BATCHES }, (_, i) => i));
      expectComplete(stored, 'on disk');

      // 6. The audit log, kill included, still verifies against its signed heads.
      const verify = await runCli(['audit', 'verify'], cliEnv(env));
      expect(verify.code, verify.output).toBe(0);
      const report = JSON.parse(verify.stdout.slice(verify.stdout.indexOf('{'))) as {
        ok: boolean;
        problems: unknown[];
      };
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
    },
    TEST_TIMEOUT,
  );
});
