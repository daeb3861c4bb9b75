import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildOrg,
  buildUser,
  type Engine,
  engines,
  fixturesDir,
  type TestNode,
  testNode,
} from '../../test/support/node.ts';
import type { Actor } from '../access/index.ts';
import { containerCheckDigit } from '../identifiers/index.ts';
import { AppError } from '../platform/errors.ts';
import { bananaInput, buildInput } from './cargo.fixtures.ts';
import type { DeclarationInput } from './cargo.schema.ts';
import { CargoService } from './cargo.ts';
import { toCsv } from './ingest.ts';

let serial = Math.floor(Math.random() * 800_000);
/** A unique, valid ISO 6346 number. */
function container(): string {
  const first10 = `CSQU${String(100_000 + (serial++ % 899_999)).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
}

let refs = 0;
const ref = (p: string) => `${p}${Date.now().toString(36)}${refs++}`.toUpperCase().slice(0, 35);

function banana(patch?: (d: DeclarationInput) => void): DeclarationInput {
  return bananaInput((d) => {
    d.id = ref('BAN');
    d.container.number = container();
    patch?.(d);
  });
}

const jsonl = (xs: unknown[]) => xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n');

async function count(t: TestNode, table: string, orgId: string, column = 'owner_org_id'): Promise<number> {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)} = ${orgId}::uuid`.execute(
    t.ctx.database.db,
  );
  return r.rows[0]?.n ?? 0;
}

describe.each(engines())('cargo storage on %s', (engine: Engine) => {
  let t: TestNode;
  let cargo: CargoService;
  let org: { id: string };
  let actor: Actor;
  let other: Actor;

  beforeAll(async () => {
    t = await testNode(engine);
    cargo = t.ctx.cargo;
    org = await buildOrg(t.ctx, { country: 'BE', kind: 'customs' });
    actor = (await buildUser(t.ctx, { orgId: org.id })).actor;
    other = (
      await buildUser(t.ctx, { orgId: (await buildOrg(t.ctx, { country: 'BE', kind: 'customs' })).id })
    ).actor;
  }, 60_000);
  afterAll(async () => t?.close());

  it('stores good rows and quarantines bad ones with row, field and reason', async () => {
    const good = [banana(), banana(), buildInput((d) => (d.id = ref('MCH')))];
    const badContainer = banana((d) => (d.container.number = 'CSQU3054384'));
    const missing = banana() as Record<string, unknown>;
    delete missing.consignee;
    const text = jsonl([good[0], '{not json', badContainer, good[1], missing, good[2]]);
    const r = await cargo.ingestBatch(actor, 'jsonl', text);
    expect(r).toMatchObject({ accepted: 3, amended: 0, quarantined: 3 });
    expect(r.errors.find((e) => e.row === 2)).toMatchObject({ field: '', code: 'MALFORMED_JSON' });
    expect(r.errors.find((e) => e.row === 3)?.field).toBe('container.number');
    expect(r.errors.find((e) => e.row === 5)?.field).toBe('consignee');
    const q = await sql<{ row_number: number; field: string; raw: string }>`
      select row_number, field, raw from cargo_quarantine where batch_id = ${r.batchId}::uuid order by row_number`.execute(
      t.ctx.database.db,
    );
    expect(q.rows.map((x) => x.row_number)).toEqual([2, 3, 5]);
    expect(q.rows[0]?.raw).toBe('{not json');
    const stored = await sql<{ reference: string }>`
      select reference from cargo_declarations where owner_org_id = ${org.id}::uuid`.execute(
      t.ctx.database.db,
    );
    expect(stored.rows.map((x) => x.reference).sort()).toEqual(good.map((g) => g.id).sort());
  });

  it('streams a large batch (new, twice-filed and amended references) and quarantines text the database cannot hold', async () => {
    const stored = banana();
    await cargo.ingestOne(actor, stored);
    const amendment = { ...structuredClone(stored), version: 2 };
    amendment.goods.description = 'Fresh bananas, amended';
    const twiceV1 = banana();
    const twiceV2 = { ...structuredClone(twiceV1), version: 2 };
    twiceV2.consignee.name = 'Other Fruit Import BV';
    const fresh = Array.from({ length: 80 }, () => banana());
    // PostgreSQL text cannot hold U+0000: such a row must be refused alone, not fail the batch.
    const nulName = banana((d) => (d.vessel.name = 'MSC\u0000ANNA'));
    const nulId = banana((d) => (d.id = `${d.id.slice(0, 20)}\u0000X`));
    const rows = [...fresh.slice(0, 40), twiceV1, amendment, nulName, nulId, twiceV2, ...fresh.slice(40)];
    const r = await cargo.ingestBatch(actor, 'jsonl', jsonl(rows));
    expect(r).toMatchObject({ accepted: 81, amended: 2, quarantined: 2 });
    expect(r.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [43, 'vessel.name', 'CONTROL_CHARACTER'],
      [44, 'id', 'CONTROL_CHARACTER'],
    ]);
    const refs = [...fresh, twiceV1, stored].map((d) => d.id);
    const back = await sql<{ reference: string; version: number; consignee_key: string }>`
      select reference, version, consignee_key from cargo_declarations
      where owner_org_id = ${org.id}::uuid and reference = any(${refs}::text[])`.execute(t.ctx.database.db);
    const byRef = new Map(back.rows.map((x) => [x.reference, x]));
    expect(byRef.size).toBe(refs.length);
    expect(byRef.get(stored.id)?.version).toBe(2);
    expect(byRef.get(twiceV1.id)).toMatchObject({ version: 2, consignee_key: 'other fruit import|BE' });
    const versions = await sql<{ reference: string; version: number }>`
      select d.reference, v.version from cargo_declaration_versions v join cargo_declarations d on d.id = v.declaration_id
      where d.reference = any(${[stored.id, twiceV1.id]}::text[]) order by d.reference, v.version`.execute(
      t.ctx.database.db,
    );
    expect(versions.rows).toEqual(
      [
        { reference: stored.id, version: 1 },
        { reference: twiceV1.id, version: 1 },
      ].sort((a, b) => (a.reference < b.reference ? -1 : 1)),
    );
    // A streamed row reads back like any other.
    const one = await sql<{
      id: string;
    }>`select id from cargo_declarations where reference = ${fresh[7]?.id}`.execute(t.ctx.database.db);
    const got = await cargo.getDeclaration(actor, one.rows[0]?.id as string);
    expect(got).toMatchObject({ reference: fresh[7]?.id, version: 1 });
    expect(got.declaration.container).toBe(fresh[7]?.container.number);
  });

  it('reads CSV with quoted fields (commas, quotes, line breaks)', async () => {
    const d = banana((x) => {
      x.consignee.name = 'Schelde "Fresh" Fruit, Import NV';
      x.consignee.address = 'Haven 100\nAntwerpen';
    });
    const r = await cargo.ingestBatch(actor, 'csv', toCsv([d]));
    expect(r).toMatchObject({ accepted: 1, quarantined: 0 });
    const row = await sql<{
      id: string;
    }>`select id from cargo_declarations where reference = ${d.id}`.execute(t.ctx.database.db);
    const got = await cargo.getDeclaration(actor, row.rows[0]!.id);
    expect(got.declaration.consignee.name).toBe('Schelde "Fresh" Fruit, Import NV');
    expect(got.declaration.consignee.address).toBe('Haven 100\nAntwerpen');
    expect(got.declaration.hs).toBe('080390');
  });

  it('keeps history on amendment, fires the late-amendment indicator and refuses stale versions', async () => {
    const v1 = banana();
    const first = await cargo.ingestOne(actor, v1);
    expect(first.amended).toBe(false);
    const v2 = structuredClone(v1);
    v2.version = 2;
    v2.times.filedAt = '2024-04-11T20:00:00Z';
    v2.consignee = { name: 'Nieuwe Import BV', address: 'Kaai 1, Antwerpen', country: 'BE' };
    const second = await cargo.ingestOne(actor, v2);
    expect(second).toMatchObject({ id: first.id, version: 2, amended: true });
    expect(second.reasons.map((r) => r.code)).toContain('late-party-amendment');
    const got = await cargo.getDeclaration(actor, first.id);
    expect(got.versions).toEqual([
      { version: 1, filedAt: '2024-03-10T08:00:00.000Z', changes: [] },
      { version: 2, filedAt: '2024-04-11T20:00:00.000Z', changes: ['consignee'] },
    ]);
    expect(got.declaration.consignee.name).toBe('Nieuwe Import BV');
    await expect(cargo.ingestOne(actor, v1)).rejects.toMatchObject({ code: 'CONFLICT' });
    const batch = await cargo.ingestBatch(actor, 'jsonl', jsonl([v1]));
    expect(batch).toMatchObject({ accepted: 0, amended: 0, quarantined: 1 });
    expect(batch.errors[0]).toMatchObject({ field: 'version', code: 'STALE_VERSION' });
  });

  it('keeps a batch whole or not at all, and the history with it', async () => {
    const before = {
      declarations: await count(t, 'cargo_declarations', org.id),
      batches: await count(t, 'cargo_batches', org.id, 'org_id'),
      seq: (
        await sql<{ seq: string }>`select seq from cargo_history where org_id = ${org.id}::uuid`.execute(
          t.ctx.database.db,
        )
      ).rows[0]?.seq,
    };
    const fresh = [banana(), banana()];
    const spy = vi.spyOn(t.ctx.audit, 'append').mockRejectedValueOnce(new Error('power cut'));
    await expect(cargo.ingestBatch(actor, 'jsonl', jsonl(fresh))).rejects.toThrow('power cut');
    spy.mockRestore();
    expect(await count(t, 'cargo_declarations', org.id)).toBe(before.declarations);
    expect(await count(t, 'cargo_batches', org.id, 'org_id')).toBe(before.batches);
    const seq = (
      await sql<{ seq: string }>`select seq from cargo_history where org_id = ${org.id}::uuid`.execute(
        t.ctx.database.db,
      )
    ).rows[0]?.seq;
    expect(seq).toBe(before.seq);
    // The rolled-back declarations left no trace in history: they are still first shipments.
    const again = await cargo.ingestBatch(actor, 'jsonl', jsonl(fresh));
    expect(again).toMatchObject({ accepted: 2, amended: 0 });
  });

  it('ingests a file batch after batch in order, read ahead on a worker; stops at a failing batch', async () => {
    // A service whose reader uses its worker thread from two rows on.
    const piped = new CargoService(
      t.ctx.database.db,
      t.ctx.clock,
      t.ctx.audit,
      t.ctx.identity,
      t.ctx.sharing,
      {
        reader: { workerMinRows: 2 },
      },
    );
    try {
      const a = banana();
      const a2 = structuredClone(a);
      a2.version = 2;
      a2.times.filedAt = '2024-04-11T20:00:00Z';
      a2.consignee = { name: 'Later Import BV', address: 'Kaai 2, Antwerpen', country: 'BE' };
      const files = [
        [a, banana()],
        [a2, banana()],
        [banana(), banana()],
      ];
      const rowsOf = (xs: DeclarationInput[]) => ({
        rows: xs.map((d, i) => ({ row: i + 1, raw: JSON.stringify(d), value: d, errors: [] })),
      });
      const reports: Array<{ accepted: number; amended: number }> = [];
      const timings: number[] = [];
      await piped.ingestBatches(actor, 'jsonl', files.map(rowsOf), (r, n, time) => {
        reports.push({ accepted: r.accepted, amended: r.amended });
        timings.push(n, time.normalise, time.transaction);
      });
      // The amendment in the second batch lands after the version it amends in the first.
      expect(reports).toEqual([
        { accepted: 2, amended: 0 },
        { accepted: 1, amended: 1 },
        { accepted: 2, amended: 0 },
      ]);
      expect(timings.every((x) => x >= 0)).toBe(true);
      const id = (
        await sql<{ id: string }>`select id from cargo_declarations where reference = ${a.id}`.execute(
          t.ctx.database.db,
        )
      ).rows[0]?.id;
      const got = await piped.getDeclaration(actor, id ?? '');
      expect(got.versions.map((v) => v.changes)).toEqual([[], ['consignee']]);
      expect(got.declaration.consignee.name).toBe('Later Import BV');

      // The second of three batches fails: the first is stored, the third is never written.
      const next = [
        [banana(), banana()],
        [banana(), banana()],
        [banana(), banana()],
      ];
      const append = t.ctx.audit.append.bind(t.ctx.audit);
      let appends = 0;
      const spy = vi.spyOn(t.ctx.audit, 'append').mockImplementation((...args) => {
        appends++;
        return appends === 2 ? Promise.reject(new Error('power cut')) : append(...args);
      });
      const done: number[] = [];
      await expect(
        piped.ingestBatches(actor, 'jsonl', next.map(rowsOf), (r) => done.push(r.accepted)),
      ).rejects.toThrow('power cut');
      spy.mockRestore();
      expect(done).toEqual([2]);
      const stored = await sql<{ reference: string }>`select reference from cargo_declarations
        where reference = any(${next.flat().map((d) => d.id)}::text[])`.execute(t.ctx.database.db);
      expect(stored.rows.map((r) => r.reference).sort()).toEqual(next[0]?.map((d) => d.id).sort());
    } finally {
      await piped.close();
    }
  });

  it('persists history with the batch: a restarted service scores exactly like the warm one', async () => {
    const sample = [banana(), buildInput((d) => (d.id = ref('MCH')))];
    const rows = sample.map((d, i) => ({ row: i + 1, raw: '', value: d, errors: [] }));
    const warm = await cargo.scoreRows(actor, rows);
    const cold = new CargoService(t.ctx.database.db, t.ctx.clock, t.ctx.audit, t.ctx.identity, t.ctx.sharing);
    expect(await cold.scoreRows(actor, rows)).toEqual(warm);
    const observed = await sql<{
      observed: number;
    }>`select observed from cargo_history where org_id = ${org.id}::uuid`.execute(t.ctx.database.db);
    expect(observed.rows[0]?.observed).toBe(await count(t, 'cargo_declarations', org.id));
  });

  it('hides declarations of another organisation exactly like missing ones', async () => {
    const mine = await cargo.ingestOne(actor, banana());
    const missing = await cargo.getDeclaration(other, crypto.randomUUID()).catch((e: AppError) => e);
    const hidden = await cargo.getDeclaration(other, mine.id).catch((e: AppError) => e);
    expect(hidden).toBeInstanceOf(AppError);
    expect((hidden as AppError).toJSON()).toEqual((missing as AppError).toJSON());
    const q = await cargo.queue(other, 'BEANR', '2024-04-12');
    expect(q.entries.find((e) => e.id === mine.id)).toBeUndefined();
  });

  it('ranks the queue with capacity, records inspections and measures performance', async () => {
    const qOrg = await buildOrg(t.ctx, { country: 'BE', kind: 'customs' });
    const a = (await buildUser(t.ctx, { orgId: qOrg.id })).actor;
    const officer = await buildUser(t.ctx, { orgId: qOrg.id, roles: ['officer'] });
    const ds = [
      banana(),
      banana(),
      banana(),
      buildInput((d) => {
        d.id = ref('MCH');
        d.route.discharge = 'BEANR';
        d.route.firstEntryOffice = 'BE101000';
        d.times.eta = '2024-04-12T10:00:00Z';
      }),
    ];
    await cargo.putPortSettings(a, 'BEANR', { capacity: 1, thresholds: { red: 40, amber: 20 } });
    const r = await cargo.ingestBatch(a, 'jsonl', jsonl(ds));
    expect(r.accepted).toBe(4);
    const q = await cargo.queue(a, 'BEANR', '2024-04-12');
    expect(q.capacity).toBe(1);
    expect(q.entries).toHaveLength(4);
    expect(q.entries.map((e) => e.rank)).toEqual([1, 2, 3, 4]);
    expect(q.entries.filter((e) => e.channel === 'red')).toHaveLength(1);
    const scores = q.entries.map((e) => e.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    const top = q.entries[0]!;
    expect(top.route).toEqual(['ECGYE', 'BEANR']);
    expect(top.reasons.map((x) => x.code)).toEqual(expect.arrayContaining(['high-risk-port', 'reefer']));
    expect(top.reasons[0]).toEqual({
      code: expect.any(String),
      label: expect.any(String),
      contribution: expect.any(Number),
      detail: expect.any(String),
    });

    expect((await cargo.assign(a, top.id, officer.actor.userId)).assignee.id).toBe(officer.actor.userId);
    await expect(cargo.assign(a, top.id, actor.userId)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(cargo.inspect(a, top.id, { outcome: 'seizure' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const ins = await cargo.inspect(a, top.id, {
      outcome: 'seizure',
      drug: 'cocaine',
      kilograms: 412.5,
      concealment: 'rip-on-rip-off',
    });
    expect(ins).toMatchObject({ declarationId: top.id, outcome: 'seizure', kilograms: 412.5 });
    await cargo.inspect(a, q.entries[3]!.id, { outcome: 'nothing' });
    const again = await cargo.queue(a, 'BEANR', '2024-04-12');
    expect(again.entries[0]).toMatchObject({
      assignee: { id: officer.actor.userId },
      inspection: { outcome: 'seizure' },
    });

    const perf = await cargo.performance(a, 'BEANR', '2024-04-01', '2024-04-30');
    expect(perf.overall).toMatchObject({ declarations: 4, inspections: 2, seizures: 1 });
    expect(perf.overall.precisionAtCapacity).toBe(1);
    expect(perf.rules.find((x) => x.code === 'high-risk-port')).toMatchObject({
      selections: 3,
      inspections: 1,
      seizures: 1,
    });
    expect(perf.weekly).toEqual([
      { week: '2024-04-08', selections: expect.any(Number), inspections: 2, seizures: 1 },
    ]);
    // Another organisation's figures do not include them.
    expect((await cargo.performance(actor, 'BEANR', '2024-04-12', '2024-04-12')).overall.seizures).toBe(0);
  });

  it('versions rule sets with clear errors and simulates them on stored declarations', async () => {
    const before = await cargo.rules(actor);
    expect(before.builtIn).toBe(true);
    const bad = await cargo
      .saveRules(
        actor,
        'rules:\n  - id: x\n    name: X\n    description: d\n    weight: 5\n    when: { field: goods.nope, eq: 1 }\n',
        'bad',
      )
      .catch((e: AppError) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).code).toBe('VALIDATION_FAILED');
    expect((bad as AppError).details[0]?.path).toMatch(/^rules\[0\]\.when/);
    const yaml = `
rules:
  - id: ecuador-bananas
    name: Bananas from Ecuador
    description: Test rule for bananas loaded in Ecuador.
    weight: 50
    when:
      all:
        - field: route.loadingCountry
          eq: EC
        - field: goods.hsChapter
          eq: "08"
`;
    const saved = await cargo.saveRules(actor, yaml, 'first own rule');
    expect(saved).toMatchObject({ created: true, version: before.version + 1, added: ['ecuador-bananas'] });
    expect((await cargo.saveRules(actor, yaml, 'same again')).created).toBe(false);
    const versions = await cargo.ruleVersions(actor);
    expect(versions.versions.map((v) => v.comment)).toEqual(['first own rule']);
    const scored = await cargo.ingestOne(actor, banana());
    expect(scored.reasons.map((r) => r.code)).toContain('rule:ecuador-bananas');
    t.clock.set('2024-05-01T00:00:00Z');
    const sim = await cargo.simulate(actor, yaml, 3650);
    expect(sim.perRule[0]).toMatchObject({ code: 'rule:ecuador-bananas', label: 'Bananas from Ecuador' });
    expect(sim.perRule[0]!.selected).toBeGreaterThan(0);
  });

  it('imports the real FtM fixture as a watchlist and hits a declaration on it', async () => {
    const text = readFileSync(path.join(fixturesDir(), 'ftm', 'yente-t1.ftm.jsonl'), 'utf8');
    const r = await cargo.importFtm(actor, text, 'opensanctions-t1');
    expect(r.imported).toBeGreaterThan(0);
    const lists = await cargo.watchlistsOf(actor);
    expect(lists.lists).toContainEqual({ name: 'opensanctions-t1', entries: r.imported });
    expect((await cargo.watchlistsOf(other)).total).toBe(0);
    const hit = await cargo.ingestOne(
      actor,
      banana((d) => (d.consignee.name = 'Inter Tobacco LLC')),
    );
    const w = hit.reasons.find((x) => x.code === 'watchlist-hit');
    expect(w?.detail).toContain('consignee.name');
    const again = await cargo.importFtm(actor, text, 'opensanctions-t1');
    expect(again.replaced).toBe(r.imported);
    const added = await cargo.addWatchlistEntry(actor, {
      id: 'box-1',
      source: 'manual',
      kind: 'container',
      value: 'MSKU1234565',
    });
    const withBox = await cargo.ingestOne(
      actor,
      banana((d) => (d.container.number = 'MSKU1234565')),
    );
    expect(withBox.reasons.map((x) => x.code)).toContain('watchlist-hit');
    await cargo.deleteWatchlistEntry(actor, added.id);
    await expect(cargo.deleteWatchlistEntry(other, added.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('scores hits on observables of shared items the actor may see, and only those', async () => {
    const box = container();
    const recipient = await buildUser(t.ctx, { orgId: org.id });
    await t.ctx.sharing.publish(recipient.actor, {
      kind: 'alert',
      title: 'Container of interest',
      body: '',
      marking: { tlp: 'AMBER+STRICT', handlingCode: null, sourceReliability: null, infoCredibility: null },
      distribution: { orgs: [], users: [], communities: [], node: false },
      personalData: null,
      observables: [{ type: 'container', value: box }],
      addressees: [],
      deadline: null,
    });
    const d = banana((x) => (x.container.number = box));
    const mine = await cargo.scoreRows(actor, [{ row: 1, raw: '', value: d, errors: [] }]);
    const theirs = await cargo.scoreRows(other, [{ row: 1, raw: '', value: d, errors: [] }]);
    const codes = (x: typeof mine) => x.flatMap((r) => (r.reasons ?? []).map((y) => y.code));
    expect(codes(mine)).toContain('intel-hit');
    expect(codes(theirs)).not.toContain('intel-hit');
  });

  it('alerts the customs of the other ports of the route through a sharing item', async () => {
    const es = await buildOrg(t.ctx, { country: 'ES', kind: 'customs' });
    const nl = await buildOrg(t.ctx, { country: 'NL', kind: 'customs' });
    const esUser = await buildUser(t.ctx, { orgId: es.id });
    const nlUser = await buildUser(t.ctx, { orgId: nl.id });
    const d = await cargo.ingestOne(
      actor,
      banana((x) => (x.route.transshipment = ['ESALG'])),
    );
    const { itemId } = await cargo.alert(actor, d.id);
    const item = await t.ctx.sharing.get(esUser.actor, itemId, null);
    expect(item.observables.map((o) => o.type).sort()).toEqual(['container', 'vessel']);
    expect(item.marking.tlp).toBe('AMBER');
    await expect(t.ctx.sharing.get(nlUser.actor, itemId, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(cargo.alert(other, d.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const direct = await cargo.ingestOne(actor, banana());
    await expect(cargo.alert(actor, direct.id)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
