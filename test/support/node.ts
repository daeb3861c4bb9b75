import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import type { Role } from '../../src/access/index.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { type Database, openPglite, openPostgres } from '../../src/platform/database.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { buildApp } from '../../src/server/app.ts';
import { type NodeContext, openNode } from '../../src/server/context.ts';
import { totpAt } from './totp.ts';

export type Engine = 'pglite' | 'postgres';

/** The storage engines this run can test: both under CI (global setup fails otherwise). */
export function engines(): Engine[] {
  return inject('pgUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh, empty database on the shared test server. */
export async function freshPostgresUrl(): Promise<string> {
  const admin = inject('pgUrl');
  if (!admin) throw new Error('no PostgreSQL server in this run');
  const name = `ps_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  return admin.replace(/\/[^/]*$/, `/${name}`);
}

export async function openTestDatabase(engine: Engine): Promise<Database> {
  return engine === 'pglite' ? openPglite(null) : openPostgres(await freshPostgresUrl(), 5);
}

export interface TestNode {
  ctx: NodeContext;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function testNode(engine: Engine): Promise<TestNode> {
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  const database = await openTestDatabase(engine);
  const config = {
    ...loadConfig({}),
    dataDir: path.join('/tmp', `ps-test-${randomBytes(4).toString('hex')}`),
  };
  const ctx = await openNode(config, { clock, database, log: createLogger('silent') });
  return { ctx, clock, close: () => ctx.close() };
}

export const PASSWORD = 'correct horse battery staple';

/** Factories with overrides that create the parents they need. */
export async function buildOrg(
  ctx: NodeContext,
  o: Partial<{
    name: string;
    country: string;
    sector: 'public' | 'private';
    kind: 'customs' | 'police' | 'terminal_operator' | 'fiu';
  }> = {},
) {
  const org = {
    id: crypto.randomUUID(),
    name: o.name ?? `Org ${randomBytes(3).toString('hex')}`,
    country: o.country ?? 'BE',
    sector: o.sector ?? 'public',
    kind: o.kind ?? 'customs',
  };
  await ctx.identity.seedOrg(org);
  return org;
}

export async function buildUser(
  ctx: NodeContext,
  o: { orgId?: string; roles?: Role[]; username?: string } = {},
) {
  const orgId = o.orgId ?? (await buildOrg(ctx)).id;
  const username = o.username ?? `u${randomBytes(4).toString('hex')}`;
  const res = await ctx.identity.createUser(null, {
    username,
    displayName: `User ${username}`,
    orgId,
    roles: o.roles ?? ['analyst'],
    password: PASSWORD,
    locale: 'en',
  });
  const actor = await ctx.identity.actorForUsername(username);
  return { ...res, username, actor };
}

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

export async function login(
  app: FastifyInstance,
  ctx: NodeContext,
  username: string,
  totpSecret: string,
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: PASSWORD, totp: totpAt(ctx.clock, totpSecret) },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ps_session');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const c = `ps_session=${cookie!.value}`;
  return { cookie: c, csrf, headers: { cookie: c, 'x-csrf-token': csrf } };
}

export async function testApp(ctx: NodeContext): Promise<FastifyInstance> {
  return buildApp(ctx, { web: false, logger: false, rateLimitPerMinute: 100_000 });
}

export { fixturesDir } from './fixtures.ts';
