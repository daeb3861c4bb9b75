import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeContext } from '../src/server/context.ts';
import {
  auditSize,
  call,
  countRows,
  freshContainer,
  itemInput,
  justified,
  ok,
  orgs,
  type Person,
  person,
  publish,
  signIn,
  uniqueWord,
} from './support/api-client.ts';
import {
  buildOrg,
  type Engine,
  engines,
  fixturesDir,
  type TestNode,
  testApp,
  testNode,
} from './support/node.ts';

/** The sharing flows as a client sees them: over HTTP, with sessions, on both storage engines. */

interface Hit {
  id: string;
  itemId: string | null;
  itemTitle: string | null;
  observableType: string;
  normalized: string;
  requesterName: string;
  requesterOrgName: string;
  status: string;
  justification: string | null;
  mine: boolean;
}
interface Inbox {
  alerts: { id: string }[];
  requests: { id: string }[];
  hits: Hit[];
  wideningRequests: { id: string; itemId: string; status: string; reason: string; requesterName: string }[];
}
interface ListAnswer {
  items: { id: string; title: string; kind: string; marking: { tlp: string } }[];
  total: number;
  page: number;
  pageSize: number;
}
interface AuditRecord {
  action: string;
  userId: string | null;
  itemId: string | null;
  justification: string | null;
  recipients: string[];
  details: Record<string, unknown>;
}

const fixture = (rel: string): unknown => JSON.parse(readFileSync(path.join(fixturesDir(), rel), 'utf8'));
const NONE: { orgs: string[]; users: string[]; communities: string[]; node: boolean } = {
  orgs: [],
  users: [],
  communities: [],
  node: false,
};

describe.each(engines())('sharing over HTTP (%s)', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;
  let ctx: NodeContext;
  let root: Person;

  beforeAll(async () => {
    node = await testNode(engine);
    ctx = node.ctx;
    app = await testApp(ctx);
    root = await person(app, ctx, await buildOrg(ctx, { name: `Node admins ${uniqueWord()}` }), [
      'node_admin',
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await node?.close();
  });

  const inbox = (who: Person) => ok<Inbox>(call(app, who, 'GET', '/api/inbox'));
  const get = (who: Person, id: string, headers: Record<string, string> = {}) =>
    call(app, who, 'GET', `/api/items/${id}`, undefined, headers);
  const list = (who: Person, query: string) => ok<ListAnswer>(call(app, who, 'GET', `/api/items?${query}`));
  const community = async (memberOrgIds: string[]) =>
    (
      await ok<{ id: string }>(
        call(app, root, 'POST', '/api/admin/communities', {
          name: `Community ${uniqueWord()}`,
          memberOrgIds,
        }),
        201,
      )
    ).id;
  const trail = async (owner: Person, itemId: string) =>
    (await ok<{ records: AuditRecord[] }>(call(app, owner, 'GET', `/api/items/${itemId}/audit`))).records;

  it('appending observables correlates them like a publication: visible matches back, hits for hidden owners', async () => {
    const o = await orgs(ctx);
    const [a, b] = [await person(app, ctx, o.a), await person(app, ctx, o.b)];
    const k = freshContainer();
    const hidden = await publish(app, b, { observables: [{ type: 'container', value: k }] });
    const seen = await publish(app, b, {
      distribution: { ...NONE, orgs: [o.a.id] },
      observables: [{ type: 'container', value: k }],
    });
    const mine = await publish(app, a);
    const res = await ok<{ accepted: number; correlation: Record<string, unknown> }>(
      call(app, a, 'POST', `/api/items/${mine.id}/observables`, {
        observables: [{ type: 'container', value: k }],
      }),
    );
    expect(res.accepted).toBe(1);
    expect(res.correlation).toEqual({
      visible: [
        { itemId: seen.id, title: seen.title, kind: 'alert', observableType: 'container', normalized: k },
      ],
      restricted: [{ observableType: 'container', normalized: k, count: 1 }],
      common: [],
    });
    const hits = (await inbox(b)).hits.filter((h) => h.normalized === k && h.requesterName === a.displayName);
    expect(hits).toEqual([expect.objectContaining({ itemId: hidden.id, status: 'new' })]);
  });

  it('publishes with observables: visible matches, restricted counts, and a hit for each hidden owner', async () => {
    const o = await orgs(ctx);
    const [a, b, c] = [await person(app, ctx, o.a), await person(app, ctx, o.b), await person(app, ctx, o.c)];
    const k = freshContainer();
    const shared = await publish(app, c, {
      distribution: { ...NONE, node: true },
      observables: [{ type: 'container', value: k }],
    });
    const hiddenB = await publish(app, b, { observables: [{ type: 'container', value: k }] });
    const hiddenC = await publish(app, c, { observables: [{ type: 'container', value: k }] });

    const res = await call(
      app,
      a,
      'POST',
      '/api/items',
      itemInput({
        observables: [
          { type: 'container', value: `${k.slice(0, 4)} ${k.slice(4, 10)}-${k.slice(10)}`.toLowerCase() },
          { type: 'vessel', value: 'IMO 9074729' },
        ],
      }),
    );
    expect(res.statusCode).toBe(201);
    const body = res.json() as {
      item: { id: string; observables: { normalized: string }[] };
      correlation: object;
    };
    expect(body.item.observables.map((x) => x.normalized)).toEqual([k, 'IMO9074729']);
    expect(body.correlation).toEqual({
      visible: [
        { itemId: shared.id, title: shared.title, kind: 'alert', observableType: 'container', normalized: k },
      ],
      restricted: [{ observableType: 'container', normalized: k, count: 2 }],
      common: [],
    });
    expect(res.body).not.toContain(hiddenB.id);
    expect(res.body).not.toContain(hiddenC.title);

    for (const [owner, hidden] of [
      [b, hiddenB],
      [c, hiddenC],
    ] as const) {
      // Hits the owner got from A's search (C's own publication may have hit B's item too).
      const hits = (await inbox(owner)).hits.filter(
        (h) => h.normalized === k && h.requesterName === a.displayName,
      );
      expect(hits).toEqual([
        expect.objectContaining({
          itemId: hidden.id,
          itemTitle: hidden.title,
          observableType: 'container',
          normalized: k,
          requesterName: a.displayName,
          requesterOrgName: o.a.name,
          status: 'new',
          mine: false,
        }),
      ]);
    }
    // The searcher sees their own hits without learning which items or owners they are on.
    const mine = (await inbox(a)).hits.filter((h) => h.normalized === k);
    expect(mine).toHaveLength(2);
    expect(mine.every((h) => h.mine && h.itemId === null && h.itemTitle === null)).toBe(true);
  });

  it('request-contact then grant lets the searcher read the hidden item; a declined one stays hidden', async () => {
    const o = await orgs(ctx);
    const [a, b] = [await person(app, ctx, o.a), await person(app, ctx, o.b)];
    const [k1, k2] = [freshContainer(), freshContainer()];
    const granted = await publish(app, b, { observables: [{ type: 'container', value: k1 }] });
    const declined = await publish(app, b, { observables: [{ type: 'container', value: k2 }] });
    await publish(app, a, {
      observables: [
        { type: 'container', value: k1 },
        { type: 'container', value: k2 },
      ],
    });
    const hitOn = async (itemId: string) => (await inbox(b)).hits.find((h) => h.itemId === itemId)!;
    const hit1 = await hitOn(granted.id);
    const hit2 = await hitOn(declined.id);

    const why = 'Same consignee in our seizure of 12 March';
    expect(
      await ok(call(app, a, 'POST', `/api/hits/${hit1.id}/request-contact`, { justification: why })),
    ).toEqual({ status: 'contact_requested' });
    expect(await hitOn(granted.id)).toMatchObject({ status: 'contact_requested', justification: why });
    expect((await get(a, granted.id)).statusCode).toBe(404);
    expect(await ok(call(app, b, 'POST', `/api/hits/${hit1.id}/grant`))).toEqual({ status: 'granted' });
    expect((await get(a, granted.id)).statusCode).toBe(200);
    const disclosure = (await trail(b, granted.id)).find((r) => r.action === 'disclosure');
    expect(disclosure).toMatchObject({
      userId: b.id,
      justification: why,
      recipients: [a.id],
      details: { hit: hit1.id, consent: 'originator' },
    });

    await ok(call(app, a, 'POST', `/api/hits/${hit2.id}/request-contact`, { justification: why }));
    expect(await ok(call(app, b, 'POST', `/api/hits/${hit2.id}/decline`))).toEqual({ status: 'declined' });
    expect((await get(a, declined.id)).statusCode).toBe(404);
    expect((await hitOn(declined.id)).status).toBe('declined');
    const again = await call(app, b, 'POST', `/api/hits/${hit2.id}/grant`);
    expect(again.statusCode).toBe(409);
    expect((await get(a, declined.id)).statusCode).toBe(404);
  });

  describe('TLP:RED', () => {
    it('refuses organisations, communities or the node in the distribution (422), storing nothing', async () => {
      const o = await orgs(ctx);
      const a = await person(app, ctx, o.a);
      const cid = await community([o.a.id, o.b.id]);
      const red = { tlp: 'RED', handlingCode: null, sourceReliability: null, infoCredibility: null } as const;
      const [items, audit] = [await countRows(ctx, 'items'), await auditSize(ctx)];
      const cases: [Partial<typeof NONE>, string][] = [
        [{ orgs: [o.b.id] }, 'distribution.orgs'],
        [{ communities: [cid] }, 'distribution.communities'],
        [{ node: true }, 'distribution.node'],
      ];
      for (const [distribution, field] of cases) {
        const r = await call(app, a, 'POST', '/api/items', itemInput({ marking: red, distribution }));
        expect(r.statusCode).toBe(422);
        expect(r.json()).toMatchObject({ code: 'MARKING_VIOLATION', details: [{ path: field }] });
      }
      expect([await countRows(ctx, 'items'), await auditSize(ctx)]).toEqual([items, audit]);
    });

    it('reaches the named users and the author only, never the author’s colleagues, and is never exported', async () => {
      const o = await orgs(ctx);
      const [a, colleague, named, other] = [
        await person(app, ctx, o.a),
        await person(app, ctx, o.a),
        await person(app, ctx, o.c),
        await person(app, ctx, o.c),
      ];
      const word = uniqueWord('red');
      const red = await publish(app, a, {
        title: `Informant in the reefer terminal ${word}`,
        marking: { tlp: 'RED', handlingCode: 'H2', sourceReliability: 'A', infoCredibility: '2' },
        distribution: { ...NONE, users: [named.id] },
      });
      expect((await get(a, red.id)).statusCode).toBe(200);
      expect((await get(named, red.id)).statusCode).toBe(200);
      for (const who of [colleague, other]) {
        expect((await get(who, red.id)).statusCode).toBe(404);
        expect((await list(who, `q=${word}`)).total).toBe(0);
      }
      expect((await list(named, `q=${word}`)).items.map((i) => i.id)).toEqual([red.id]);
      for (const format of ['misp', 'stix']) {
        const r = await call(app, a, 'GET', `/api/items/${red.id}/export?format=${format}`);
        expect(r.statusCode).toBe(422);
        expect(r.json()).toMatchObject({ code: 'MARKING_VIOLATION' });
      }
    });
  });

  it('keeps a handling-coded item from a private organisation in a community unless it is named', async () => {
    const o = await orgs(ctx);
    const [a, c, p] = [await person(app, ctx, o.a), await person(app, ctx, o.c), await person(app, ctx, o.p)];
    const cid = await community([o.a.id, o.c.id, o.p.id]);
    const word = uniqueWord('hc');
    const marking = {
      tlp: 'AMBER',
      handlingCode: 'H1',
      sourceReliability: 'B',
      infoCredibility: '2',
    } as const;
    const coded = await publish(app, a, {
      title: `Terminal staff approached ${word}`,
      marking,
      distribution: { ...NONE, communities: [cid] },
    });
    const named = await publish(app, a, {
      title: `Terminal staff named ${word}`,
      marking,
      distribution: { ...NONE, communities: [cid], orgs: [o.p.id] },
    });
    const uncoded = await publish(app, a, {
      title: `Terminal staff uncoded ${word}`,
      marking: { ...marking, handlingCode: null },
      distribution: { ...NONE, communities: [cid] },
    });
    expect((await get(c, coded.id)).statusCode).toBe(200);
    expect((await get(p, coded.id)).statusCode).toBe(404);
    expect((await get(p, named.id)).statusCode).toBe(200);
    expect((await get(p, uncoded.id)).statusCode).toBe(200);
    expect(new Set((await list(p, `q=${word}`)).items.map((i) => i.id))).toEqual(
      new Set([named.id, uncoded.id]),
    );
    expect((await list(c, `q=${word}`)).total).toBe(3);
  });

  it('AMBER+STRICT: a recipient cannot widen (422), the originator can', async () => {
    const o = await orgs(ctx);
    const [a, b, c] = [await person(app, ctx, o.a), await person(app, ctx, o.b), await person(app, ctx, o.c)];
    const strict = await publish(app, b, {
      marking: { tlp: 'AMBER+STRICT', handlingCode: null, sourceReliability: null, infoCredibility: null },
      distribution: { ...NONE, orgs: [o.a.id] },
    });
    const widen = (who: Person) =>
      call(app, who, 'POST', `/api/items/${strict.id}/widen`, {
        distribution: { orgs: [o.c.id] },
        reason: 'C follows the same network',
      });
    const refused = await widen(a);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'MARKING_VIOLATION' });
    expect((await inbox(b)).wideningRequests.filter((w) => w.itemId === strict.id)).toEqual([]);
    expect((await get(c, strict.id)).statusCode).toBe(404);
    expect(await ok(widen(b))).toEqual({ status: 'applied' });
    expect((await get(c, strict.id)).statusCode).toBe(200);
  });

  it('AMBER widening by a recipient waits for the originator, whose approval is recorded as consent', async () => {
    const o = await orgs(ctx);
    const [a, b, c] = [await person(app, ctx, o.a), await person(app, ctx, o.b), await person(app, ctx, o.c)];
    const amber = await publish(app, b, { distribution: { ...NONE, orgs: [o.a.id] } });
    const reason = 'The Spanish FIU traces the payments';
    const asked = await ok<{ status: string; requestId: string }>(
      call(app, a, 'POST', `/api/items/${amber.id}/widen`, { distribution: { orgs: [o.c.id] }, reason }),
    );
    expect(asked.status).toBe('requested');
    expect((await get(c, amber.id)).statusCode).toBe(404);
    const pending = (await inbox(b)).wideningRequests.find((w) => w.id === asked.requestId);
    expect(pending).toMatchObject({
      itemId: amber.id,
      status: 'pending',
      reason,
      requesterName: a.displayName,
    });
    // The requester's organisation has nothing to decide.
    expect((await inbox(a)).wideningRequests.find((w) => w.id === asked.requestId)).toBeUndefined();

    expect(await ok(call(app, b, 'POST', `/api/widening-requests/${asked.requestId}/approve`))).toEqual({
      id: asked.requestId,
      status: 'approved',
    });
    expect((await get(c, amber.id)).statusCode).toBe(200);
    expect((await inbox(b)).wideningRequests.find((w) => w.id === asked.requestId)).toBeUndefined();
    const consent = (await trail(b, amber.id)).find((r) => r.action === 'disclosure');
    expect(consent).toMatchObject({
      userId: b.id,
      justification: reason,
      details: { consent: 'originator', request: asked.requestId },
    });
    expect(consent?.recipients).toEqual(expect.arrayContaining([`org:${o.a.id}`, `org:${o.c.id}`]));
    const twice = await call(app, b, 'POST', `/api/widening-requests/${asked.requestId}/approve`);
    expect(twice.statusCode).toBe(409);
  });

  it('personal data needs a justification (428 without), which the audit keeps', async () => {
    const o = await orgs(ctx);
    const [a, b] = [await person(app, ctx, o.a), await person(app, ctx, o.b)];
    const item = await publish(app, a, {
      personalData: { subjectCategory: 'suspect', reviewDate: '2027-01-31' },
      distribution: { ...NONE, orgs: [o.b.id] },
      observables: [{ type: 'person', value: 'José Pacífico Restrepo' }],
    });
    const weak: Record<string, string>[] = [{}, { 'x-justification': '' }, { 'x-justification': 'x' }];
    for (const headers of weak) {
      const r = await get(b, item.id, headers);
      expect(r.statusCode).toBe(428);
      expect(r.json()).toMatchObject({ code: 'JUSTIFICATION_REQUIRED' });
    }
    const noReason = await call(app, b, 'GET', `/api/items/${item.id}/export?format=misp`);
    expect(noReason.statusCode).toBe(428);
    const why = 'Operación Atlántico: checking the consignee';
    const r = await get(b, item.id, justified(why));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      personalData: true,
      personalDataDetail: { subjectCategory: 'suspect', reviewDate: '2027-01-31' },
    });
    const consultations = (await trail(a, item.id)).filter((x) => x.action === 'consultation');
    expect(consultations).toEqual([expect.objectContaining({ userId: b.id, justification: why })]);
  });

  it('full-text search finds accented text with an unaccented query, among visible items only', async () => {
    const o = await orgs(ctx);
    const [a, b, c] = [await person(app, ctx, o.a), await person(app, ctx, o.b), await person(app, ctx, o.c)];
    const word = uniqueWord('fts');
    const own = await publish(app, a, { title: `Frutas del Pacífico ${word}` });
    const seen = await publish(app, c, {
      title: `Shipment ${word}`,
      body: 'Consignee: Exportadora del Pacífico, Guayaquil',
      distribution: { ...NONE, node: true },
    });
    const hidden = await publish(app, b, { title: `Naviera del Pacífico ${word}` });
    const found = await list(a, `q=${encodeURIComponent(`Pacifico ${word}`)}`);
    expect(new Set(found.items.map((i) => i.id))).toEqual(new Set([own.id, seen.id]));
    expect(found.total).toBe(2);
    // The title weighs more than the body.
    expect(found.items[0]!.id).toBe(own.id);
    expect((await list(b, `q=${encodeURIComponent(`pacífico ${word}`)}`)).items.map((i) => i.id)).toContain(
      hidden.id,
    );
  });

  it('filters by kind, TLP and observable, and pages through the results', async () => {
    const o = await orgs(ctx);
    const [a, a2] = [await person(app, ctx, o.a), await person(app, ctx, o.a)];
    const word = uniqueWord('flt');
    const k = freshContainer();
    const alert = await publish(app, a, {
      title: `Alert ${word}`,
      observables: [{ type: 'container', value: k }],
    });
    const report = await publish(app, a, {
      kind: 'report',
      title: `Report ${word}`,
      marking: { tlp: 'GREEN', handlingCode: null, sourceReliability: null, infoCredibility: null },
    });
    const rfi = await publish(app, a, { kind: 'rfi', title: `Request ${word}`, addressees: [a2.id] });
    const ids = async (q: string) => (await list(a, `q=${word}&${q}`)).items.map((i) => i.id);
    expect(await ids('kind=report')).toEqual([report.id]);
    expect(await ids('kind=rfi')).toEqual([rfi.id]);
    expect(await ids('tlp=GREEN')).toEqual([report.id]);
    expect(await ids('tlp=AMBER&kind=alert')).toEqual([alert.id]);
    expect(await ids('tlp=RED')).toEqual([]);
    // The observable filter takes any spelling of the identifier.
    const spaced = `${k.slice(0, 4).toLowerCase()} ${k.slice(4, 10)} ${k.slice(10)}`;
    expect((await list(a, `observable=${encodeURIComponent(spaced)}`)).items.map((i) => i.id)).toEqual([
      alert.id,
    ]);
    const bad = await call(app, a, 'GET', `/api/items?kind=memo`);
    expect(bad.statusCode).toBe(400);

    for (let i = 0; i < 4; i++) await publish(app, a, { title: `Page filler ${i} ${word}` });
    const seen: string[] = [];
    for (const page of [1, 2, 3, 4]) {
      const r = await list(a, `q=${word}&page=${page}&pageSize=3`);
      expect(r).toMatchObject({ total: 7, page, pageSize: 3 });
      expect(r.items).toHaveLength(page < 3 ? 3 : page === 3 ? 1 : 0);
      seen.push(...r.items.map((i) => i.id));
    }
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual(expect.arrayContaining([alert.id, report.id, rfi.id]));
  });

  it('a request for information reaches its addressees, in their inbox, and no one else', async () => {
    const o = await orgs(ctx);
    const [a, b, b2] = [
      await person(app, ctx, o.a),
      await person(app, ctx, o.b),
      await person(app, ctx, o.b),
    ];
    const rfi = await publish(app, a, {
      kind: 'rfi',
      title: `Who is behind the consignee ${uniqueWord()}`,
      addressees: [b.id],
      deadline: '2026-03-09T17:00:00Z',
    });
    expect((await inbox(b)).requests.map((r) => r.id)).toContain(rfi.id);
    expect((await inbox(b2)).requests.map((r) => r.id)).not.toContain(rfi.id);
    expect((await get(b2, rfi.id)).statusCode).toBe(404);
    const seen = await ok<{ addressees: string[]; deadline: string; kind: string }>(get(b, rfi.id));
    expect(seen).toMatchObject({ kind: 'rfi', addressees: [b.id], deadline: '2026-03-09T17:00:00.000Z' });

    const nobody = await call(app, a, 'POST', '/api/items', itemInput({ kind: 'rfi' }));
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'addressees' }] });
  });

  it('recipients reply and report sightings, which the item shows with their names', async () => {
    const o = await orgs(ctx);
    const [a, b] = [await person(app, ctx, o.a), await person(app, ctx, o.b)];
    const item = await publish(app, a, { distribution: { ...NONE, orgs: [o.b.id] } });
    const reply = await ok<{ body: string; bodyHtml: string; authorName: string; orgName: string }>(
      call(app, b, 'POST', `/api/items/${item.id}/replies`, {
        body: 'Seen in **Rotterdam** <script>alert(1)</script>',
      }),
      201,
    );
    expect(reply).toMatchObject({ authorName: b.displayName, orgName: o.b.name });
    expect(reply.bodyHtml).toContain('<strong>Rotterdam</strong>');
    expect(reply.bodyHtml).not.toContain('<script');
    const sighting = await ok<{ kind: string; note: string | null; orgName: string }>(
      call(app, b, 'POST', `/api/items/${item.id}/sightings`, {
        kind: 'seizure',
        note: '412 kg in banana boxes',
      }),
      201,
    );
    expect(sighting).toMatchObject({ kind: 'seizure', note: '412 kg in banana boxes', orgName: o.b.name });
    const bad = await call(app, b, 'POST', `/api/items/${item.id}/sightings`, { kind: 'rumour' });
    expect(bad.statusCode).toBe(400);

    const seen = await ok<{
      replies: { authorName: string }[];
      sightings: { kind: string; authorName: string }[];
    }>(get(a, item.id));
    expect(seen.replies.map((r) => r.authorName)).toEqual([b.displayName]);
    expect(seen.sightings.map((s) => [s.kind, s.authorName])).toEqual([['seizure', b.displayName]]);
  });

  describe('import and export', () => {
    it('imports the CIRCL MISP event as CLEAR with its observables, quarantining invalid ones', async () => {
      const o = await orgs(ctx);
      const [a, b] = [await person(app, ctx, o.a), await person(app, ctx, o.b)];
      const res = await ok<{
        item: { id: string; marking: { tlp: string }; title: string; observables: { type: string }[] };
        quarantined: { path: string }[];
      }>(call(app, a, 'POST', '/api/import/misp', fixture('misp/circl-xorist-57c4445b.json')), 201);
      expect(res.item.title).toBe('Ransomware - Xorist');
      expect(res.item.marking.tlp).toBe('CLEAR');
      expect(res.item.observables.map((x) => x.type).sort()).toEqual(
        ['filename', 'hash', 'hash', 'hash', 'other', 'url', 'url'].sort(),
      );
      expect(res.quarantined).toEqual([]);
      // The import belongs to the importer's organisation only, whatever the file's TLP says.
      expect((await get(b, res.item.id)).statusCode).toBe(404);

      const event = {
        Event: {
          info: `Wallet and account ${uniqueWord()}`,
          Tag: [{ name: 'tlp:amber' }],
          Attribute: [
            { type: 'iban', category: 'Financial fraud', value: 'GB82WEST12345698765432' },
            { type: 'iban', category: 'Financial fraud', value: 'GB82WEST12345698765433' },
            { type: 'btc', category: 'Financial fraud', value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb' },
          ],
        },
      };
      const mixed = await ok<{
        item: { observables: { type: string; normalized: string }[]; marking: { tlp: string } };
        quarantined: { path: string; message: string }[];
      }>(call(app, a, 'POST', '/api/import/misp', event), 201);
      expect(mixed.item.marking.tlp).toBe('AMBER');
      expect(mixed.item.observables).toEqual([
        expect.objectContaining({ type: 'iban', normalized: 'GB82WEST12345698765432' }),
      ]);
      expect(mixed.quarantined.map((q) => q.path)).toEqual(['observables.1.value', 'observables.2.value']);

      const broken = await call(app, a, 'POST', '/api/import/misp', { Event: 'not an event' });
      expect(broken.statusCode).toBe(400);
      expect(broken.json()).toMatchObject({ code: 'IMPORT_FAILED', details: [{ path: 'Event' }] });
    });

    it('imports STIX 2.1 bundles and refuses STIX 2.0 with a clear message, storing nothing', async () => {
      const o = await orgs(ctx);
      const a = await person(app, ctx, o.a);
      const c2 = await ok<{ item: { observables: { type: string; normalized: string }[] } }>(
        call(app, a, 'POST', '/api/import/stix', fixture('stix/indicator-for-c2-ip-address.json')),
        201,
      );
      expect(c2.item.observables).toEqual([expect.objectContaining({ type: 'ip', normalized: '10.0.0.0' })]);
      const email = await call(
        app,
        a,
        'POST',
        '/api/import/stix',
        fixture('stix/malicious-email-indicator-with-attachment.json'),
      );
      expect(email.statusCode).toBe(201);

      const [items, audit] = [await countRows(ctx, 'items'), await auditSize(ctx)];
      for (const f of [
        'stix/threat-actor-leveraging-attack-patterns-and-malware.stix20.json',
        'stix/sighting-of-observed-data.stix20.json',
      ]) {
        const r = await call(app, a, 'POST', '/api/import/stix', fixture(f));
        expect(r.statusCode, f).toBe(400);
        expect(r.json(), f).toMatchObject({
          code: 'IMPORT_FAILED',
          message: 'STIX 2.0 is not supported; convert to 2.1',
        });
      }
      expect([await countRows(ctx, 'items'), await auditSize(ctx)]).toEqual([items, audit]);
    });

    it('exports as MISP and STIX and imports back with the same observables and marking', async () => {
      const o = await orgs(ctx);
      const [a, b] = [await person(app, ctx, o.a), await person(app, ctx, o.b)];
      const marking = {
        tlp: 'AMBER+STRICT',
        handlingCode: 'H2',
        sourceReliability: 'B',
        infoCredibility: '3',
      };
      const original = await publish(app, a, {
        marking: marking as never,
        distribution: { ...NONE, orgs: [o.b.id] },
        observables: [
          { type: 'container', value: freshContainer() },
          { type: 'iban', value: 'GB82 WEST 1234 5698 7654 32' },
          { type: 'crypto', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
          { type: 'vessel', value: 'IMO 9321483' },
          { type: 'domain', value: 'frutas-pacifico.example' },
        ],
      });
      const pairs = (obs: { type: string; normalized: string }[]) =>
        obs.map((x) => `${x.type}:${x.normalized}`).sort();
      const before = await ok<{ observables: { type: string; normalized: string }[] }>(get(a, original.id));

      for (const format of ['misp', 'stix'] as const) {
        const exported = await call(app, b, 'GET', `/api/items/${original.id}/export?format=${format}`);
        expect(exported.statusCode, format).toBe(200);
        const back = await ok<{
          item: { id: string; marking: object; observables: { type: string; normalized: string }[] };
          quarantined: unknown[];
        }>(call(app, b, 'POST', `/api/import/${format}`, exported.json()), 201);
        expect(back.quarantined, format).toEqual([]);
        expect(back.item.marking, format).toEqual(marking);
        expect(pairs(back.item.observables), format).toEqual(pairs(before.observables));
        // The export was a disclosure, audited on the original item.
        const exports = (await trail(a, original.id)).filter((r) => r.action === 'disclosure');
        expect(exports.map((r) => r.details.export)).toContain(format);
      }
    });
  });

  // Runs last in this block: after publications, widenings, approvals and granted hits above, the
  // scope keys on each item row (what the access condition reads for items) equal its scopes.
  it('keeps every item’s row-local scope keys equal to its distribution scopes', async () => {
    const { rows } = await sql<{ id: string; keys: string[]; scopes: string[] }>`
      select i.id, i.scope_keys as keys,
        (select coalesce(array_agg(case s.kind when 'node' then 'n' else left(s.kind, 1) || ':' || s.ref::text end), '{}')
          from distribution_scopes s where s.object_id = i.id) as scopes
      from items i`.execute(ctx.database.db);
    expect(rows.length).toBeGreaterThan(20);
    const sorted = (xs: string[]) => JSON.stringify([...xs].sort());
    expect(rows.filter((r) => sorted(r.keys) !== sorted(r.scopes))).toEqual([]);
  });
});

describe.each(engines())('review of personal data (%s)', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;

  beforeAll(async () => {
    node = await testNode(engine);
    app = await testApp(node.ctx);
  });
  afterAll(async () => {
    await app?.close();
    await node?.close();
  });

  it('flags an item past its review date, then erases it 30 days later with an erasure record', async () => {
    const { ctx, clock } = node;
    const o = await orgs(ctx);
    const a = await person(app, ctx, o.a);
    const due = await publish(app, a, {
      personalData: { subjectCategory: 'contact', reviewDate: '2026-04-01' },
      observables: [{ type: 'phone', value: '+32 470 12 34 56' }],
    });
    const later = await publish(app, a, {
      personalData: { subjectCategory: 'suspect', reviewDate: '2026-12-31' },
    });
    const read = async (id: string) => {
      const fresh = await signIn(app, ctx, a.username, a.totpSecret);
      return call(app, fresh, 'GET', `/api/items/${id}`, undefined, justified('Reviewing retention'));
    };
    const flagged = async (id: string) =>
      ((await read(id)).json() as { reviewFlagged: boolean }).reviewFlagged;

    expect(await ctx.sharing.reviewSweep()).toEqual({ flagged: 0, erased: 0 });
    clock.set('2026-04-02T06:00:00Z');
    expect(await ctx.sharing.reviewSweep()).toEqual({ flagged: 1, erased: 0 });
    expect(await flagged(due.id)).toBe(true);
    expect(await flagged(later.id)).toBe(false);

    clock.advance(29 * 86_400_000);
    expect(await ctx.sharing.reviewSweep()).toEqual({ flagged: 0, erased: 0 });
    expect((await read(due.id)).statusCode).toBe(200);

    clock.advance(86_400_000);
    expect(await ctx.sharing.reviewSweep()).toEqual({ flagged: 0, erased: 1 });
    const gone = await read(due.id);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await read(later.id)).statusCode).toBe(200);
    const erasure = await ctx.audit.query({ objectId: due.id, action: 'erasure', limit: 10, offset: 0 });
    expect(erasure.records).toEqual([
      expect.objectContaining({
        action: 'erasure',
        itemId: due.id,
        orgId: o.a.id,
        details: expect.objectContaining({ reason: 'review date passed' }),
      }),
    ]);
    const left = await sql<{
      n: number;
    }>`select count(*)::int as n from observables where item_id = ${due.id}`.execute(ctx.database.db);
    expect(left.rows[0]!.n).toBe(0);
  });
});
