import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, itemInput, ok, person } from './support/api-client.ts';
import { buildOrg, type Engine, engines, type TestNode, testApp, testNode } from './support/node.ts';

/**
 * Sessions are reused in process for a few seconds (SESSION_CACHE_SECONDS, 5 by default) so that
 * authentication costs one round trip per burst, not per request. These tests pin what must stay
 * immediate despite the cache: logout, revocation and administrative changes in this process.
 */
describe.each(engines())('session cache (%s)', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;

  beforeAll(async () => {
    node = await testNode(engine);
    app = await testApp(node.ctx);
  });
  afterAll(async () => {
    await app.close();
    await node.close();
  });

  it('revoking a user’s sessions refuses their next request at once', async () => {
    const org = await buildOrg(node.ctx);
    const admin = await person(app, node.ctx, org, ['org_admin']);
    const user = await person(app, node.ctx, org);
    await ok(call(app, user, 'GET', '/api/auth/me'));
    await ok(call(app, admin, 'POST', `/api/admin/users/${user.id}/revoke-sessions`), 204);
    expect((await call(app, user, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await call(app, admin, 'GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('a new community membership is seen by the next request of a signed-in member', async () => {
    const org = await buildOrg(node.ctx);
    const reader = await person(app, node.ctx, org);
    const author = await person(app, node.ctx, await buildOrg(node.ctx));
    const nodeAdmin = await person(app, node.ctx, await buildOrg(node.ctx), ['node_admin']);
    await ok(call(app, reader, 'GET', '/api/items')); // resolved and cached without the community
    const community = await ok<{ id: string }>(
      call(app, nodeAdmin, 'POST', '/api/admin/communities', {
        name: `Joint team ${org.id.slice(0, 8)}`,
        memberOrgIds: [org.id, author.orgId],
      }),
      201,
    );
    const { item } = await ok<{ item: { id: string } }>(
      call(app, author, 'POST', '/api/items', itemInput({ distribution: { communities: [community.id] } })),
      201,
    );
    await ok(call(app, reader, 'GET', `/api/items/${item.id}`));
  });

  it('a revocation made by another process is honoured within the cache time', async () => {
    const org = await buildOrg(node.ctx);
    const user = await person(app, node.ctx, org);
    await ok(call(app, user, 'GET', '/api/auth/me'));
    // Another node process on the same database revokes every session of this user.
    await sql`update sessions set revoked_at = now() where user_id = ${user.id}::uuid`.execute(
      node.ctx.database.db,
    );
    // This process learns of it when its cached entry expires, not before.
    expect((await call(app, user, 'GET', '/api/auth/me')).statusCode).toBe(200);
    node.clock.advance(5_000);
    expect((await call(app, user, 'GET', '/api/auth/me')).statusCode).toBe(401);
  });
});
