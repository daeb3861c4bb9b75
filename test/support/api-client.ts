import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Role } from '../../src/access/index.ts';
import { containerCheckDigit } from '../../src/identifiers/index.ts';
import type { NodeContext } from '../../src/server/context.ts';
import type { ItemInputRaw } from '../../src/sharing/index.ts';
import { buildOrg, buildUser, PASSWORD, type Session } from './node.ts';
import { totpAt } from './totp.ts';

/**
 * HTTP helpers for the API tests (cross-organisation, sharing, bad input). Each test file opens
 * its own node and app; nothing here holds state between calls.
 */

export type Org = Awaited<ReturnType<typeof buildOrg>>;

/** A signed-in user: who they are, and the headers their browser would send. */
export interface Person extends Session {
  id: string;
  orgId: string;
  username: string;
  displayName: string;
  totpSecret: string;
  actor: Awaited<ReturnType<typeof buildUser>>['actor'];
}

/** A fresh client address per sign-in, so the login route's per-client rate limit never trips a test. */
export function clientAddress(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]! | 1}`;
}

/** Creates a user in `org` and signs them in over HTTP. */
export async function person(
  app: FastifyInstance,
  ctx: NodeContext,
  org: { id: string },
  roles: Role[] = ['analyst'],
): Promise<Person> {
  const u = await buildUser(ctx, { orgId: org.id, roles });
  return { ...(await signIn(app, ctx, u.username, u.totpSecret)), ...idOf(u) };
}

function idOf(u: Awaited<ReturnType<typeof buildUser>>) {
  return {
    id: u.user.id,
    orgId: u.user.orgId,
    username: u.username,
    displayName: u.user.displayName,
    totpSecret: u.totpSecret,
    actor: u.actor,
  };
}

/** POST /api/auth/login with the right password and code; returns the cookie and CSRF headers. */
export async function signIn(
  app: FastifyInstance,
  ctx: NodeContext,
  username: string,
  totpSecret: string,
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: clientAddress(),
    payload: { username, password: PASSWORD, totp: totpAt(ctx.clock, totpSecret) },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ps_session');
  if (!cookie) throw new Error('login set no session cookie');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const c = `ps_session=${cookie.value}`;
  return { cookie: c, csrf, headers: { cookie: c, 'x-csrf-token': csrf } };
}

type Method = 'GET' | 'HEAD' | 'POST' | 'DELETE';

/** One request as `who` (or anonymous with null). */
export function call(
  app: FastifyInstance,
  who: { headers: Record<string, string> } | null,
  method: Method,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const opts: InjectOptions = { method, url, headers: { ...(who?.headers ?? {}), ...headers } };
  if (payload !== undefined) opts.payload = payload as InjectOptions['payload'];
  return app.inject(opts);
}

/** The JSON answer of a call that must succeed with `status`; the error body is in the failure message. */
export async function ok<T = Record<string, unknown>>(
  res: Promise<LightMyRequestResponse> | LightMyRequestResponse,
  status = 200,
): Promise<T> {
  const r = await res;
  if (r.statusCode !== status) throw new Error(`expected ${status}, got ${r.statusCode}: ${r.body}`);
  return (r.body ? r.json() : undefined) as T;
}

/** A URL-encoded justification header, as the web UI sends it. */
export function justified(why = 'Operation Tidal: checking a consignee'): Record<string, string> {
  return { 'x-justification': encodeURIComponent(why) };
}

/** A unique word for titles, so searches in a shared node find only this test's items. */
export function uniqueWord(prefix = 'w'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** A valid ISO 6346 container number nobody else uses, so correlation touches only this test's items. */
export function freshContainer(): string {
  const serial = String(randomBytes(4).readUInt32BE() % 1_000_000).padStart(6, '0');
  return `PSXU${serial}${containerCheckDigit(`PSXU${serial}`)}`;
}

export function itemInput(o: Partial<ItemInputRaw> = {}): ItemInputRaw {
  return {
    kind: 'alert',
    title: `Suspicious banana consignment ${uniqueWord()}`,
    body: 'Reefer container from Guayaquil, consignee registered last month.',
    marking: { tlp: 'AMBER', handlingCode: null, sourceReliability: 'B', infoCredibility: '2' },
    distribution: { orgs: [], users: [], communities: [], node: false },
    observables: [],
    ...o,
  };
}

export interface Published {
  id: string;
  title: string;
  body: Record<string, unknown>;
}

/** POST /api/items as `who`; fails the test unless the answer is 201. */
export async function publish(
  app: FastifyInstance,
  who: { headers: Record<string, string> },
  o: Partial<ItemInputRaw> = {},
): Promise<Published & { correlation: Correlation }> {
  const input = itemInput(o);
  const body = await ok<{ item: { id: string; title: string }; correlation: Correlation }>(
    call(app, who, 'POST', '/api/items', input),
    201,
  );
  return { id: body.item.id, title: body.item.title, body, correlation: body.correlation };
}

export interface Correlation {
  visible: { itemId: string; title: string; kind: string; observableType: string; normalized: string }[];
  restricted: { observableType: string; normalized: string; count: number }[];
}

/** Rows in the audit log (from the sequencer, which counts every appended record). */
export async function auditSize(ctx: NodeContext): Promise<number> {
  return Number((await ctx.audit.query({ limit: 1, offset: 0 })).total);
}

export async function countRows(ctx: NodeContext, table: 'items' | 'observables' | 'users'): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
    ctx.database.db,
  );
  return Number(r.rows[0]!.n);
}

export function randomId(): string {
  return randomUUID();
}

/** Two public organisations and one private one, for the sharing and access tests. */
export async function orgs(ctx: NodeContext) {
  return {
    a: await buildOrg(ctx, { country: 'BE', kind: 'customs' }),
    b: await buildOrg(ctx, { country: 'NL', kind: 'police' }),
    c: await buildOrg(ctx, { country: 'ES', kind: 'fiu' }),
    p: await buildOrg(ctx, { country: 'BE', kind: 'terminal_operator', sector: 'private' }),
  };
}
