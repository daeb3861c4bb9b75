/**
 * Cargo ingest throughput: declarations per second through the whole service path — JSON Lines
 * parsed, validated, normalised, scored against the organisation's history, rules, watchlists and
 * shared intelligence, and stored (declaration, version with its score, batch, history, audit record) —
 * by CargoService.ingestBatches in batches of BATCH rows, as the CLI ingests a file: each batch its
 * own transaction, committed in order, the next batch read while the previous one is written.
 *
 * Goals (issue "Cargo targeting"): ≥ 20,000 declarations/s into a PostgreSQL server and ≥ 5,000/s
 * into the embedded PGlite. The PostgreSQL server is a throw-away one started like the tests'
 * (test/support/postgres-server.ts: fsync off); the declarations come from the synthetic world,
 * turned into JSON Lines before the clock starts. The first batches (WARM) fill the history and are
 * not timed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Actor } from '../src/access/index.ts';
import { createWorld } from '../src/cargo/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openPglite, openPostgres } from '../src/platform/database.ts';
import { createLogger } from '../src/platform/logger.ts';
import { type NodeContext, openNode } from '../src/server/context.ts';
import { type PgServer, startPgServer } from '../test/support/postgres-server.ts';
import { seedIntel } from './cargo-ingest-intel.ts';
import { treeCpuSeconds } from './cpu-time.ts';
import { type Figure, isQuick, machineDescription, percentile, printFigures } from './report.ts';

const BENCH = 'cargo-ingest';
const BATCH = 5_000;
const WARM = 2;
const SIZE = { postgres: isQuick ? 40_000 : 400_000, pglite: isQuick ? 20_000 : 100_000 };
const GOAL = { postgres: 20_000, pglite: 5_000 };

const figures: Figure[] = [];
const closers: (() => Promise<unknown>)[] = [];
const pg: { server: PgServer | null } = { server: null };

async function customsActor(ctx: NodeContext): Promise<Actor> {
  const orgId = '00000000-0000-4000-8000-00000000c001';
  await ctx.identity.seedOrg({
    id: orgId,
    name: 'Bench customs',
    country: 'BE',
    sector: 'public',
    kind: 'customs',
  });
  await ctx.identity.createUser(null, {
    username: 'bench.customs',
    displayName: 'Bench customs analyst',
    orgId,
    roles: ['analyst'],
    password: 'bench-password-not-used',
    locale: 'en',
  });
  return ctx.identity.actorForUsername('bench.customs');
}

/** Shared items in the node (ten observables each) that every batch's intelligence look-up probes. */
const INTEL_ITEMS = { postgres: isQuick ? 20_000 : 100_000, pglite: isQuick ? 5_000 : 20_000 };

/** The world's declarations as JSON Lines batches (made before timing), and the containers it flags to intelligence. */
function batchesOf(count: number): { texts: string[]; flagged: string[] } {
  const world = createWorld({ seed: 20261122, declarations: count, days: 365 });
  const out: string[] = [];
  let lines: string[] = [];
  for (const d of world.declarations()) {
    lines.push(JSON.stringify(d));
    if (lines.length === BATCH) {
      out.push(lines.join('\n'));
      lines = [];
    }
  }
  if (lines.length > 0) out.push(lines.join('\n'));
  const flagged = [...world.intel].filter(([, v]) => v.observableType === 'container').map(([k]) => k);
  return { texts: out, flagged };
}

async function measure(engine: 'postgres' | 'pglite', ctx: NodeContext, count: number): Promise<void> {
  const actor = await customsActor(ctx);
  const t0 = performance.now();
  const { texts: batches, flagged } = batchesOf(count + WARM * BATCH);
  console.log(
    `  · ${engine}: ${batches.length} batches of ${BATCH} generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const t1 = performance.now();
  const intel = await seedIntel(ctx, INTEL_ITEMS[engine], flagged);
  console.log(
    `  · ${engine}: shared intelligence: ${INTEL_ITEMS[engine].toLocaleString('en-GB')} items, ${intel.observables.toLocaleString('en-GB')} observables (${intel.hits} of the world's containers) in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
  );
  for (const text of batches.slice(0, WARM)) {
    const report = await ctx.cargo.ingestBatch(actor, 'jsonl', text);
    if (report.quarantined > 0) throw new Error(`${report.quarantined} rows quarantined while warming up`);
  }
  // Timed: the rest, as the CLI ingests a file: batches in order, each read (parsed, validated,
  // normalised, looked up in shared intelligence) while the previous one is being written.
  const times: number[] = [];
  let timed = 0;
  const start = performance.now();
  let last = start;
  const texts = batches.slice(WARM).map((text) => ({ format: 'jsonl' as const, text }));
  const spent: Record<string, number> = {};
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const serverBefore = engine === 'postgres' ? treeCpuSeconds(pg.server?.pid) : null;
  await ctx.cargo.ingestBatches(actor, 'jsonl', texts, (report, _rows, timings) => {
    if (report.quarantined > 0) throw new Error(`${report.quarantined} rows quarantined`);
    for (const [k, v] of Object.entries(timings)) spent[k] = (spent[k] ?? 0) + v;
    const now = performance.now();
    times.push(now - last);
    last = now;
    timed += report.accepted + report.amended;
  });
  const elapsed = performance.now() - start;
  const elu = performance.eventLoopUtilization(eluBefore);
  // CPU spent per declaration: this process (all its threads; PGlite runs inside it) and the
  // PostgreSQL server's processes. Their sum, spread over the machine's cores, bounds the rate.
  const cpu = process.cpuUsage(cpuBefore);
  const nodeUs = (cpu.user + cpu.system) / timed;
  const serverAfter = engine === 'postgres' ? treeCpuSeconds(pg.server?.pid) : null;
  const serverUs =
    serverBefore !== null && serverAfter !== null ? ((serverAfter - serverBefore) * 1e6) / timed : 0;
  const cores = os.cpus().length;
  console.log(
    `  · ${engine}: CPU per declaration: node ${nodeUs.toFixed(0)} µs (all threads)` +
      (engine === 'postgres' ? `, PostgreSQL server ${serverUs.toFixed(0)} µs` : '') +
      `; with ${cores} cores fully used, at most ${Math.round((cores * 1e6) / (nodeUs + serverUs)).toLocaleString('en-GB')} decl/s; ` +
      `the node's thread was busy ${(elu.utilization * 100).toFixed(0)} % of the time`,
  );
  console.log(
    `  · ${engine}: where a batch's time goes (mean ms; normalise and intel overlap the previous batch's transaction): ${Object.entries(
      spent,
    )
      .map(([k, v]) => `${k} ${(v / times.length).toFixed(0)}`)
      .join(', ')}`,
  );
  const rate = timed / (elapsed / 1000);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `  · ${engine}: ${timed.toLocaleString('en-GB')} declarations in ${(elapsed / 1000).toFixed(1)} s; ` +
      `one batch every ${percentile(sorted, 50).toFixed(0)} ms (p50), p95 ${percentile(sorted, 95).toFixed(0)} ms; ` +
      `goal ${GOAL[engine].toLocaleString('en-GB')}/s: ${rate >= GOAL[engine] ? 'met' : 'MISSED'}`,
  );
  const label = engine === 'postgres' ? 'PostgreSQL' : 'PGlite';
  figures.push(
    {
      bench: BENCH,
      metric: `ingest+score+store into ${label}`,
      value: Math.round(rate),
      unit: 'decl/s',
      peer: null,
      peerValue: null,
      lowerIsBetter: false,
    },
    {
      bench: BENCH,
      metric: `${label}: time per batch of ${BATCH}, p50`,
      value: Math.round(percentile(sorted, 50)),
      unit: 'ms',
      peer: null,
      peerValue: null,
      lowerIsBetter: true,
    },
    {
      bench: BENCH,
      metric: `${label}: CPU per declaration, node (all threads)${engine === 'postgres' ? ' + server' : ''}`,
      value: Math.round(nodeUs + serverUs),
      unit: 'µs',
      peer: null,
      peerValue: null,
      lowerIsBetter: true,
    },
  );
}

async function open(engine: 'postgres' | 'pglite'): Promise<NodeContext> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portshield-bench-'));
  closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const config = {
    ...loadConfig({}),
    dataDir,
    logLevel: 'silent',
    ...(engine === 'postgres' && pg.server ? { databaseUrl: pg.server.url } : {}),
  };
  const database =
    engine === 'postgres' && pg.server ? await openPostgres(pg.server.url, 5) : await openPglite(dataDir);
  const ctx = await openNode(config, { database, log: createLogger('silent') });
  closers.push(() => ctx.close());
  return ctx;
}

async function main(): Promise<void> {
  console.log(
    `# ${machineDescription()}; ${SIZE.postgres.toLocaleString('en-GB')} declarations into PostgreSQL, ` +
      `${SIZE.pglite.toLocaleString('en-GB')} into PGlite, batches of ${BATCH}${isQuick ? ' (--quick)' : ''}`,
  );
  pg.server = await startPgServer();
  await measure('postgres', await open('postgres'), SIZE.postgres);
  await measure('pglite', await open('pglite'), SIZE.pglite);
  printFigures(figures);
}

try {
  await main();
} finally {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await pg.server?.stop();
}
