import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bananaInput } from '../src/cargo/cargo.fixtures.ts';
import { parseBlockHex } from '../src/finance/index.ts';
import { buildApp } from '../src/server/app.ts';
import type { NodeContext } from '../src/server/context.ts';
import {
  call,
  freshContainer,
  itemInput,
  justified,
  ok,
  type Person,
  person,
  publish,
  randomId,
  signIn,
  uniqueWord,
} from './support/api-client.ts';
import { buildOrg, type Engine, engines, fixturesDir, type TestNode, testNode } from './support/node.ts';

/**
 * Every route of the app must say what a user of ANOTHER organisation gets from it. The routes are
 * collected with buildApp's `onRoute` option (a hook registered before any route), so a route added
 * later without a row in CASES fails the first test below: that is the point of this file.
 *
 * HEAD routes that Fastify derives from a GET route run the GET handler; the GET row covers them.
 */

interface World {
  app: FastifyInstance;
  ctx: NodeContext;
  baseUrl: string;
  orgA: string;
  orgB: string;
  orgC: string;
  /** org A: analyst, organisation administrator, data-protection officer */
  a: Person;
  aAdmin: Person;
  aDpo: Person;
  /** org B: analyst (author of B's items), data-protection officer */
  b: Person;
  bDpo: Person;
  /** org C: analyst; node administrator */
  c: Person;
  root: Person;
  /** B's item for org B only, with personal data */
  bHidden: { id: string; title: string };
  /** B's TLP:RED item naming B's data-protection officer only */
  bRed: { id: string; title: string };
  /** B's request for information addressed to B's data-protection officer */
  bRfi: { id: string; title: string };
}

type Case =
  | { kind: 'public'; reason: string; probe: (w: World) => Promise<void> }
  | { kind: 'cross-org'; outcome: string; run: (w: World) => Promise<void> };

const answer = (r: LightMyRequestResponse) => ({
  status: r.statusCode,
  type: r.headers['content-type'],
  body: r.body,
});

const CONTAINER = 'CSQU3054383';
const HASH = '0749bae92ca336a02c83d126e04ec628';

/**
 * The core rule: for a hidden item, the answer is byte-identical to the answer for an id that
 * does not exist (status, content type and body), and it is a 404.
 */
async function sameAsMissing(
  w: World,
  who: Person,
  method: 'GET' | 'POST',
  url: (id: string) => string,
  payload?: unknown,
  headers?: Record<string, string>,
  hidden: { id: string }[] = [w.bHidden, w.bRed],
): Promise<void> {
  const missing = await call(w.app, who, method, url(randomId()), payload, headers);
  expect(missing.statusCode).toBe(404);
  expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  for (const h of hidden) {
    const denied = await call(w.app, who, method, url(h.id), payload, headers);
    expect(answer(denied), `${method} ${url(h.id)}`).toEqual(answer(missing));
  }
}

/** What the owner sees of an item: nothing a denied request did may show up here. */
async function snapshot(w: World, id: string) {
  const item = await w.ctx.sharing.get(w.b.actor, id, 'integrity check of the test');
  return {
    observables: item.observables,
    replies: item.replies,
    sightings: item.sightings,
    attachments: item.attachments,
    distribution: item.distribution,
  };
}

async function unchangedAfter(w: World, attempt: () => Promise<void>): Promise<void> {
  const before = [await snapshot(w, w.bHidden.id), await snapshot(w, w.bRed.id)];
  await attempt();
  expect([await snapshot(w, w.bHidden.id), await snapshot(w, w.bRed.id)]).toEqual(before);
}

/** A hit owned by B (on a fresh hidden item of B) found by A's publication. */
async function freshHit(w: World) {
  const k = freshContainer();
  const hidden = await publish(w.app, w.b, { observables: [{ type: 'container', value: k }] });
  await publish(w.app, w.a, { observables: [{ type: 'container', value: k }] });
  const hit = (await w.ctx.sharing.hits(w.b.actor)).find((h) => h.itemId === hidden.id);
  if (!hit) throw new Error('no hit was created');
  return { hitId: hit.id, itemId: hidden.id };
}

/** A pending widening request: A, a recipient of B's AMBER item, asks to add organisation C. */
async function freshWidening(w: World) {
  const item = await publish(w.app, w.b, { distribution: { orgs: [w.orgA] } });
  const res = await ok<{ status: string; requestId: string }>(
    call(w.app, w.a, 'POST', `/api/items/${item.id}/widen`, {
      distribution: { orgs: [w.orgC] },
      reason: 'C investigates the same consignee',
    }),
  );
  expect(res.status).toBe('requested');
  return { requestId: res.requestId, itemId: item.id };
}

async function pendingWidenings(w: World): Promise<{ id: string; status: string }[]> {
  return (
    await ok<{ wideningRequests: { id: string; status: string }[] }>(call(w.app, w.b, 'GET', '/api/inbox'))
  ).wideningRequests;
}

function mustNotMention(w: World, text: string): void {
  for (const it of [w.bHidden, w.bRed, w.bRfi]) {
    expect(text).not.toContain(it.id);
    expect(text).not.toContain(it.title);
  }
}

/** Server-sent events as a real client reads them, over a socket. */
function openEvents(w: World, who: Person) {
  let text = '';
  const req = http.get(`${w.baseUrl}/api/events`, { headers: { cookie: who.cookie } });
  const connected = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      if (res.statusCode !== 200) reject(new Error(`events answered ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes(': connected')) resolve();
      });
    });
    req.on('error', reject);
  });
  /** Reads until `needle` arrives or the bounded wait ends; says which. */
  const readUntil = async (needle: string, boundMs: number): Promise<boolean> => {
    const end = Date.now() + boundMs;
    while (!text.includes(needle) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    return text.includes(needle);
  };
  return { connected, readUntil, text: () => text, close: () => req.destroy() };
}

interface FinanceWorld {
  address: string;
  tagId: string;
  tagLabel: string;
  watchId: string;
  alertId: string;
}
const financeWorlds = new WeakMap<World, Promise<FinanceWorld>>();

/** B watches an address of a real block, tags it for B only, then imports the block: B gets an alert. */
function financeWorld(w: World): Promise<FinanceWorld> {
  let p = financeWorlds.get(w);
  if (!p) {
    p = (async () => {
      const hex = readFileSync(path.join(fixturesDir(), 'bitcoin/300025.hex'), 'utf8').trim();
      const block = parseBlockHex(hex);
      const address = block.transactions
        .flatMap((t) => t.outputs.map((o) => o.address))
        .find((a) => a !== null);
      if (!address) throw new Error('no address in the fixture block');
      const watch = await ok<{ id: string }>(
        call(w.app, w.b, 'POST', '/api/finance/watches', { address }),
        201,
      );
      const tagLabel = `B-only tag ${uniqueWord()}`;
      const tag = await ok<{ id: string }>(
        call(w.app, w.b, 'POST', '/api/finance/tags', {
          address,
          label: tagLabel,
          category: 'exchange',
          marking: { tlp: 'AMBER', handlingCode: null, sourceReliability: null, infoCredibility: null },
        }),
        201,
      );
      await ok(call(w.app, w.b, 'POST', '/api/finance/blocks', { hex: [hex] }));
      const alerts = await ok<{ id: string; watchId: string }[]>(
        call(w.app, w.b, 'GET', '/api/finance/alerts'),
      );
      const alert = alerts.find((a) => a.watchId === watch.id);
      if (!alert) throw new Error('the watch raised no alert');
      return { address, tagId: tag.id, tagLabel, watchId: watch.id, alertId: alert.id };
    })();
    financeWorlds.set(w, p);
  }
  return p;
}

interface CargoWorld {
  /** a user of a second customs organisation (ES), to show customs see only their own cargo data */
  d: Person;
  declarationId: string;
  reference: string;
  watchEntryId: string;
  ruleVersion: number;
}
const cargoWorlds = new WeakMap<World, Promise<CargoWorld>>();

/** A declaration of A's (customs) with settings, rules, a watchlist entry and an inspection; D is customs elsewhere. */
function cargoWorld(w: World): Promise<CargoWorld> {
  let p = cargoWorlds.get(w);
  if (!p) {
    p = (async () => {
      const d = await person(w.app, w.ctx, await buildOrg(w.ctx, { country: 'ES', kind: 'customs' }));
      const reference = `XORG${uniqueWord('ref').toUpperCase()}`.slice(0, 30);
      const input = bananaInput((x) => {
        x.id = reference;
        x.route.transshipment = ['ESALG'];
      });
      const filed = await ok<{ id: string }>(call(w.app, w.a, 'POST', '/api/cargo/declarations', input), 201);
      await ok(
        putAs(w, w.a, '/api/cargo/ports/BEANR/settings', {
          capacity: 7,
          thresholds: { red: 70, amber: 40 },
        }),
      );
      const rules = await ok<{ version: number }>(
        call(w.app, w.a, 'POST', '/api/cargo/rules', { yaml: CARGO_RULES, comment: "A's rules" }),
        201,
      );
      const entry = await ok<{ id: string }>(
        call(w.app, w.a, 'POST', '/api/cargo/watchlists/entries', {
          id: 'a-box',
          source: 'a-list',
          kind: 'container',
          value: 'MSKU1234565',
        }),
        201,
      );
      await ok(
        call(w.app, w.a, 'POST', `/api/cargo/declarations/${filed.id}/inspection`, { outcome: 'nothing' }),
        201,
      );
      return { d, declarationId: filed.id, reference, watchEntryId: entry.id, ruleVersion: rules.version };
    })();
    cargoWorlds.set(w, p);
  }
  return p;
}

const CARGO_RULES = `
rules:
  - id: xorg-ecuador-fruit-rule
    name: Fruit from Ecuador
    description: Fruit loaded in Ecuador (test rule).
    weight: 30
    when:
      all:
        - field: route.loadingCountry
          eq: EC
        - field: goods.hsChapter
          eq: "08"
`;

/** PUT as a signed-in user (the shared call helper knows GET, POST and DELETE). */
function putAs(w: World, who: Person, url: string, payload: unknown) {
  return w.app.inject({
    method: 'PUT',
    url,
    headers: who.headers,
    payload: payload as Record<string, unknown>,
  });
}

async function aDeclaration(w: World, id: string) {
  return ok<{
    version: number;
    declaration: { consignee: { name: string } };
    inspection: { outcome: string } | null;
  }>(call(w.app, w.a, 'GET', `/api/cargo/declarations/${id}`));
}

const CASES: Record<string, Case> = {
  // —— public ——
  'GET /api/health': {
    kind: 'public',
    reason: 'liveness probe for load balancers; tells the engine and version, no data',
    probe: async (w) => expect((await call(w.app, null, 'GET', '/api/health')).statusCode).toBe(200),
  },
  'GET /api/openapi.json': {
    kind: 'public',
    reason: 'the API description, generated from the schemas; holds no data',
    probe: async (w) => expect((await call(w.app, null, 'GET', '/api/openapi.json')).statusCode).toBe(200),
  },
  'GET /api/docs': {
    kind: 'public',
    reason: 'the API reference page (redirects to /api/docs/)',
    probe: async (w) => expect((await call(w.app, null, 'GET', '/api/docs')).statusCode).toBeLessThan(400),
  },
  'GET /api/docs/': {
    kind: 'public',
    reason: 'the API reference page',
    probe: async (w) => expect((await call(w.app, null, 'GET', '/api/docs/')).statusCode).toBe(200),
  },
  'GET /api/docs/js/scalar.js': {
    kind: 'public',
    reason: 'the script of the API reference page',
    probe: async (w) =>
      expect((await call(w.app, null, 'GET', '/api/docs/js/scalar.js')).statusCode).toBe(200),
  },
  'POST /api/auth/login': {
    kind: 'public',
    reason: 'where a session starts; its answers never tell whether a user exists (test/bad-input.test.ts)',
    probe: async (w) => {
      const r = await call(w.app, null, 'POST', '/api/auth/login', { username: w.b.username, password: 'x' });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: 'MFA_REQUIRED' });
    },
  },

  // —— auth and directory ——
  'POST /api/auth/logout': {
    kind: 'cross-org',
    outcome: "A's logout ends A's session only; B's session still works",
    run: async (w) => {
      const a2 = await signIn(w.app, w.ctx, w.a.username, w.a.totpSecret);
      expect((await call(w.app, a2, 'POST', '/api/auth/logout')).statusCode).toBe(204);
      expect((await call(w.app, a2, 'GET', '/api/auth/me')).statusCode).toBe(401);
      const me = await ok<{ user: { id: string } }>(call(w.app, w.b, 'GET', '/api/auth/me'));
      expect(me.user.id).toBe(w.b.id);
    },
  },
  'GET /api/auth/me': {
    kind: 'cross-org',
    outcome: "answers the caller's own profile only",
    run: async (w) => {
      const r = await call(w.app, w.a, 'GET', '/api/auth/me');
      expect(r.json()).toMatchObject({ user: { id: w.a.id, orgId: w.orgA } });
      expect(r.body).not.toContain(w.b.id);
      expect(r.body).not.toContain(w.orgB);
    },
  },
  'GET /api/directory': {
    kind: 'cross-org',
    outcome: 'names only: users of B appear as {id, displayName, orgId}, never usernames or roles',
    run: async (w) => {
      const r = await call(w.app, w.a, 'GET', '/api/directory');
      const dir = r.json() as { users: Record<string, unknown>[] };
      const bUser = dir.users.find((u) => u.id === w.b.id);
      expect(bUser).toEqual({ id: w.b.id, displayName: w.b.displayName, orgId: w.orgB });
      for (const u of dir.users) expect(Object.keys(u).sort()).toEqual(['displayName', 'id', 'orgId']);
      expect(r.body).not.toContain('"username"');
      expect(r.body).not.toContain('"roles"');
    },
  },

  // —— administration ——
  'GET /api/admin/orgs': {
    kind: 'cross-org',
    outcome: 'non-administrators get 403; an organisation administrator reads the organisation list',
    run: async (w) => {
      expect((await call(w.app, w.a, 'GET', '/api/admin/orgs')).json()).toMatchObject({ code: 'FORBIDDEN' });
      expect((await call(w.app, w.a, 'GET', '/api/admin/orgs')).statusCode).toBe(403);
      expect((await call(w.app, w.aAdmin, 'GET', '/api/admin/orgs')).statusCode).toBe(200);
    },
  },
  'POST /api/admin/orgs': {
    kind: 'cross-org',
    outcome: 'only a node administrator creates organisations: org admins and analysts get 403',
    run: async (w) => {
      const input = () => ({ name: `Org ${uniqueWord()}`, country: 'NL', sector: 'public', kind: 'police' });
      for (const who of [w.a, w.aAdmin]) {
        const r = await call(w.app, who, 'POST', '/api/admin/orgs', input());
        expect(r.statusCode).toBe(403);
        expect(r.json()).toMatchObject({ code: 'FORBIDDEN' });
      }
      expect((await call(w.app, w.root, 'POST', '/api/admin/orgs', input())).statusCode).toBe(201);
    },
  },
  'GET /api/admin/users': {
    kind: 'cross-org',
    outcome: "an org admin of A lists A's users only; non-admins get 403",
    run: async (w) => {
      expect((await call(w.app, w.a, 'GET', '/api/admin/users')).statusCode).toBe(403);
      const list = await ok<{ id: string; orgId: string }[]>(
        call(w.app, w.aAdmin, 'GET', '/api/admin/users'),
      );
      expect(list.map((u) => u.id)).toContain(w.a.id);
      expect(list.every((u) => u.orgId === w.orgA)).toBe(true);
      const all = await ok<{ id: string }[]>(call(w.app, w.root, 'GET', '/api/admin/users'));
      expect(all.map((u) => u.id)).toContain(w.b.id);
    },
  },
  'POST /api/admin/users': {
    kind: 'cross-org',
    outcome: 'an org admin of A cannot create users in B (403, nothing created); non-admins get 403',
    run: async (w) => {
      const input = (orgId: string) => ({
        username: uniqueWord('u'),
        displayName: 'Inserted',
        orgId,
        roles: ['analyst'],
        password: 'a long enough password',
      });
      const intoB = input(w.orgB);
      const r = await call(w.app, w.aAdmin, 'POST', '/api/admin/users', intoB);
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({ code: 'FORBIDDEN' });
      expect(await w.ctx.identity.userExists(intoB.username)).toBe(false);
      const byAnalyst = input(w.orgA);
      expect((await call(w.app, w.a, 'POST', '/api/admin/users', byAnalyst)).statusCode).toBe(403);
      expect(await w.ctx.identity.userExists(byAnalyst.username)).toBe(false);
      expect((await call(w.app, w.aAdmin, 'POST', '/api/admin/users', input(w.orgA))).statusCode).toBe(201);
    },
  },
  'GET /api/admin/communities': {
    kind: 'cross-org',
    outcome: 'non-administrators get 403 (the directory gives them what they need to address items)',
    run: async (w) => {
      const r = await call(w.app, w.a, 'GET', '/api/admin/communities');
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({ code: 'FORBIDDEN' });
      expect((await call(w.app, w.aAdmin, 'GET', '/api/admin/communities')).statusCode).toBe(200);
    },
  },
  'POST /api/admin/communities': {
    kind: 'cross-org',
    outcome: 'only a node administrator creates communities: org admins and analysts get 403',
    run: async (w) => {
      const input = () => ({ name: `Community ${uniqueWord()}`, memberOrgIds: [w.orgA, w.orgB] });
      for (const who of [w.a, w.aAdmin]) {
        expect((await call(w.app, who, 'POST', '/api/admin/communities', input())).statusCode).toBe(403);
      }
      expect((await call(w.app, w.root, 'POST', '/api/admin/communities', input())).statusCode).toBe(201);
    },
  },

  'POST /api/admin/users/:id/revoke-sessions': {
    kind: 'cross-org',
    outcome: "an org admin of A revoking a user of B gets what a missing user gets; B's sessions live on",
    run: async (w) => {
      const bUser = await person(w.app, w.ctx, { id: w.orgB });
      const url = (id: string) => `/api/admin/users/${id}/revoke-sessions`;
      expect((await call(w.app, w.a, 'POST', url(bUser.id))).statusCode).toBe(403);
      const missing = await call(w.app, w.aAdmin, 'POST', url(randomId()));
      expect(missing.statusCode).toBe(404);
      expect(answer(await call(w.app, w.aAdmin, 'POST', url(bUser.id)))).toEqual(answer(missing));
      expect((await call(w.app, bUser, 'GET', '/api/auth/me')).statusCode).toBe(200);
      // Control: in their own organisation it works at once.
      const aUser = await person(w.app, w.ctx, { id: w.orgA });
      expect((await call(w.app, w.aAdmin, 'POST', url(aUser.id))).statusCode).toBe(204);
      expect((await call(w.app, aUser, 'GET', '/api/auth/me')).statusCode).toBe(401);
    },
  },
  'POST /api/admin/tokens': {
    kind: 'cross-org',
    outcome: "a token issued by A's admin acts for A only: B's hidden items answer like missing ones",
    run: async (w) => {
      const input = { name: 'A scanner', permissions: ['items:read'] };
      expect((await call(w.app, w.a, 'POST', '/api/admin/tokens', input)).statusCode).toBe(403);
      const { secret } = await ok<{ secret: string }>(
        call(w.app, w.aAdmin, 'POST', '/api/admin/tokens', input),
        201,
      );
      const bearer = { headers: { authorization: `Bearer ${secret}` } };
      const missing = await call(w.app, bearer, 'GET', `/api/items/${randomId()}`);
      expect(missing.statusCode).toBe(404);
      for (const h of [w.bHidden, w.bRed]) {
        expect(answer(await call(w.app, bearer, 'GET', `/api/items/${h.id}`))).toEqual(answer(missing));
      }
      mustNotMention(w, (await call(w.app, bearer, 'GET', '/api/items?pageSize=200')).body);
    },
  },

  // —— audit ——
  'GET /api/audit': {
    kind: 'cross-org',
    outcome: "a DPO of A sees records of A's actors only, none of B's; analysts get 403",
    run: async (w) => {
      expect((await call(w.app, w.a, 'GET', '/api/audit')).statusCode).toBe(403);
      const own = await ok<{ records: { orgId: string | null }[]; total: number }>(
        call(w.app, w.aDpo, 'GET', '/api/audit?pageSize=500'),
      );
      expect(own.total).toBeGreaterThan(0);
      expect(own.records.every((r) => r.orgId === w.orgA)).toBe(true);
      const ofB = await ok<{ total: number }>(call(w.app, w.aDpo, 'GET', `/api/audit?userId=${w.b.id}`));
      expect(ofB.total).toBe(0);
      const onBItem = await ok<{ records: { orgId: string | null }[] }>(
        call(w.app, w.aDpo, 'GET', `/api/audit?itemId=${w.bHidden.id}`),
      );
      expect(onBItem.records.every((r) => r.orgId === w.orgA)).toBe(true);
      // …while B's own officer does see them: the filter is by organisation, not broken.
      const control = await ok<{ total: number }>(call(w.app, w.bDpo, 'GET', `/api/audit?userId=${w.b.id}`));
      expect(control.total).toBeGreaterThan(0);
    },
  },
  'GET /api/audit/head': {
    kind: 'cross-org',
    outcome: 'the signed tree head is hashes only: no user, organisation or item of B in it',
    run: async (w) => {
      const r = await call(w.app, w.a, 'GET', '/api/audit/head');
      expect(Object.keys(r.json() as object).sort()).toEqual(
        ['keyId', 'publicKey', 'rootHash', 'signature', 'timestamp', 'treeSize'].sort(),
      );
      expect(r.body).not.toContain(w.b.id);
      expect(r.body).not.toContain(w.orgB);
    },
  },
  'GET /api/audit/proofs/inclusion': {
    kind: 'cross-org',
    outcome: "an inclusion proof of B's record gives A hashes only, not the record",
    run: async (w) => {
      const rec = (await w.ctx.audit.query({ userId: w.b.id, limit: 1, offset: 0 })).records[0]!;
      const size = (await ok<{ treeSize: number }>(call(w.app, w.a, 'GET', '/api/audit/head'))).treeSize;
      const r = await call(
        w.app,
        w.a,
        'GET',
        `/api/audit/proofs/inclusion?index=${rec.index}&treeSize=${size}`,
      );
      expect(r.statusCode).toBe(200);
      expect(Object.keys(r.json() as object).sort()).toEqual(
        ['leafHash', 'leafIndex', 'path', 'rootHash', 'treeSize'].sort(),
      );
      expect(r.body).not.toContain(w.b.id);
      expect(r.body).not.toContain(w.orgB);
    },
  },
  'GET /api/audit/proofs/consistency': {
    kind: 'cross-org',
    outcome: 'a consistency proof gives hashes only',
    run: async (w) => {
      const size = (await ok<{ treeSize: number }>(call(w.app, w.a, 'GET', '/api/audit/head'))).treeSize;
      const r = await call(w.app, w.a, 'GET', `/api/audit/proofs/consistency?from=1&to=${size}`);
      expect(r.statusCode).toBe(200);
      expect(Object.keys(r.json() as object).sort()).toEqual(['from', 'fromRoot', 'path', 'to', 'toRoot']);
      expect(r.body).not.toContain(w.b.id);
    },
  },

  // —— items: lists, search, publication, import ——
  'GET /api/items': {
    kind: 'cross-org',
    outcome: "B's org-only, RED and addressed items never appear for A, in lists, search or filters",
    run: async (w) => {
      const word = w.bHidden.title.split(' ').at(-1)!;
      const queries = [
        '',
        `?q=${word}`,
        `?observable=${CONTAINER}`,
        '?kind=alert&pageSize=200',
        '?tlp=RED',
        '?kind=rfi',
        `?q=${w.bRfi.title.split(' ').at(-1)}`,
      ];
      for (const q of queries) {
        const r = await call(w.app, w.a, 'GET', `/api/items${q}`);
        expect(r.statusCode, q).toBe(200);
        mustNotMention(w, r.body);
      }
      expect((await ok<{ total: number }>(call(w.app, w.a, 'GET', `/api/items?q=${word}`))).total).toBe(0);
      // Control: the owner finds it with the same query.
      const mine = await ok<{ items: { id: string }[] }>(call(w.app, w.b, 'GET', `/api/items?q=${word}`));
      expect(mine.items.map((i) => i.id)).toEqual([w.bHidden.id]);
    },
  },
  'POST /api/items': {
    kind: 'cross-org',
    outcome: "correlation with B's hidden item gives A a restricted count, never its id or title",
    run: async (w) => {
      const r = await call(
        w.app,
        w.a,
        'POST',
        '/api/items',
        itemInput({ observables: [{ type: 'container', value: 'CSQU 305438-3' }] }),
      );
      expect(r.statusCode).toBe(201);
      mustNotMention(w, r.body);
      const corr = (r.json() as { correlation: { restricted: { normalized: string; count: number }[] } })
        .correlation;
      expect(corr.restricted.find((x) => x.normalized === CONTAINER)?.count).toBeGreaterThanOrEqual(1);
    },
  },
  'POST /api/import/misp': {
    kind: 'cross-org',
    outcome: "an import correlating with B's hidden item shows A a count only; B cannot read A's import",
    run: async (w) => {
      const event = JSON.parse(
        readFileSync(path.join(fixturesDir(), 'misp/circl-xorist-57c4445b.json'), 'utf8'),
      );
      const r = await call(w.app, w.a, 'POST', '/api/import/misp', event);
      expect(r.statusCode).toBe(201);
      mustNotMention(w, r.body);
      const body = r.json() as {
        item: { id: string };
        correlation: { restricted: { normalized: string }[] };
      };
      expect(body.correlation.restricted.map((x) => x.normalized)).toContain(HASH);
      expect((await call(w.app, w.b, 'GET', `/api/items/${body.item.id}`)).statusCode).toBe(404);
    },
  },
  'POST /api/import/stix': {
    kind: 'cross-org',
    outcome: "an import correlating with B's hidden item shows A a count only; B cannot read A's import",
    run: async (w) => {
      const bundle = JSON.parse(
        readFileSync(path.join(fixturesDir(), 'stix/indicator-for-c2-ip-address.json'), 'utf8'),
      );
      const r = await call(w.app, w.a, 'POST', '/api/import/stix', bundle);
      expect(r.statusCode).toBe(201);
      mustNotMention(w, r.body);
      const body = r.json() as {
        item: { id: string };
        correlation: { restricted: { normalized: string }[] };
      };
      expect(body.correlation.restricted.map((x) => x.normalized)).toContain('10.0.0.0');
      expect((await call(w.app, w.b, 'GET', `/api/items/${body.item.id}`)).statusCode).toBe(404);
    },
  },

  // —— one item ——
  'GET /api/items/:id': {
    kind: 'cross-org',
    outcome: "B's hidden item answers A exactly like a missing id (404, same body), justification or not",
    run: async (w) => {
      await sameAsMissing(w, w.a, 'GET', (id) => `/api/items/${id}`);
      await sameAsMissing(w, w.a, 'GET', (id) => `/api/items/${id}`, undefined, justified());
      const head = async (id: string) => (await call(w.app, w.a, 'HEAD', `/api/items/${id}`)).statusCode;
      expect(await head(w.bHidden.id)).toBe(await head(randomId()));
      // Control: B reads it.
      expect(
        (await call(w.app, w.b, 'GET', `/api/items/${w.bHidden.id}`, undefined, justified())).statusCode,
      ).toBe(200);
    },
  },
  'POST /api/items/:id/replies': {
    kind: 'cross-org',
    outcome: 'like a missing id; nothing is added',
    run: async (w) => {
      await unchangedAfter(w, () =>
        sameAsMissing(w, w.a, 'POST', (id) => `/api/items/${id}/replies`, { body: 'Any news?' }),
      );
      expect(
        (await call(w.app, w.b, 'POST', `/api/items/${w.bHidden.id}/replies`, { body: 'Note to self' }))
          .statusCode,
      ).toBe(201);
    },
  },
  'POST /api/items/:id/sightings': {
    kind: 'cross-org',
    outcome: 'like a missing id; nothing is added',
    run: async (w) => {
      await unchangedAfter(w, () =>
        sameAsMissing(w, w.a, 'POST', (id) => `/api/items/${id}/sightings`, {
          kind: 'seen',
          note: 'Antwerp',
        }),
      );
      expect(
        (await call(w.app, w.b, 'POST', `/api/items/${w.bHidden.id}/sightings`, { kind: 'seen' })).statusCode,
      ).toBe(201);
    },
  },
  'POST /api/items/:id/widen': {
    kind: 'cross-org',
    outcome: 'like a missing id; the distribution is unchanged and no request is filed',
    run: async (w) => {
      const before = (await pendingWidenings(w)).length;
      await unchangedAfter(w, () =>
        sameAsMissing(w, w.a, 'POST', (id) => `/api/items/${id}/widen`, {
          distribution: { orgs: [w.orgA] },
          reason: 'we need it too',
        }),
      );
      expect((await pendingWidenings(w)).length).toBe(before);
      const own = await call(w.app, w.b, 'POST', `/api/items/${w.bHidden.id}/widen`, {
        distribution: { users: [w.bDpo.id] },
        reason: 'our officer follows this',
      });
      expect(own.json()).toEqual({ status: 'applied' });
    },
  },
  'POST /api/items/:id/observables': {
    kind: 'cross-org',
    outcome: 'like a missing id; no observable is added',
    run: async (w) => {
      await unchangedAfter(w, () =>
        sameAsMissing(w, w.a, 'POST', (id) => `/api/items/${id}/observables`, {
          observables: [{ type: 'container', value: 'MSCU1234566' }],
        }),
      );
      const own = await call(w.app, w.b, 'POST', `/api/items/${w.bHidden.id}/observables`, {
        observables: [{ type: 'container', value: 'MSCU1234566' }],
      });
      expect(own.json()).toMatchObject({ accepted: 1 });
    },
  },
  'POST /api/items/:id/attachments': {
    kind: 'cross-org',
    outcome: 'like a missing id; nothing is attached',
    run: async (w) => {
      const file = {
        filename: 'notes.txt',
        mediaType: 'text/plain',
        contentBase64: Buffer.from('seal number 12345').toString('base64'),
      };
      await unchangedAfter(w, () =>
        sameAsMissing(w, w.a, 'POST', (id) => `/api/items/${id}/attachments`, file),
      );
      expect(
        (await call(w.app, w.b, 'POST', `/api/items/${w.bHidden.id}/attachments`, file)).statusCode,
      ).toBe(201);
    },
  },
  'GET /api/items/:id/attachments/:attachmentId': {
    kind: 'cross-org',
    outcome: "B's attachment answers A exactly like a missing one",
    run: async (w) => {
      const att = await ok<{ id: string }>(
        call(w.app, w.b, 'POST', `/api/items/${w.bHidden.id}/attachments`, {
          filename: 'manifest.csv',
          mediaType: 'text/csv',
          contentBase64: Buffer.from('container,seal\nCSQU3054383,12345\n').toString('base64'),
        }),
        201,
      );
      const url = (item: string, file: string) => `/api/items/${item}/attachments/${file}`;
      const missing = await call(w.app, w.a, 'GET', url(randomId(), randomId()), undefined, justified());
      expect(missing.statusCode).toBe(404);
      for (const [item, file] of [
        [w.bHidden.id, att.id],
        [w.bHidden.id, randomId()],
        [randomId(), att.id],
      ] as const) {
        const denied = await call(w.app, w.a, 'GET', url(item, file), undefined, justified());
        expect(answer(denied), url(item, file)).toEqual(answer(missing));
      }
      const own = await call(w.app, w.b, 'GET', url(w.bHidden.id, att.id), undefined, justified());
      expect(own.statusCode).toBe(200);
      expect(own.body).toContain('CSQU3054383');
    },
  },
  'GET /api/items/:id/audit': {
    kind: 'cross-org',
    outcome: "like a missing id, for A's analyst and for A's data-protection officer",
    run: async (w) => {
      await sameAsMissing(w, w.a, 'GET', (id) => `/api/items/${id}/audit`);
      await sameAsMissing(w, w.aDpo, 'GET', (id) => `/api/items/${id}/audit`, undefined, undefined, [
        w.bHidden,
      ]);
      expect((await call(w.app, w.b, 'GET', `/api/items/${w.bHidden.id}/audit`)).statusCode).toBe(200);
    },
  },
  'GET /api/items/:id/export': {
    kind: 'cross-org',
    outcome: 'like a missing id in both formats',
    run: async (w) => {
      for (const format of ['misp', 'stix']) {
        await sameAsMissing(
          w,
          w.a,
          'GET',
          (id) => `/api/items/${id}/export?format=${format}`,
          undefined,
          justified(),
        );
      }
      const own = await call(
        w.app,
        w.b,
        'GET',
        `/api/items/${w.bHidden.id}/export?format=misp`,
        undefined,
        justified(),
      );
      expect(own.statusCode).toBe(200);
    },
  },

  // —— inbox, hits, widening requests, live events ——
  'GET /api/inbox': {
    kind: 'cross-org',
    outcome:
      "A's inbox never shows B's org-only alert, RED item, addressed request, or which item a hit is on",
    run: async (w) => {
      const r = await call(w.app, w.a, 'GET', '/api/inbox');
      expect(r.statusCode).toBe(200);
      mustNotMention(w, r.body);
      const inbox = r.json() as { hits: { itemId: string | null; mine: boolean }[] };
      expect(inbox.hits.filter((h) => h.mine).every((h) => h.itemId === null)).toBe(true);
      // Controls: B's officer has the request, B has the hit on its hidden item.
      const bDpo = await ok<{ requests: { id: string }[] }>(call(w.app, w.bDpo, 'GET', '/api/inbox'));
      expect(bDpo.requests.map((x) => x.id)).toContain(w.bRfi.id);
      const b = await ok<{ hits: { itemId: string | null }[] }>(call(w.app, w.b, 'GET', '/api/inbox'));
      expect(b.hits.map((h) => h.itemId)).toContain(w.bHidden.id);
    },
  },
  'POST /api/hits/:id/request-contact': {
    kind: 'cross-org',
    outcome: "only the searcher may ask: B's owner and C get what a missing hit gets",
    run: async (w) => {
      const { hitId } = await freshHit(w);
      const url = (id: string) => `/api/hits/${id}/request-contact`;
      const payload = { justification: 'same consignee in our case' };
      for (const who of [w.b, w.c]) {
        const missing = await call(w.app, who, 'POST', url(randomId()), payload);
        expect(missing.statusCode).toBe(404);
        expect(answer(await call(w.app, who, 'POST', url(hitId), payload))).toEqual(answer(missing));
      }
      expect((await call(w.app, w.a, 'POST', url(hitId), payload)).statusCode).toBe(200);
    },
  },
  'POST /api/hits/:id/grant': {
    kind: 'cross-org',
    outcome:
      'only the hidden owner decides: the searcher (A) and C get what a missing hit gets; no access given',
    run: async (w) => {
      const { hitId, itemId } = await freshHit(w);
      for (const who of [w.a, w.c]) {
        const missing = await call(w.app, who, 'POST', `/api/hits/${randomId()}/grant`);
        expect(missing.statusCode).toBe(404);
        expect(answer(await call(w.app, who, 'POST', `/api/hits/${hitId}/grant`))).toEqual(answer(missing));
      }
      expect((await call(w.app, w.a, 'GET', `/api/items/${itemId}`)).statusCode).toBe(404);
      expect((await call(w.app, w.b, 'POST', `/api/hits/${hitId}/grant`)).statusCode).toBe(200);
      expect((await call(w.app, w.a, 'GET', `/api/items/${itemId}`)).statusCode).toBe(200);
    },
  },
  'POST /api/hits/:id/decline': {
    kind: 'cross-org',
    outcome: 'only the hidden owner decides: the searcher (A) and C get what a missing hit gets',
    run: async (w) => {
      const { hitId } = await freshHit(w);
      for (const who of [w.a, w.c]) {
        const missing = await call(w.app, who, 'POST', `/api/hits/${randomId()}/decline`);
        expect(missing.statusCode).toBe(404);
        expect(answer(await call(w.app, who, 'POST', `/api/hits/${hitId}/decline`))).toEqual(answer(missing));
      }
      const owned = (await w.ctx.sharing.hits(w.b.actor)).find((h) => h.id === hitId);
      expect(owned?.status).toBe('new');
      expect((await call(w.app, w.b, 'POST', `/api/hits/${hitId}/decline`)).statusCode).toBe(200);
    },
  },
  'POST /api/widening-requests/:id/approve': {
    kind: 'cross-org',
    outcome:
      "only the originator decides: the requester (A) and C get what a missing request gets; C can't read",
    run: async (w) => {
      const { requestId, itemId } = await freshWidening(w);
      const url = (id: string) => `/api/widening-requests/${id}/approve`;
      for (const who of [w.a, w.c]) {
        const missing = await call(w.app, who, 'POST', url(randomId()));
        expect(missing.statusCode).toBe(404);
        expect(answer(await call(w.app, who, 'POST', url(requestId)))).toEqual(answer(missing));
      }
      expect((await pendingWidenings(w)).map((x) => x.id)).toContain(requestId);
      expect((await call(w.app, w.c, 'GET', `/api/items/${itemId}`)).statusCode).toBe(404);
      expect((await ok<{ status: string }>(call(w.app, w.b, 'POST', url(requestId)))).status).toBe(
        'approved',
      );
      expect((await call(w.app, w.c, 'GET', `/api/items/${itemId}`)).statusCode).toBe(200);
    },
  },
  'POST /api/widening-requests/:id/decline': {
    kind: 'cross-org',
    outcome: 'only the originator decides: the requester (A) and C get what a missing request gets',
    run: async (w) => {
      const { requestId } = await freshWidening(w);
      const url = (id: string) => `/api/widening-requests/${id}/decline`;
      for (const who of [w.a, w.c]) {
        const missing = await call(w.app, who, 'POST', url(randomId()));
        expect(missing.statusCode).toBe(404);
        expect(answer(await call(w.app, who, 'POST', url(requestId)))).toEqual(answer(missing));
      }
      expect((await pendingWidenings(w)).map((x) => x.id)).toContain(requestId);
      expect((await ok<{ status: string }>(call(w.app, w.b, 'POST', url(requestId)))).status).toBe(
        'declined',
      );
    },
  },
  'GET /api/events': {
    kind: 'cross-org',
    outcome: "A's event stream carries nothing about items B publishes for B only",
    run: async (w) => {
      const stream = openEvents(w, w.a);
      try {
        await stream.connected;
        const hidden = await publish(w.app, w.b, { title: `SSE hidden ${uniqueWord()}` });
        const request = await publish(w.app, w.b, {
          kind: 'rfi',
          title: `SSE request ${uniqueWord()}`,
          addressees: [w.bDpo.id],
        });
        // A control event A may see, published after the hidden ones: once it arrives, the hidden
        // ones had their turn. A short bounded read after it catches a late leak.
        const control = await publish(w.app, w.c, {
          title: `SSE control ${uniqueWord()}`,
          distribution: { node: true },
        });
        expect(await stream.readUntil(control.id, 10_000)).toBe(true);
        await stream.readUntil('\u0000never', 300);
        for (const h of [hidden, request]) {
          expect(stream.text()).not.toContain(h.id);
          expect(stream.text()).not.toContain(h.title);
        }
      } finally {
        stream.close();
      }
    },
  },

  // ---- finance: ledger data is shared blockchain data; tags follow their marking; watches and
  // alerts belong to one organisation and answer 404, like a missing id, to any other.
  'POST /api/finance/blocks': {
    kind: 'cross-org',
    outcome: "importing blocks raises no alert for another organisation's watch in the importer's view",
    run: async (w) => {
      const f = await financeWorld(w);
      const aAlerts = await ok<{ watchId: string }[]>(call(w.app, w.a, 'GET', '/api/finance/alerts'));
      expect(aAlerts.map((x) => x.watchId)).not.toContain(f.watchId);
    },
  },
  'POST /api/finance/transfers': {
    kind: 'cross-org',
    outcome: 'transfers are ledger data: importing them discloses nothing of another organisation',
    run: async (w) => {
      const r = await call(w.app, w.a, 'POST', '/api/finance/transfers', {
        text: 'chain,hash,from,to,token,amount,time,block\nfoo',
      });
      expect([200, 201, 400]).toContain(r.statusCode);
      expect(r.body).not.toContain(w.orgB);
    },
  },
  'GET /api/finance/addresses/:address': {
    kind: 'cross-org',
    outcome: "B's organisation-only tag on an address is not shown to A",
    run: async (w) => {
      const f = await financeWorld(w);
      const asA = await call(w.app, w.a, 'GET', `/api/finance/addresses/${f.address}`);
      expect(asA.body).not.toContain(f.tagLabel);
      const asB = await call(w.app, w.b, 'GET', `/api/finance/addresses/${f.address}`);
      expect(asB.body).toContain(f.tagLabel);
    },
  },
  'GET /api/finance/addresses/:address/exposure': {
    kind: 'cross-org',
    outcome: "A's exposure score does not name B's hidden tag",
    run: async (w) => {
      const f = await financeWorld(w);
      const r = await call(w.app, w.a, 'GET', `/api/finance/addresses/${f.address}/exposure`);
      expect(r.body).not.toContain(f.tagLabel);
    },
  },
  'POST /api/finance/trace': {
    kind: 'cross-org',
    outcome: "A's trace does not reveal B's hidden tag as a label",
    run: async (w) => {
      const f = await financeWorld(w);
      const r = await call(w.app, w.a, 'POST', '/api/finance/trace', { from: f.address, hops: 2 });
      expect(r.body).not.toContain(f.tagLabel);
    },
  },
  'POST /api/finance/paths': {
    kind: 'cross-org',
    outcome: "A's path search does not reveal B's hidden tag",
    run: async (w) => {
      const f = await financeWorld(w);
      const r = await call(w.app, w.a, 'POST', '/api/finance/paths', {
        from: f.address,
        to: f.address,
        hops: 2,
      });
      expect(r.body).not.toContain(f.tagLabel);
    },
  },
  'POST /api/finance/tags': {
    kind: 'cross-org',
    outcome: 'a tag A creates for A only is not visible to B (404 like missing)',
    run: async (w) => {
      const f = await financeWorld(w);
      const tag = await ok<{ id: string }>(
        call(w.app, w.a, 'POST', '/api/finance/tags', {
          address: f.address,
          label: `A only ${uniqueWord()}`,
          marking: { tlp: 'AMBER', handlingCode: null, sourceReliability: null, infoCredibility: null },
        }),
        201,
      );
      const missing = await call(w.app, w.b, 'GET', `/api/finance/tags/${randomId()}`);
      expect(missing.statusCode).toBe(404);
      expect(answer(await call(w.app, w.b, 'GET', `/api/finance/tags/${tag.id}`))).toEqual(answer(missing));
    },
  },
  'GET /api/finance/tags/:id': {
    kind: 'cross-org',
    outcome: "B's organisation-only tag answers A exactly like a missing one",
    run: async (w) => {
      const f = await financeWorld(w);
      const missing = await call(w.app, w.a, 'GET', `/api/finance/tags/${randomId()}`);
      expect(missing.statusCode).toBe(404);
      expect(answer(await call(w.app, w.a, 'GET', `/api/finance/tags/${f.tagId}`))).toEqual(answer(missing));
      await ok(call(w.app, w.b, 'GET', `/api/finance/tags/${f.tagId}`));
    },
  },
  'POST /api/finance/tagpacks': {
    kind: 'cross-org',
    outcome: "a TagPack imported by A for A only stays out of B's export",
    run: async (w) => {
      const yaml = readFileSync(path.join(fixturesDir(), 'tagpacks/coinjoin_bounty.yaml'), 'utf8');
      await ok(
        call(w.app, w.a, 'POST', '/api/finance/tagpacks', {
          yaml,
          marking: { tlp: 'AMBER', handlingCode: null, sourceReliability: null, infoCredibility: null },
        }),
      );
      const asB = await call(w.app, w.b, 'GET', '/api/finance/tagpacks/export');
      expect(asB.body).not.toContain('3M8XGFBKwkf7miBzpkU3x2DoWwAVrD1mhk');
    },
  },
  'GET /api/finance/tagpacks/export': {
    kind: 'cross-org',
    outcome: "A's export leaves out B's organisation-only tags",
    run: async (w) => {
      const f = await financeWorld(w);
      expect((await call(w.app, w.a, 'GET', '/api/finance/tagpacks/export')).body).not.toContain(f.tagLabel);
      expect((await call(w.app, w.b, 'GET', '/api/finance/tagpacks/export')).body).toContain(f.tagLabel);
    },
  },
  'GET /api/finance/watches': {
    kind: 'cross-org',
    outcome: "A's list of watches never holds B's watch",
    run: async (w) => {
      const f = await financeWorld(w);
      const list = await ok<{ id: string }[]>(call(w.app, w.a, 'GET', '/api/finance/watches'));
      expect(list.map((x) => x.id)).not.toContain(f.watchId);
    },
  },
  'POST /api/finance/watches': {
    kind: 'cross-org',
    outcome: "a watch A creates is A's alone: B gets 404 like missing",
    run: async (w) => {
      const f = await financeWorld(w);
      const mine = await ok<{ id: string }>(
        call(w.app, w.a, 'POST', '/api/finance/watches', { address: f.address }),
        201,
      );
      const missing = await call(w.app, w.b, 'GET', `/api/finance/watches/${randomId()}`);
      expect(answer(await call(w.app, w.b, 'GET', `/api/finance/watches/${mine.id}`))).toEqual(
        answer(missing),
      );
    },
  },
  'GET /api/finance/watches/:id': {
    kind: 'cross-org',
    outcome: "B's watch answers A exactly like a missing one",
    run: async (w) => {
      const f = await financeWorld(w);
      const missing = await call(w.app, w.a, 'GET', `/api/finance/watches/${randomId()}`);
      expect(missing.statusCode).toBe(404);
      expect(answer(await call(w.app, w.a, 'GET', `/api/finance/watches/${f.watchId}`))).toEqual(
        answer(missing),
      );
    },
  },
  'DELETE /api/finance/watches/:id': {
    kind: 'cross-org',
    outcome: "A cannot remove B's watch: 404 like missing, and the watch stays",
    run: async (w) => {
      const f = await financeWorld(w);
      const missing = await call(w.app, w.a, 'DELETE', `/api/finance/watches/${randomId()}`);
      expect(missing.statusCode).toBe(404);
      expect(answer(await call(w.app, w.a, 'DELETE', `/api/finance/watches/${f.watchId}`))).toEqual(
        answer(missing),
      );
      await ok(call(w.app, w.b, 'GET', `/api/finance/watches/${f.watchId}`));
    },
  },
  'POST /api/finance/payments': {
    kind: 'cross-org',
    outcome: "payments B imports are B's only: A's searches never return them",
    run: async (w) => {
      const party = `Crossorg Payer ${uniqueWord()}`;
      const text = `date,amount,currency,payer_name,payer_iban,payee_name,payee_iban,reference\n2026-01-05,10,EUR,${party},BE68539007547034,Payee,NL91ABNA0417164300,x\n`;
      expect(
        await ok<{ stored: number }>(call(w.app, w.b, 'POST', '/api/finance/payments', { text })),
      ).toMatchObject({
        stored: 1,
      });
      const q = `/api/finance/payments?party=${encodeURIComponent(party)}`;
      expect(await ok<unknown[]>(call(w.app, w.a, 'GET', q))).toEqual([]);
      expect((await ok<unknown[]>(call(w.app, w.b, 'GET', q))).length).toBe(1);
    },
  },
  'GET /api/finance/payments': {
    kind: 'cross-org',
    outcome: "A's search by another organisation's IBAN answers like an IBAN nobody used: an empty list",
    run: async (w) => {
      const text =
        'date,amount,currency,payer_name,payer_iban,payee_name,payee_iban\n2026-01-06,10,EUR,B payer,GB82WEST12345698765432,B payee,DE89370400440532013000\n';
      await ok(call(w.app, w.b, 'POST', '/api/finance/payments', { text }));
      const asA = await ok<unknown[]>(
        call(w.app, w.a, 'GET', '/api/finance/payments?iban=GB82WEST12345698765432'),
      );
      const nobody = await ok<unknown[]>(
        call(w.app, w.a, 'GET', '/api/finance/payments?iban=BE71096123456769'),
      );
      expect(asA).toEqual(nobody);
      expect(asA).toEqual([]);
    },
  },
  'GET /api/finance/alerts': {
    kind: 'cross-org',
    outcome: "A's alerts never hold B's",
    run: async (w) => {
      const f = await financeWorld(w);
      const list = await ok<{ id: string }[]>(call(w.app, w.a, 'GET', '/api/finance/alerts'));
      expect(list.map((x) => x.id)).not.toContain(f.alertId);
    },
  },
  'GET /api/finance/alerts/:id': {
    kind: 'cross-org',
    outcome: "B's alert answers A exactly like a missing one",
    run: async (w) => {
      const f = await financeWorld(w);
      const missing = await call(w.app, w.a, 'GET', `/api/finance/alerts/${randomId()}`);
      expect(missing.statusCode).toBe(404);
      expect(answer(await call(w.app, w.a, 'GET', `/api/finance/alerts/${f.alertId}`))).toEqual(
        answer(missing),
      );
      await ok(call(w.app, w.b, 'GET', `/api/finance/alerts/${f.alertId}`));
    },
  },
  'GET /api/finance/clusters/:id': {
    kind: 'cross-org',
    outcome:
      "ledger data for all; B's AMBER tag is absent from A's view of the cluster; an unknown cluster is 404 for both",
    run: async (w) => {
      const f = await financeWorld(w);
      const { clusterId } = await ok<{ clusterId: number }>(
        call(w.app, w.b, 'GET', `/api/finance/addresses/${f.address}`),
      );
      const asA = await ok<{
        size: number;
        tags: { label: string }[];
        members: { addresses: { address: string }[] };
      }>(call(w.app, w.a, 'GET', `/api/finance/clusters/${clusterId}`));
      const asB = await ok<{ size: number; tags: { label: string }[] }>(
        call(w.app, w.b, 'GET', `/api/finance/clusters/${clusterId}`),
      );
      expect(asA.size).toBeGreaterThan(0);
      expect(asA.members.addresses.map((m) => m.address)).toContain(f.address);
      expect(asA.tags.map((t) => t.label)).not.toContain(f.tagLabel);
      expect(asB.tags.map((t) => t.label)).toContain(f.tagLabel);
      const missingA = await call(w.app, w.a, 'GET', '/api/finance/clusters/2147483000');
      const missingB = await call(w.app, w.b, 'GET', '/api/finance/clusters/2147483000');
      expect(missingA.statusCode).toBe(404);
      expect(answer(missingA)).toEqual(answer(missingB));
    },
  },
  'GET /api/finance/tbml': {
    kind: 'cross-org',
    outcome:
      "only the actor's organisation's declarations: A sees its over-invoiced import, D (customs elsewhere) nothing",
    run: async (w) => {
      const c = await cargoWorld(w);
      // 34 ordinary imports of one HS code (enough history for quartiles) and one at 40 times the price.
      const hs = '4421.99';
      const rows = Array.from({ length: 35 }, (_, i) =>
        bananaInput((x) => {
          x.id = `TBML${uniqueWord('r').toUpperCase()}${i}`.slice(0, 35);
          x.container.number = freshContainer();
          x.goods = {
            description: 'WOODEN ARTICLES',
            hsCode: hs,
            packages: 10,
            grossKg: 1000,
            value: { amount: i === 34 ? 400_000 : 9000 + i * 60, currency: 'EUR' },
          };
        }),
      );
      const filed = await ok<{ accepted: number }>(
        call(w.app, w.a, 'POST', '/api/cargo/declarations/batch', {
          format: 'jsonl',
          text: rows.map((x) => JSON.stringify(x)).join('\n'),
        }),
      );
      expect(filed.accepted).toBe(35);
      const q = '/api/finance/tbml?hs=442199&direction=over';
      const asA = await ok<{ rows: { reference: string; unitValue: number }[] }>(call(w.app, w.a, 'GET', q));
      expect(asA.rows.map((r) => r.reference)).toEqual([rows[34]!.id]);
      expect(asA.rows[0]!.unitValue).toBe(400);
      const asD = await ok<{ scanned: number; rows: unknown[] }>(call(w.app, c.d, 'GET', q));
      expect(asD).toMatchObject({ scanned: 0, rows: [] });
      expect(answer(await call(w.app, c.d, 'GET', q))).toEqual(
        answer(await call(w.app, c.d, 'GET', '/api/finance/tbml?hs=442198&direction=over')),
      );
    },
  },
  'GET /api/finance/tbml/:declarationId/payments': {
    kind: 'cross-org',
    outcome: "A's declaration answers D and B exactly like a missing one; A's payments are never B's",
    run: async (w) => {
      const c = await cargoWorld(w);
      const url = (id: string) => `/api/finance/tbml/${id}/payments`;
      await sameAsMissing(w, c.d, 'GET', url, undefined, undefined, [{ id: c.declarationId }]);
      await sameAsMissing(w, w.b, 'GET', url, undefined, undefined, [{ id: c.declarationId }]);
      const mine = await ok<{ declaration: { declarationId: string }; payments: unknown[] }>(
        call(w.app, w.a, 'GET', url(c.declarationId)),
      );
      expect(mine.declaration.declarationId).toBe(c.declarationId);
      // Both organisations hold a payment of A's consignee: A's view links only A's.
      const pay = (name: string, iban: string) =>
        `date,amount,currency,payer_name,payer_iban,payee_name,payee_iban\n2026-01-07,5,EUR,${name},${iban},Frutas del Pacifico SA,NL91ABNA0417164300\n`;
      await ok(
        call(w.app, w.b, 'POST', '/api/finance/payments', {
          text: pay('Schelde Fruit Import NV', 'BE68539007547034'),
        }),
      );
      await ok(
        call(w.app, w.a, 'POST', '/api/finance/payments', {
          text: pay('SCHELDE FRUIT IMPORT N.V.', 'BE71096123456769'),
        }),
      );
      const again = await ok<{ payments: { payer: { iban: string }; betweenParties: boolean }[] }>(
        call(w.app, w.a, 'GET', url(c.declarationId)),
      );
      const ibans = again.payments.map((p) => p.payer.iban);
      expect(ibans).toContain('BE71096123456769');
      expect(ibans).not.toContain('BE68539007547034');
      expect(again.payments.find((p) => p.payer.iban === 'BE71096123456769')?.betweenParties).toBe(true);
    },
  },
  // —— cargo: everything is the filing organisation's own ——
  'POST /api/cargo/declarations': {
    kind: 'cross-org',
    outcome: "D filing A's reference files D's own declaration; A's stays as it was",
    run: async (w) => {
      const c = await cargoWorld(w);
      const input = bananaInput((x) => {
        x.id = c.reference;
        x.version = 2;
        x.consignee.name = 'Someone Else SL';
      });
      const r = await ok<{ id: string; amended: boolean }>(
        call(w.app, c.d, 'POST', '/api/cargo/declarations', input),
        201,
      );
      expect(r.amended).toBe(false);
      expect(r.id).not.toBe(c.declarationId);
      const mine = await aDeclaration(w, c.declarationId);
      expect(mine.version).toBe(1);
      expect(mine.declaration.consignee.name).toBe('Schelde Fruit Import NV');
      const police = await call(w.app, w.b, 'POST', '/api/cargo/declarations', input);
      expect(police.statusCode).toBe(403);
    },
  },
  'POST /api/cargo/declarations/batch': {
    kind: 'cross-org',
    outcome: "a batch of D's never amends A's declarations",
    run: async (w) => {
      const c = await cargoWorld(w);
      const input = bananaInput((x) => {
        x.id = c.reference;
        x.version = 5;
      });
      const r = await ok<{ accepted: number; amended: number }>(
        call(w.app, c.d, 'POST', '/api/cargo/declarations/batch', {
          format: 'jsonl',
          text: JSON.stringify(input),
        }),
      );
      // D's own declaration of that reference (new, or an amendment of one D filed before).
      expect(r.accepted + r.amended).toBe(1);
      expect((await aDeclaration(w, c.declarationId)).version).toBe(1);
    },
  },
  'GET /api/cargo/declarations/:id': {
    kind: 'cross-org',
    outcome: "A's declaration answers D (customs) and B exactly like a missing one",
    run: async (w) => {
      const c = await cargoWorld(w);
      const hidden = [{ id: c.declarationId }];
      await sameAsMissing(
        w,
        c.d,
        'GET',
        (id) => `/api/cargo/declarations/${id}`,
        undefined,
        undefined,
        hidden,
      );
      await sameAsMissing(
        w,
        w.b,
        'GET',
        (id) => `/api/cargo/declarations/${id}`,
        undefined,
        undefined,
        hidden,
      );
    },
  },
  'GET /api/cargo/queue': {
    kind: 'cross-org',
    outcome: "D's queue for the same port and day holds none of A's declarations",
    run: async (w) => {
      const c = await cargoWorld(w);
      const mine = await ok<{ entries: { id: string }[] }>(
        call(w.app, w.a, 'GET', '/api/cargo/queue?port=BEANR&date=2024-04-12'),
      );
      expect(mine.entries.map((e) => e.id)).toContain(c.declarationId);
      const theirs = await ok<{ entries: { id: string }[] }>(
        call(w.app, c.d, 'GET', '/api/cargo/queue?port=BEANR&date=2024-04-12'),
      );
      expect(theirs.entries.map((e) => e.id)).not.toContain(c.declarationId);
    },
  },
  'GET /api/cargo/ports/:port/settings': {
    kind: 'cross-org',
    outcome: "D reads its own settings for the port (defaults), not A's",
    run: async (w) => {
      const c = await cargoWorld(w);
      expect(
        (await ok<{ capacity: number }>(call(w.app, w.a, 'GET', '/api/cargo/ports/BEANR/settings'))).capacity,
      ).toBe(7);
      expect(
        (await ok<{ capacity: number }>(call(w.app, c.d, 'GET', '/api/cargo/ports/BEANR/settings'))).capacity,
      ).toBe(20);
    },
  },
  'PUT /api/cargo/ports/:port/settings': {
    kind: 'cross-org',
    outcome: "D's settings are D's: A's capacity stays",
    run: async (w) => {
      const c = await cargoWorld(w);
      await ok(
        putAs(w, c.d, '/api/cargo/ports/BEANR/settings', {
          capacity: 3,
          thresholds: { red: 90, amber: 50 },
        }),
      );
      expect(
        (await ok<{ capacity: number }>(call(w.app, w.a, 'GET', '/api/cargo/ports/BEANR/settings'))).capacity,
      ).toBe(7);
    },
  },
  'POST /api/cargo/declarations/:id/assignment': {
    kind: 'cross-org',
    outcome: "D cannot assign A's declaration: 404 like missing",
    run: async (w) => {
      const c = await cargoWorld(w);
      await sameAsMissing(
        w,
        c.d,
        'POST',
        (id) => `/api/cargo/declarations/${id}/assignment`,
        { userId: c.d.id },
        undefined,
        [{ id: c.declarationId }],
      );
    },
  },
  'POST /api/cargo/declarations/:id/inspection': {
    kind: 'cross-org',
    outcome: "D cannot record an inspection on A's declaration: 404 like missing, A's record unchanged",
    run: async (w) => {
      const c = await cargoWorld(w);
      const body = { outcome: 'seizure', drug: 'cocaine', kilograms: 10 };
      await sameAsMissing(
        w,
        c.d,
        'POST',
        (id) => `/api/cargo/declarations/${id}/inspection`,
        body,
        undefined,
        [{ id: c.declarationId }],
      );
      expect((await aDeclaration(w, c.declarationId)).inspection?.outcome).toBe('nothing');
    },
  },
  'POST /api/cargo/declarations/:id/alert': {
    kind: 'cross-org',
    outcome: "D cannot raise an alert from A's declaration: 404 like missing",
    run: async (w) => {
      const c = await cargoWorld(w);
      await sameAsMissing(
        w,
        c.d,
        'POST',
        (id) => `/api/cargo/declarations/${id}/alert`,
        undefined,
        undefined,
        [{ id: c.declarationId }],
      );
    },
  },
  'GET /api/cargo/performance': {
    kind: 'cross-org',
    outcome: "D's figures count only D's declarations and inspections",
    run: async (w) => {
      const c = await cargoWorld(w);
      const url = '/api/cargo/performance?port=BEANR&from=2024-04-01&to=2024-04-30';
      const a = await ok<{ overall: { inspections: number } }>(call(w.app, w.a, 'GET', url));
      expect(a.overall.inspections).toBeGreaterThan(0);
      const d = await ok<{ overall: { inspections: number } }>(call(w.app, c.d, 'GET', url));
      expect(d.overall.inspections).toBe(0);
    },
  },
  'GET /api/cargo/model': {
    kind: 'cross-org',
    outcome:
      "A's second opinion learns from A's inspections only: D's stays unavailable and D's queue shows none",
    run: async (w) => {
      const c = await cargoWorld(w);
      // 40 inspected declarations of A's (ETA on a day no other case reads), 10 with a seizure.
      const rows = Array.from({ length: 40 }, (_, i) =>
        bananaInput((x) => {
          x.id = `MODEL${uniqueWord('m').toUpperCase()}${i}`.slice(0, 35);
          x.container.number = freshContainer();
          x.times.eta = '2024-06-03T06:00:00Z';
        }),
      );
      await ok(
        call(w.app, w.a, 'POST', '/api/cargo/declarations/batch', {
          format: 'jsonl',
          text: rows.map((x) => JSON.stringify(x)).join('\n'),
        }),
      );
      const queue = await ok<{ entries: { id: string; reference: string }[] }>(
        call(w.app, w.a, 'GET', '/api/cargo/queue?port=BEANR&date=2024-06-03'),
      );
      const ours = queue.entries.filter((e) => e.reference.startsWith('MODEL'));
      expect(ours).toHaveLength(40);
      for (const [i, e] of ours.entries()) {
        await ok(
          call(w.app, w.a, 'POST', `/api/cargo/declarations/${e.id}/inspection`, {
            outcome: i < 10 ? 'seizure' : 'nothing',
            ...(i < 10 ? { drug: 'cocaine', kilograms: 50, concealment: 'cover-load' } : {}),
          }),
          201,
        );
      }
      const a = await ok<{ available: boolean; trainedOn: number; seizures: number }>(
        call(w.app, w.a, 'GET', '/api/cargo/model'),
      );
      expect(a).toMatchObject({ available: true, seizures: 10 });
      expect(a.trainedOn).toBeGreaterThanOrEqual(40);
      const again = await ok<{ entries: { secondOpinion: number | null }[] }>(
        call(w.app, w.a, 'GET', '/api/cargo/queue?port=BEANR&date=2024-06-03'),
      );
      expect(again.entries.every((e) => typeof e.secondOpinion === 'number')).toBe(true);
      const one = await ok<{ secondOpinion: { probability: number; trainedOn: number } | null }>(
        call(w.app, w.a, 'GET', `/api/cargo/declarations/${ours[0]?.id}`),
      );
      expect(one.secondOpinion?.probability).toBeGreaterThan(0);
      expect(one.secondOpinion?.trainedOn).toBe(a.trainedOn);
      const d = await ok<{ available: boolean; trainedOn?: number }>(
        call(w.app, c.d, 'GET', '/api/cargo/model'),
      );
      expect(d).toMatchObject({ available: false });
      expect(d.trainedOn).toBeUndefined();
      const dQueue = await ok<{ entries: unknown[] }>(
        call(w.app, c.d, 'GET', '/api/cargo/queue?port=BEANR&date=2024-06-03'),
      );
      expect(dQueue.entries).toEqual([]);
    },
  },
  'GET /api/cargo/rules': {
    kind: 'cross-org',
    outcome: "D reads its own rule set (the built-in one), not A's",
    run: async (w) => {
      const c = await cargoWorld(w);
      expect((await ok<{ version: number }>(call(w.app, w.a, 'GET', '/api/cargo/rules'))).version).toBe(
        c.ruleVersion,
      );
      const d = await ok<{ builtIn: boolean; yaml: string }>(call(w.app, c.d, 'GET', '/api/cargo/rules'));
      expect(d.builtIn).toBe(true);
      expect(d.yaml).not.toContain('xorg-ecuador-fruit-rule');
    },
  },
  'GET /api/cargo/rules/versions': {
    kind: 'cross-org',
    outcome: 'D lists only its own rule-set versions',
    run: async (w) => {
      const c = await cargoWorld(w);
      const d = await ok<{ versions: { comment: string }[] }>(
        call(w.app, c.d, 'GET', '/api/cargo/rules/versions'),
      );
      expect(d.versions.map((v) => v.comment)).not.toContain("A's rules");
    },
  },
  'GET /api/cargo/rules/versions/:version': {
    kind: 'cross-org',
    outcome: "A's stored version is answered to other customs exactly like a version that does not exist",
    run: async (w) => {
      const c = await cargoWorld(w);
      const mine = await ok<{ yaml: string }>(
        call(w.app, w.a, 'GET', `/api/cargo/rules/versions/${c.ruleVersion}`),
      );
      expect(mine.yaml).toBe(CARGO_RULES);
      // A customs organisation with no version of its own (D may have stored one with A's number).
      const e = await person(w.app, w.ctx, await buildOrg(w.ctx, { country: 'PT', kind: 'customs' }));
      const missing = await call(w.app, e, 'GET', '/api/cargo/rules/versions/999999');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
      const denied = await call(w.app, e, 'GET', `/api/cargo/rules/versions/${c.ruleVersion}`);
      expect(answer(denied)).toEqual(answer(missing));
    },
  },
  'POST /api/cargo/rules': {
    kind: 'cross-org',
    outcome: "D's new rule set does not change A's",
    run: async (w) => {
      const c = await cargoWorld(w);
      await ok(
        call(w.app, c.d, 'POST', '/api/cargo/rules', { yaml: CARGO_RULES.replace('30', '31'), comment: 'D' }),
        201,
      );
      expect((await ok<{ version: number }>(call(w.app, w.a, 'GET', '/api/cargo/rules'))).version).toBe(
        c.ruleVersion,
      );
    },
  },
  'POST /api/cargo/rules/simulate': {
    kind: 'cross-org',
    outcome: "D's simulation runs over D's declarations only",
    run: async (w) => {
      const c = await cargoWorld(w);
      const all = '/api/cargo/performance?from=2000-01-01&to=2100-01-01';
      for (const who of [w.a, c.d]) {
        const sim = await ok<{ declarations: number }>(
          call(w.app, who, 'POST', '/api/cargo/rules/simulate', { yaml: CARGO_RULES, days: 3650 }),
        );
        const perf = await ok<{ overall: { declarations: number } }>(call(w.app, who, 'GET', all));
        expect(sim.declarations).toBe(perf.overall.declarations);
      }
      const a = await ok<{ overall: { declarations: number } }>(call(w.app, w.a, 'GET', all));
      const d = await ok<{ overall: { declarations: number } }>(call(w.app, c.d, 'GET', all));
      expect(a.overall.declarations).toBeGreaterThan(0);
      expect(a.overall.declarations + d.overall.declarations).toBeGreaterThan(
        Math.max(a.overall.declarations, d.overall.declarations),
      );
    },
  },
  'GET /api/cargo/watchlists': {
    kind: 'cross-org',
    outcome: 'D lists only its own watchlists',
    run: async (w) => {
      const c = await cargoWorld(w);
      const d = await ok<{ entries: { id: string }[] }>(call(w.app, c.d, 'GET', '/api/cargo/watchlists'));
      expect(d.entries.map((e) => e.id)).not.toContain(c.watchEntryId);
    },
  },
  'POST /api/cargo/watchlists/entries': {
    kind: 'cross-org',
    outcome: "D's entry goes to D's watchlists; A's list is unchanged",
    run: async (w) => {
      const c = await cargoWorld(w);
      await ok(
        call(w.app, c.d, 'POST', '/api/cargo/watchlists/entries', {
          id: 'a-box',
          source: 'a-list',
          kind: 'container',
          value: 'CSQU3054383',
        }),
        201,
      );
      const a = await ok<{ entries: { id: string; entry: { kind: string; value?: string } }[] }>(
        call(w.app, w.a, 'GET', '/api/cargo/watchlists'),
      );
      expect(a.entries.find((e) => e.id === c.watchEntryId)?.entry.value).toBe('MSKU1234565');
    },
  },
  'DELETE /api/cargo/watchlists/entries/:id': {
    kind: 'cross-org',
    outcome: "D cannot delete A's entry: 404 like missing, and the entry stays",
    run: async (w) => {
      const c = await cargoWorld(w);
      const missing = await call(w.app, c.d, 'DELETE', `/api/cargo/watchlists/entries/${randomId()}`);
      expect(missing.statusCode).toBe(404);
      expect(
        answer(await call(w.app, c.d, 'DELETE', `/api/cargo/watchlists/entries/${c.watchEntryId}`)),
      ).toEqual(answer(missing));
      const a = await ok<{ entries: { id: string }[] }>(call(w.app, w.a, 'GET', '/api/cargo/watchlists'));
      expect(a.entries.map((e) => e.id)).toContain(c.watchEntryId);
    },
  },
  'POST /api/cargo/watchlists/import-ftm': {
    kind: 'cross-org',
    outcome: "D's import replaces D's list of that name only",
    run: async (w) => {
      const c = await cargoWorld(w);
      const text = readFileSync(path.join(fixturesDir(), 'ftm', 'yente-t1.ftm.jsonl'), 'utf8');
      await ok(call(w.app, c.d, 'POST', '/api/cargo/watchlists/import-ftm', { text, list: 'a-list' }));
      const a = await ok<{ lists: { name: string; entries: number }[] }>(
        call(w.app, w.a, 'GET', '/api/cargo/watchlists'),
      );
      expect(a.lists.find((l) => l.name === 'a-list')?.entries).toBe(1);
    },
  },
};

function keyOf(method: string, url: string): string {
  return `${method} ${url}`;
}

describe.each(engines())('every route has a cross-organisation case (%s)', (engine: Engine) => {
  let node: TestNode;
  let w: World;
  const routes: { method: string; url: string }[] = [];

  beforeAll(async () => {
    node = await testNode(engine);
    const { ctx } = node;
    const app = await buildApp(ctx, {
      web: false,
      logger: false,
      rateLimitPerMinute: 100_000,
      onRoute: (r) => routes.push(r),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const orgA = (await buildOrg(ctx, { country: 'BE', kind: 'customs' })).id;
    const orgB = (await buildOrg(ctx, { country: 'NL', kind: 'police' })).id;
    const orgC = (await buildOrg(ctx, { country: 'FR', kind: 'fiu' })).id;
    const [a, aAdmin, aDpo, b, bDpo, c, root] = [
      await person(app, ctx, { id: orgA }),
      await person(app, ctx, { id: orgA }, ['org_admin']),
      await person(app, ctx, { id: orgA }, ['dpo']),
      await person(app, ctx, { id: orgB }),
      await person(app, ctx, { id: orgB }, ['dpo']),
      await person(app, ctx, { id: orgC }),
      await person(app, ctx, { id: orgC }, ['node_admin']),
    ];
    const bHidden = await publish(app, b, {
      title: `Consignee behind shell company ${uniqueWord('hidden')}`,
      personalData: { subjectCategory: 'suspect', reviewDate: '2027-03-01' },
      observables: [
        { type: 'container', value: CONTAINER },
        { type: 'hash', value: HASH },
        { type: 'ip', value: '10.0.0.0' },
      ],
    });
    const bRed = await publish(app, b, {
      title: `Informant meeting ${uniqueWord('red')}`,
      marking: { tlp: 'RED', handlingCode: 'H2', sourceReliability: 'A', infoCredibility: '1' },
      distribution: { users: [bDpo.id] },
      observables: [{ type: 'container', value: CONTAINER }],
    });
    const bRfi = await publish(app, b, {
      kind: 'rfi',
      title: `Who pays the haulier ${uniqueWord('rfi')}`,
      addressees: [bDpo.id],
    });
    // A's search that hits B's hidden item: gives B a hit and A a restricted count.
    await publish(app, a, { observables: [{ type: 'container', value: CONTAINER }] });
    w = { app, ctx, baseUrl, orgA, orgB, orgC, a, aAdmin, aDpo, b, bDpo, c, root, bHidden, bRed, bRfi };
  });

  afterAll(async () => {
    await w?.app.close();
    await node?.close();
  });

  it('finds a case for every registered route, and no case for a route that does not exist', () => {
    const registered = new Set(routes.map((r) => keyOf(r.method, r.url)));
    expect(registered.size).toBeGreaterThan(30);
    const missing = [...registered].filter((k) => {
      if (CASES[k]) return false;
      // A HEAD route derived from a GET route runs the GET handler: the GET case covers it.
      return !(k.startsWith('HEAD ') && CASES[`GET ${k.slice(5)}`]);
    });
    expect(missing, 'routes without a cross-organisation case in CASES').toEqual([]);
    const stale = Object.keys(CASES).filter((k) => !registered.has(k));
    expect(stale, 'cases for routes that are not registered').toEqual([]);
  });

  it.each(Object.entries(CASES))('%s', async (_key, c) => {
    if (c.kind === 'public') {
      expect(c.reason.length).toBeGreaterThan(10);
      await c.probe(w);
    } else {
      await c.run(w);
    }
  });
});
