/**
 * Ingest storage as the benchmark exercises it: bodies stored once (current row, or version row once
 * superseded), history persisted as a snapshot plus a log of the declarations each later batch
 * added, replayed on load. A service with a tiny snapshot threshold makes every path happen in a
 * few batches; a fresh service (cold start) must rebuild exactly the history the warm one has.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOrg,
  buildUser,
  type Engine,
  engines,
  type TestNode,
  testNode,
} from '../../test/support/node.ts';
import type { Actor } from '../access/index.ts';
import { containerCheckDigit } from '../identifiers/index.ts';
import { bananaInput } from './cargo.fixtures.ts';
import type { DeclarationInput } from './cargo.schema.ts';
import * as store from './cargo.store.ts';
import { CargoService } from './cargo.ts';
import { normalizeDeclaration } from './declaration.ts';
import { History } from './history.ts';

let serial = Math.floor(Math.random() * 800_000);
function container(): string {
  const first10 = `MSKU${String(100_000 + (serial++ % 899_999)).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
}
let refs = 0;
const ref = () => `HLOG${Date.now().toString(36)}${refs++}`.toUpperCase().slice(0, 35);

function banana(consignee?: string): DeclarationInput {
  return bananaInput((d) => {
    d.id = ref();
    d.container.number = container();
    if (consignee !== undefined)
      d.consignee = { name: consignee, address: 'Kaai 1, Antwerpen', country: 'BE' };
  });
}

function amend(d: DeclarationInput, version: number, consignee: string): DeclarationInput {
  const x = structuredClone(d);
  x.version = version;
  x.times.filedAt = `2024-04-1${version}T20:00:00Z`;
  x.consignee = { name: consignee, address: 'Dok 9, Antwerpen', country: 'BE' };
  return x;
}

const jsonl = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).join('\n');

describe.each(engines())('cargo ingest storage and history log on %s', (engine: Engine) => {
  let t: TestNode;
  let warm: CargoService;
  let actor: Actor;
  let orgId: string;
  /** First versions in the order they were observed: what history must hold. */
  const firsts: DeclarationInput[] = [];

  beforeAll(async () => {
    t = await testNode(engine);
    // A snapshot once the log holds 4 declarations (and half the snapshot): every path in a few batches.
    warm = new CargoService(t.ctx.database.db, t.ctx.clock, t.ctx.audit, t.ctx.identity, t.ctx.sharing, {
      historySnapshotMin: 4,
    });
    orgId = (await buildOrg(t.ctx, { country: 'BE', kind: 'customs' })).id;
    actor = (await buildUser(t.ctx, { orgId })).actor;
  }, 60_000);
  afterAll(async () => t?.close());

  const db = () => t.ctx.database.db;
  const cold = () => new CargoService(db(), t.ctx.clock, t.ctx.audit, t.ctx.identity, t.ctx.sharing);
  const head = async () =>
    (
      await sql<{ seq: number; snapshot_seq: number; observed: number; logged: number }>`
        select h.seq::int, h.snapshot_seq::int, h.observed,
          (select coalesce(sum(cardinality(declaration_ids)), 0)::int from cargo_history_log l
           where l.org_id = h.org_id) as logged
        from cargo_history h where h.org_id = ${orgId}::uuid`.execute(db())
    ).rows[0];

  async function expectHistoryRebuilt(): Promise<void> {
    const reference = new History();
    for (const d of firsts) reference.observe(normalizeDeclaration(d));
    const stored = await store.loadHistory(db(), orgId);
    expect(stored.history.toJSON()).toEqual(reference.toJSON());
    const sample = [banana('Nieuwe Import BV'), banana(), banana('Late Fruit BVBA')].map((value, i) => ({
      row: i + 1,
      raw: '',
      value,
      errors: [],
    }));
    expect(await cold().scoreRows(actor, sample)).toEqual(await warm.scoreRows(actor, sample));
  }

  it('logs small batches, snapshots once the log is large enough, and replays the log on a cold start', async () => {
    const a = [banana(), banana(), banana()];
    expect(await warm.ingestBatch(actor, 'jsonl', jsonl(a))).toMatchObject({ accepted: 3, quarantined: 0 });
    firsts.push(...a);
    // Below the threshold: no snapshot yet, the three are in the log.
    expect(await head()).toMatchObject({ seq: 1, snapshot_seq: 0, observed: 3, logged: 3 });
    await expectHistoryRebuilt();

    const b = [banana(), banana()];
    expect(
      await warm.ingestBatch(actor, 'jsonl', jsonl([...b, amend(a[0]!, 2, 'Nieuwe Import BV')])),
    ).toMatchObject({ accepted: 2, amended: 1 });
    firsts.push(...b);
    // Five logged ≥ 4: the snapshot is rewritten and the log emptied.
    expect(await head()).toMatchObject({ seq: 2, snapshot_seq: 2, observed: 5, logged: 0 });
    await expectHistoryRebuilt();

    const c = banana();
    await warm.ingestBatch(actor, 'jsonl', jsonl([c]));
    firsts.push(c);
    expect(await head()).toMatchObject({ seq: 3, snapshot_seq: 2, observed: 6, logged: 1 });
    // The logged declaration is amended afterwards: replay must use its first version's body.
    const r = await warm.ingestBatch(actor, 'jsonl', jsonl([amend(c, 2, 'Late Fruit BVBA')]));
    expect(r).toMatchObject({ accepted: 0, amended: 1 });
    expect(await head()).toMatchObject({ seq: 3, logged: 1 });
    await expectHistoryRebuilt();
  });

  it('stores each body once: the current row holds the current version, a version row each superseded one', async () => {
    const d = banana();
    // New and amended twice in one batch, then amended again in a later batch.
    const e = banana();
    await warm.ingestBatch(
      actor,
      'jsonl',
      jsonl([d, amend(d, 2, 'Second BV'), amend(d, 3, 'Third BV'), e, amend(e, 2, 'Other BV')]),
    );
    firsts.push(d, e);
    await warm.ingestBatch(actor, 'jsonl', jsonl([amend(d, 4, 'Fourth BV')]));
    const rows = await sql<{ version: number; consignee: string | null; changes: string[] }>`
      select v.version, v.declaration::json->'consignee'->>'name' as consignee, v.changes
      from cargo_declaration_versions v join cargo_declarations c on c.id = v.declaration_id
      where c.owner_org_id = ${orgId}::uuid and c.reference = ${d.id} order by v.version`.execute(db());
    expect(rows.rows.map((x) => [x.version, x.consignee])).toEqual([
      [1, d.consignee.name],
      [2, 'Second BV'],
      [3, 'Third BV'],
    ]);
    expect(rows.rows.map((x) => x.changes)).toEqual([[], ['consignee'], ['consignee']]);
    const current = await sql<{ id: string; version: number; changes: string[]; consignee: string }>`
      select id, version, changes, declaration::json->'consignee'->>'name' as consignee
      from cargo_declarations where owner_org_id = ${orgId}::uuid and reference = ${d.id}`.execute(db());
    expect(current.rows[0]).toMatchObject({ version: 4, changes: ['consignee'], consignee: 'Fourth BV' });
    // e was amended within its batch: one version row (its first), the second is current.
    const eRows = await sql<{ version: number }>`
      select v.version from cargo_declaration_versions v join cargo_declarations c on c.id = v.declaration_id
      where c.owner_org_id = ${orgId}::uuid and c.reference = ${e.id}`.execute(db());
    expect(eRows.rows.map((x) => x.version)).toEqual([1]);
    const got = await warm.getDeclaration(actor, current.rows[0]!.id);
    expect(got.declaration.consignee.name).toBe('Fourth BV');
    expect(got.declaration.amendments.map((x) => x.version)).toEqual([2, 3, 4]);
    expect(got.versions.map((v) => [v.version, v.changes])).toEqual([
      [1, []],
      [2, ['consignee']],
      [3, ['consignee']],
      [4, ['consignee']],
    ]);
    await expectHistoryRebuilt();
  });
});
