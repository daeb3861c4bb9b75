/**
 * The audit log as its readers meet it over HTTP, on both storage engines: the record every
 * consultation of personal data leaves, the data-protection views, and the tree heads and proofs
 * with which anyone signed in can check that the log only ever grew.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Role } from '../src/access/index.ts';
import type { AuditEntry } from '../src/audit/index.ts';
import { verifyConsistency, verifyInclusion } from '../src/audit/merkle.ts';
import { recordLeafHash } from '../src/audit/record-hash.ts';
import { keyIdOf, loadPublicKey, type SignedTreeHead, verifyTreeHead } from '../src/audit/tree-head.ts';
import type { NodeContext } from '../src/server/context.ts';
import {
  buildOrg,
  buildUser,
  type Engine,
  engines,
  PASSWORD,
  type TestNode,
  testApp,
  testNode,
} from './support/node.ts';
import { totpAt } from './support/totp.ts';

interface ApiRecord {
  index: number;
  timestamp: string;
  userId: string | null;
  orgId: string | null;
  action: string;
  objectType: string;
  itemId: string | null;
  justification: string | null;
  recipients: string[];
  details: Record<string, unknown>;
  hash: string;
}
interface RecordPage {
  records: ApiRecord[];
  total: number;
  pageSize: number;
}
interface Head extends SignedTreeHead {
  publicKey: string;
}
interface InclusionAnswer {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  rootHash: string;
  path: string[];
}
interface ConsistencyAnswer {
  from: number;
  to: number;
  fromRoot: string;
  toRoot: string;
  path: string[];
}

interface Person {
  id: string;
  orgId: string;
  headers: Record<string, string>;
}

const hex = (s: string) => Buffer.from(s, 'hex');

/**
 * The leaf hash an outside auditor recomputes from a record as the API shows it. This mapping is what
 * the log commits to (AuditLog's hashedContent); if it changes, old records stop verifying.
 */
function leafOf(r: ApiRecord): Buffer {
  return recordLeafHash({
    seq: r.index,
    at: r.timestamp,
    actorUserId: r.userId,
    actorOrgId: r.orgId,
    action: r.action,
    objectType: r.objectType,
    objectId: r.itemId,
    justification: r.justification,
    recipients: r.recipients,
    details: r.details,
  });
}

/** A small seeded generator, so that a failing random case can be replayed. */
function prng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function json<T>(res: LightMyRequestResponse, status = 200): T {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.json() as T;
}

async function logSize(ctx: NodeContext): Promise<number> {
  const res = await sql<{ size: number }>`select size from audit_state where id = 1`.execute(ctx.database.db);
  return Number(res.rows[0]!.size);
}

function harness(app: FastifyInstance, ctx: NodeContext) {
  let client = 0;
  /** Signs in over HTTP from a client address of its own: the login route limits each address to 20 a minute. */
  const person = async (orgId: string, roles: Role[]): Promise<Person> => {
    const u = await buildUser(ctx, { orgId, roles });
    client++;
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: `10.77.${client >> 8}.${client & 255}`,
      payload: { username: u.username, password: PASSWORD, totp: totpAt(ctx.clock, u.totpSecret) },
    });
    const { csrfToken } = json<{ csrfToken: string }>(res);
    const cookie = res.cookies.find((c) => c.name === 'ps_session');
    if (!cookie) throw new Error('login set no session cookie');
    return {
      id: u.user.id,
      orgId,
      headers: { cookie: `ps_session=${cookie.value}`, 'x-csrf-token': csrfToken },
    };
  };
  const get = (who: Person | null, url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { ...(who?.headers ?? {}), ...headers } });
  return { person, get };
}

describe.each(engines())('audit over HTTP (%s)', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;
  let ctx: NodeContext;
  let h: ReturnType<typeof harness>;

  beforeAll(async () => {
    node = await testNode(engine);
    ctx = node.ctx;
    app = await testApp(ctx);
    h = harness(app, ctx);
  });
  afterAll(async () => {
    await app?.close();
    await node?.close();
  });

  /** An owner organisation, a partner it shares with, and one it does not. */
  async function world() {
    const owner = await buildOrg(ctx, { country: 'BE', kind: 'customs' });
    const partner = await buildOrg(ctx, { country: 'NL', kind: 'police' });
    const outsider = await buildOrg(ctx, { country: 'FR', kind: 'customs' });
    return { owner, partner, outsider };
  }

  /** A personal-data report (or not) by `author`, shared with the given organisations. */
  async function publish(author: Person, orgs: string[], personal = true) {
    const title = `Courier network ${crypto.randomUUID().slice(0, 8)}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/items',
      headers: author.headers,
      payload: {
        kind: 'report',
        title,
        body: 'Two couriers seen collecting reefer containers at night.',
        marking: { tlp: 'AMBER', handlingCode: 'H1', sourceReliability: 'B', infoCredibility: '2' },
        distribution: { orgs, users: [], communities: [], node: false },
        personalData: personal ? { subjectCategory: 'suspect', reviewDate: '2027-03-01' } : null,
        observables: [],
      },
    });
    return { id: json<{ item: { id: string } }>(res, 201).item.id, title };
  }

  const read = (who: Person, id: string, justification?: string) =>
    h.get(
      who,
      `/api/items/${id}`,
      justification === undefined ? {} : { 'x-justification': encodeURIComponent(justification) },
    );

  const audit = async (who: Person, query: string) =>
    json<RecordPage>(await h.get(who, `/api/audit?${query}&pageSize=500`));

  describe('consultation of personal data', () => {
    it('leaves a record with the justification, the actor, the item and the UTC time', async () => {
      const w = await world();
      const author = await h.person(w.owner.id, ['analyst']);
      const reader = await h.person(w.partner.id, ['analyst']);
      const auditor = await h.person(w.outsider.id, ['auditor']);
      const item = await publish(author, [w.partner.id]);

      node.clock.advance(1234);
      const before = await logSize(ctx);
      const res = await read(reader, item.id, '  Enquête 2026/0417 – saisie à Anvers  ');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: item.id, title: item.title });
      expect(await logSize(ctx)).toBe(before + 1);

      const { records, total } = await audit(auditor, `userId=${reader.id}&action=consultation`);
      expect(total).toBe(1);
      expect(records[0]).toEqual({
        index: before,
        timestamp: node.clock.now().toISOString(),
        userId: reader.id,
        orgId: w.partner.id,
        action: 'consultation',
        objectType: 'item',
        itemId: item.id,
        justification: 'Enquête 2026/0417 – saisie à Anvers',
        recipients: [],
        details: { subjectCategory: 'suspect' },
        hash: leafOf(records[0]!).toString('hex'),
      });
      expect(records[0]!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

      // Every reading is a new consultation, with its own reason.
      expect((await read(reader, item.id, 'follow-up, case 2026/0417')).statusCode).toBe(200);
      const again = await audit(auditor, `userId=${reader.id}&action=consultation`);
      expect(again.records.map((r) => r.justification)).toEqual([
        'follow-up, case 2026/0417',
        'Enquête 2026/0417 – saisie à Anvers',
      ]);
    });

    it('answers 428 JUSTIFICATION_REQUIRED without a justification, disclosing and logging nothing', async () => {
      const w = await world();
      const author = await h.person(w.owner.id, ['analyst']);
      const reader = await h.person(w.partner.id, ['analyst']);
      const item = await publish(author, [w.partner.id]);

      const before = await logSize(ctx);
      for (const justification of [undefined, '', '   ', 'ok']) {
        const res = await read(reader, item.id, justification);
        expect(res.statusCode).toBe(428);
        expect(res.json()).toMatchObject({ code: 'JUSTIFICATION_REQUIRED' });
        expect(res.body).not.toContain(item.title);
      }
      // Decided: the refusal is not logged. Nothing was disclosed, the reader may see the item, and the
      // web client asks for the reason only after this answer: a record here would double every
      // consultation and bury the real ones in the data-protection officer's view.
      expect(await logSize(ctx)).toBe(before);
    });

    it('logs no consultation for an item without personal data', async () => {
      const w = await world();
      const author = await h.person(w.owner.id, ['analyst']);
      const reader = await h.person(w.partner.id, ['analyst']);
      const item = await publish(author, [w.partner.id], false);
      const before = await logSize(ctx);
      expect((await read(reader, item.id)).statusCode).toBe(200);
      expect(await logSize(ctx)).toBe(before);
    });

    it('answers a denied item exactly like a missing one, and logs both the same way', async () => {
      const w = await world();
      const author = await h.person(w.owner.id, ['analyst']);
      const stranger = await h.person(w.outsider.id, ['analyst']);
      const auditor = await h.person(w.outsider.id, ['auditor']);
      const item = await publish(author, [w.partner.id]);
      const missing = crypto.randomUUID();

      const before = await logSize(ctx);
      const denied = await read(stranger, item.id, 'case 12');
      const absent = await read(stranger, missing, 'case 12');
      expect(denied.statusCode).toBe(404);
      expect(absent.statusCode).toBe(404);
      expect(denied.body).toBe(absent.body);
      expect(denied.json()).toMatchObject({ code: 'NOT_FOUND' });
      expect(await logSize(ctx)).toBe(before + 2);

      const { records } = await audit(auditor, `userId=${stranger.id}&action=access_denied`);
      expect(records.map((r) => r.itemId)).toEqual([missing, item.id]);
      const shape = ({ index, timestamp, itemId, hash, ...rest }: ApiRecord) => rest;
      expect(shape(records[0]!)).toEqual(shape(records[1]!));
      expect(shape(records[0]!)).toEqual({
        userId: stranger.id,
        orgId: w.outsider.id,
        action: 'access_denied',
        objectType: 'item',
        justification: null,
        recipients: [],
        details: {},
      });
    });
  });

  describe('the audit write is part of the act', () => {
    /** Makes every audit write fail the way a bad value does: the canonical encoder refuses fractions. */
    function breakAuditWrites() {
      const original = ctx.audit.append.bind(ctx.audit);
      const spy = vi
        .spyOn(ctx.audit, 'append')
        .mockImplementation((tx, who, e: AuditEntry) =>
          original(tx, who, { ...e, details: { ...e.details, score: 0.5 } }),
        );
      onTestFinished(() => spy.mockRestore());
      return spy;
    }

    it('fails publishing and stores nothing when the collection cannot be logged', async () => {
      const w = await world();
      const author = await h.person(w.owner.id, ['analyst']);
      const auditor = await h.person(w.outsider.id, ['auditor']);
      const before = await logSize(ctx);
      const spy = breakAuditWrites();
      const title = `Never stored ${crypto.randomUUID()}`;
      const res = await app.inject({
        method: 'POST',
        url: '/api/items',
        headers: author.headers,
        payload: {
          kind: 'alert',
          title,
          marking: { tlp: 'GREEN', handlingCode: null, sourceReliability: null, infoCredibility: null },
          distribution: { orgs: [w.partner.id], users: [], communities: [], node: false },
          personalData: { subjectCategory: 'suspect', reviewDate: '2027-03-01' },
          observables: [{ type: 'container', value: 'CSQU3054383' }],
        },
      });
      expect(spy).toHaveBeenCalled();
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ code: 'INTERNAL' });
      spy.mockRestore();

      const stored = await sql<{
        n: number;
      }>`select count(*)::int as n from items where title = ${title}`.execute(ctx.database.db);
      expect(stored.rows[0]!.n).toBe(0);
      expect(await logSize(ctx)).toBe(before);
      expect((await audit(auditor, `userId=${author.id}&action=collection`)).total).toBe(0);
    });

    it('refuses a consultation whose record cannot be written, disclosing nothing', async () => {
      const w = await world();
      const author = await h.person(w.owner.id, ['analyst']);
      const reader = await h.person(w.partner.id, ['analyst']);
      const item = await publish(author, [w.partner.id]);
      const before = await logSize(ctx);
      breakAuditWrites();
      const res = await read(reader, item.id, 'case 2026/9');
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain(item.title);
      expect(await logSize(ctx)).toBe(before);
    });
  });

  describe('data-protection views', () => {
    /** An item of the owner organisation read by one of its analysts and by a partner's analyst. */
    async function consulted() {
      const w = await world();
      const author = await h.person(w.owner.id, ['analyst']);
      const colleague = await h.person(w.owner.id, ['analyst']);
      const ownerDpo = await h.person(w.owner.id, ['dpo']);
      const partner = await h.person(w.partner.id, ['analyst']);
      const partnerDpo = await h.person(w.partner.id, ['dpo']);
      const stranger = await h.person(w.outsider.id, ['analyst']);
      const auditor = await h.person(w.outsider.id, ['auditor']);
      const item = await publish(author, [w.partner.id]);
      expect((await read(colleague, item.id, 'owner case 1')).statusCode).toBe(200);
      expect((await read(partner, item.id, 'partner case 2')).statusCode).toBe(200);
      return { w, author, colleague, ownerDpo, partner, partnerDpo, stranger, auditor, item };
    }
    const who = (r: ApiRecord) => `${r.action}:${r.userId}:${r.justification ?? ''}`;

    it("shows a DPO what the people of their own organisation did with an item, and no one else's acts", async () => {
      const c = await consulted();
      const own = await audit(c.ownerDpo, `itemId=${c.item.id}`);
      expect(own.records.map(who)).toEqual([
        `consultation:${c.colleague.id}:owner case 1`,
        `collection:${c.author.id}:`,
      ]);
      expect(own.total).toBe(2);

      const partners = await audit(c.partnerDpo, `itemId=${c.item.id}`);
      expect(partners.records.map(who)).toEqual([`consultation:${c.partner.id}:partner case 2`]);
      expect(partners.records.every((r) => r.orgId === c.w.partner.id)).toBe(true);

      // An auditor sees the whole node.
      const all = await audit(c.auditor, `itemId=${c.item.id}`);
      expect(all.records.map(who)).toEqual([
        `consultation:${c.partner.id}:partner case 2`,
        `consultation:${c.colleague.id}:owner case 1`,
        `collection:${c.author.id}:`,
      ]);
    });

    it("gives the owner organisation the item's whole trail, and answers others like a missing item", async () => {
      const c = await consulted();
      const trail = json<RecordPage>(await h.get(c.ownerDpo, `/api/items/${c.item.id}/audit`));
      expect(trail.records.map(who)).toEqual([
        `consultation:${c.partner.id}:partner case 2`,
        `consultation:${c.colleague.id}:owner case 1`,
        `collection:${c.author.id}:`,
      ]);
      expect(trail.records.every((r) => r.itemId === c.item.id)).toBe(true);
      // The author's organisation writers see it too.
      expect(json<RecordPage>(await h.get(c.author, `/api/items/${c.item.id}/audit`)).total).toBe(3);

      const missing = await h.get(c.partnerDpo, `/api/items/${crypto.randomUUID()}/audit`);
      expect(missing.statusCode).toBe(404);
      for (const other of [c.partnerDpo, c.partner, c.stranger]) {
        const res = await h.get(other, `/api/items/${c.item.id}/audit`);
        expect(res.statusCode).toBe(404);
        expect(res.body).toBe(missing.body);
      }
      // A node auditor (another organisation, not a recipient) reads the trail, as in /api/audit;
      // a missing item is still a 404 for them.
      expect(json<RecordPage>(await h.get(c.auditor, `/api/items/${c.item.id}/audit`)).total).toBe(3);
      expect((await h.get(c.auditor, `/api/items/${crypto.randomUUID()}/audit`)).statusCode).toBe(404);
    });

    it('answers "what did this user see", newest first and page by page', async () => {
      const c = await consulted();
      const second = await publish(c.author, [c.w.partner.id]);
      expect((await read(c.partner, second.id, 'partner case 3')).statusCode).toBe(200);
      const gone = crypto.randomUUID();
      expect((await read(c.partner, gone, 'partner case 4')).statusCode).toBe(404);

      const expected = [
        `access_denied:${c.partner.id}:`,
        `consultation:${c.partner.id}:partner case 3`,
        `consultation:${c.partner.id}:partner case 2`,
        `login:${c.partner.id}:`,
      ];
      const seen = await audit(c.auditor, `userId=${c.partner.id}`);
      expect(seen.records.map(who)).toEqual(expected);
      expect(seen.records.map((r) => r.itemId)).toEqual([gone, second.id, c.item.id, c.partner.id]);
      const indexes = seen.records.map((r) => r.index);
      expect(indexes).toEqual([...indexes].sort((a, b) => b - a));

      // The partner's own data-protection officer sees the same; the owner's sees none of it.
      expect((await audit(c.partnerDpo, `userId=${c.partner.id}`)).records.map(who)).toEqual(expected);
      expect(await audit(c.ownerDpo, `userId=${c.partner.id}`)).toMatchObject({ records: [], total: 0 });

      const consultations = await audit(c.auditor, `userId=${c.partner.id}&action=consultation`);
      expect(consultations.total).toBe(2);
      const page2 = json<RecordPage>(
        await h.get(c.auditor, `/api/audit?userId=${c.partner.id}&pageSize=1&page=2`),
      );
      expect(page2).toMatchObject({ total: 4, pageSize: 1 });
      expect(page2.records.map(who)).toEqual([expected[1]]);
    });

    it('needs audit:read, and rejects unknown or malformed query fields', async () => {
      const w = await world();
      const analyst = await h.person(w.owner.id, ['analyst']);
      const dpo = await h.person(w.owner.id, ['dpo']);

      const forbidden = await h.get(analyst, `/api/audit?userId=${analyst.id}`);
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json()).toMatchObject({ code: 'FORBIDDEN' });
      const anonymous = await h.get(null, '/api/audit');
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ code: 'UNAUTHENTICATED' });

      const unknown = await h.get(dpo, '/api/audit?objectId=x');
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path: 'objectId' })],
      });
      for (const bad of ['userId=not-a-uuid', 'itemId=1', 'action=read', 'pageSize=501', 'page=0']) {
        const res = await h.get(dpo, `/api/audit?${bad}`);
        expect(res.statusCode, bad).toBe(400);
        expect(res.json(), bad).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
    });
  });
});

/**
 * Proofs need a log whose size the test controls from the first record: each test opens its own node.
 * Every root a proof is checked against is authenticated: either it is the root of a head whose Ed25519
 * signature verifies with the node's key, or a verified consistency proof ties it to such a head.
 */
describe.each(engines())('audit proofs over HTTP (%s)', (engine: Engine) => {
  async function open() {
    const node = await testNode(engine);
    const app = await testApp(node.ctx);
    onTestFinished(async () => {
      await app.close();
      await node.close();
    });
    const ctx = node.ctx;
    expect(await logSize(ctx)).toBe(0);
    const h = harness(app, ctx);
    const auditor = await h.person((await buildOrg(ctx)).id, ['auditor']);
    const call = async <T>(url: string) => json<T>(await h.get(auditor, url));
    const nodeKey = loadPublicKey(ctx.nodeKey.publicKeyPem);

    /** The current signed head, its signature checked with the key the answer names, which must be the node's. */
    const head = async (): Promise<Head> => {
      const sth = await call<Head>('/api/audit/head');
      const key = loadPublicKey(sth.publicKey);
      expect(verifyTreeHead(sth, key)).toBe(true);
      expect(keyIdOf(key)).toBe(keyIdOf(nodeKey));
      expect(sth.keyId).toBe(keyIdOf(nodeKey));
      return sth;
    };
    /** All records through the API (an auditor's view), in index order, each leaf recomputed from content. */
    const leaves = async (): Promise<Buffer[]> => {
      const out: ApiRecord[] = [];
      for (let page = 1; ; page++) {
        const p = await call<RecordPage>(`/api/audit?pageSize=500&page=${page}`);
        out.push(...p.records);
        if (out.length >= p.total) break;
      }
      out.sort((a, b) => a.index - b.index);
      expect(out.map((r) => r.index)).toEqual(out.map((_, i) => i));
      return out.map((r) => {
        const leaf = leafOf(r);
        expect(leaf.toString('hex')).toBe(r.hash);
        return leaf;
      });
    };
    const inclusion = (index: number, treeSize: number) =>
      call<InclusionAnswer>(`/api/audit/proofs/inclusion?index=${index}&treeSize=${treeSize}`);
    const consistency = (from: number, to: number) =>
      call<ConsistencyAnswer>(`/api/audit/proofs/consistency?from=${from}&to=${to}`);
    const appendOne = (i: number, db = ctx.database.db) =>
      ctx.audit.append(
        db,
        { userId: auditor.id, orgId: auditor.orgId },
        {
          action: 'consultation',
          objectType: 'item',
          objectId: crypto.randomUUID(),
          justification: `proof test ${i}`,
          details: { i },
        },
      );
    return { ctx, node, h, auditor, head, leaves, inclusion, consistency, appendOne };
  }

  async function checkInclusion(
    p: Awaited<ReturnType<typeof open>>,
    leaves: Buffer[],
    index: number,
    size: number,
    root: Buffer,
  ) {
    const proof = await p.inclusion(index, size);
    expect(proof).toMatchObject({ leafIndex: index, treeSize: size, rootHash: root.toString('hex') });
    expect(proof.leafHash).toBe(leaves[index]!.toString('hex'));
    const path = proof.path.map(hex);
    expect(verifyInclusion(leaves[index]!, index, size, path, root), `${index} in ${size}`).toBe(true);
    // …and the proof proves nothing else.
    if (size > 1) {
      const other = leaves[(index + 1) % size]!;
      expect(verifyInclusion(other, index, size, path, root)).toBe(false);
    }
  }

  it('proves inclusion and consistency for every tree size up to 256', async () => {
    const p = await open();
    const rand = prng(256);
    const heads = new Map<number, Head>();
    // Signing in left a few records (organisation, user, login): sizes below are tied to the heads by proofs only.
    let size = await logSize(p.ctx);
    expect(size).toBeLessThan(5);
    heads.set(size, await p.head());
    while (size < 256) {
      await p.appendOne(size);
      size++;
      const sth = await p.head();
      expect(sth.treeSize).toBe(size);
      heads.set(size, sth);
    }
    const leaves = await p.leaves();
    expect(leaves).toHaveLength(256);
    const top = heads.get(256)!;

    // Every size: its root is tied to the signed head at 256, and matches that size's own head.
    const roots = new Map<number, Buffer>();
    for (let n = 1; n <= 256; n++) {
      const c = await p.consistency(n, 256);
      expect(c.toRoot).toBe(top.rootHash);
      const fromRoot = hex(c.fromRoot);
      expect(verifyConsistency(n, 256, fromRoot, hex(top.rootHash), c.path.map(hex)), `${n}→256`).toBe(true);
      if (heads.has(n)) expect(c.fromRoot).toBe(heads.get(n)!.rootHash);
      roots.set(n, fromRoot);
    }

    // A few leaves of every size: first, last, middle, one at random.
    for (let n = 1; n <= 256; n++) {
      for (const i of new Set([0, n - 1, n >> 1, rand(n)]))
        await checkInclusion(p, leaves, i, n, roots.get(n)!);
    }

    // Random pairs of sizes, both roots authenticated.
    for (let k = 0; k < 150; k++) {
      const a = 1 + rand(256);
      const b = 1 + rand(256);
      const [from, to] = a <= b ? [a, b] : [b, a];
      const c = await p.consistency(from, to);
      expect(c.fromRoot).toBe(roots.get(from)!.toString('hex'));
      expect(c.toRoot).toBe(roots.get(to)!.toString('hex'));
      const path = c.path.map(hex);
      expect(verifyConsistency(from, to, roots.get(from)!, roots.get(to)!, path), `${from}→${to}`).toBe(true);
      if (from < to) {
        // Checked against a root the old tree never had, the same proof fails.
        expect(verifyConsistency(from, to, roots.get(to)!, roots.get(to)!, path)).toBe(false);
      }
    }
  });

  it('proves random sizes of a log grown past 1000 records in batches', async () => {
    const p = await open();
    const rand = prng(1000);
    const heads: Head[] = [await p.head()];
    let size = await logSize(p.ctx);
    while (size < 1100) {
      const batch = 40 + rand(160);
      await p.ctx.database.db.transaction().execute(async (tx) => {
        for (let k = 0; k < batch; k++) await p.appendOne(size + k, tx);
      });
      size += batch;
      const sth = await p.head();
      expect(sth.treeSize).toBe(size);
      heads.push(sth);
    }
    const leaves = await p.leaves();
    expect(leaves).toHaveLength(size);

    for (let k = 0; k < 60; k++) {
      const sth = heads[1 + rand(heads.length - 1)]!;
      await checkInclusion(p, leaves, rand(sth.treeSize), sth.treeSize, hex(sth.rootHash));
    }
    for (let k = 0; k < 40; k++) {
      const a = heads[rand(heads.length)]!;
      const b = heads[rand(heads.length)]!;
      const [old, now] = a.treeSize <= b.treeSize ? [a, b] : [b, a];
      const c = await p.consistency(old.treeSize, now.treeSize);
      expect(c).toMatchObject({ fromRoot: old.rootHash, toRoot: now.rootHash });
      expect(
        verifyConsistency(old.treeSize, now.treeSize, hex(old.rootHash), hex(now.rootHash), c.path.map(hex)),
        `${old.treeSize}→${now.treeSize}`,
      ).toBe(true);
    }
  });

  it('lets a holder of an old head see that the log was rewritten', async () => {
    const p = await open();
    for (let i = 0; i < 40; i++) await p.appendOne(i);
    const saved = await p.head();

    // Someone with database rights edits an early record and stores its new leaf hash.
    const db = p.ctx.database.db;
    await sql`alter table audit_log disable trigger audit_log_no_change`.execute(db);
    try {
      await sql`update audit_log set justification = 'nothing to see' where seq = 5`.execute(db);
      const page = json<RecordPage>(await p.h.get(p.auditor, '/api/audit?pageSize=500'));
      const edited = page.records.find((r) => r.index === 5)!;
      await sql`update audit_log set leaf_hash = ${leafOf(edited)} where seq = 5`.execute(db);
    } finally {
      await sql`alter table audit_log enable trigger audit_log_no_change`.execute(db);
    }
    for (let i = 40; i < 50; i++) await p.appendOne(i);
    // The node itself refuses to sign a history that does not extend its last signed head.
    await expect(p.head()).rejects.toThrow();
    const laterSize = await logSize(p.ctx);

    const c = await p.consistency(saved.treeSize, laterSize);
    expect(c.fromRoot).not.toBe(saved.rootHash);
    expect(
      verifyConsistency(saved.treeSize, laterSize, hex(saved.rootHash), hex(c.toRoot), c.path.map(hex)),
    ).toBe(false);
    const proof = await p.inclusion(5, saved.treeSize);
    expect(
      verifyInclusion(hex(proof.leafHash), 5, saved.treeSize, proof.path.map(hex), hex(saved.rootHash)),
    ).toBe(false);
  });

  it('refuses impossible proof requests and strangers', async () => {
    const p = await open();
    for (let i = 0; i < 5; i++) await p.appendOne(i);
    const size = await logSize(p.ctx);
    const bad = [
      [`/api/audit/proofs/inclusion?index=${size}&treeSize=${size}`, 'BAD_REQUEST'],
      [`/api/audit/proofs/inclusion?index=0&treeSize=${size + 1}`, 'BAD_REQUEST'],
      ['/api/audit/proofs/inclusion?index=-1&treeSize=2', 'VALIDATION_FAILED'],
      ['/api/audit/proofs/inclusion?index=0&treeSize=2&extra=1', 'VALIDATION_FAILED'],
      ['/api/audit/proofs/consistency?from=3&to=2', 'BAD_REQUEST'],
      [`/api/audit/proofs/consistency?from=1&to=${size + 1}`, 'BAD_REQUEST'],
      ['/api/audit/proofs/consistency?from=0&to=2', 'VALIDATION_FAILED'],
      ['/api/audit/proofs/consistency?from=1.5&to=2', 'VALIDATION_FAILED'],
    ] as const;
    for (const [url, code] of bad) {
      const res = await p.h.get(p.auditor, url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ code });
    }
    for (const url of [
      '/api/audit/head',
      '/api/audit/proofs/inclusion?index=0&treeSize=1',
      '/api/audit/proofs/consistency?from=1&to=1',
    ]) {
      const res = await p.h.get(null, url);
      expect(res.statusCode, url).toBe(401);
    }
  });
});
