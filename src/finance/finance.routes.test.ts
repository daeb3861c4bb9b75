import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOrg,
  buildUser,
  type Engine,
  engines,
  fixturesDir,
  login,
  type Session,
  type TestNode,
  testApp,
  testNode,
} from '../../test/support/node.ts';

describe.each(engines())('finance routes on %s', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;
  let a: Session;
  let b: Session;
  const hex = (f: string) => readFileSync(path.join(fixturesDir(), 'bitcoin', f), 'utf8').trim();

  beforeAll(async () => {
    node = await testNode(engine);
    app = await testApp(node.ctx);
    const orgA = await buildOrg(node.ctx, { kind: 'fiu' });
    const orgB = await buildOrg(node.ctx, { kind: 'fiu' });
    const ua = await buildUser(node.ctx, { orgId: orgA.id });
    const ub = await buildUser(node.ctx, { orgId: orgB.id });
    a = await login(app, node.ctx, ua.username, ua.totpSecret);
    b = await login(app, node.ctx, ub.username, ub.totpSecret);
  });
  afterAll(async () => {
    await app.close();
    await node.close();
  });

  it('imports blocks, looks an address up, traces it as CSV, and keeps watches per organisation', async () => {
    const imp = await app.inject({
      method: 'POST',
      url: '/api/finance/blocks',
      headers: a.headers,
      payload: { hex: [hex('482683.hex')] },
    });
    expect(imp.statusCode).toBe(200);
    expect(imp.json()).toMatchObject({ blocks: 1, transactions: 12 });
    const tx = await app.inject({
      method: 'POST',
      url: '/api/finance/trace',
      headers: a.headers,
      payload: { from: 'a08b40a5bc30b5538d51c6bf385b59bf8ae5dc8c151a772e9c25cd64547bb395', hops: 2 },
    });
    expect(tx.statusCode).toBe(200);
    const result = tx.json() as { sourceAmount: number; nodes: { key: string; kind: string }[] };
    expect(result.sourceAmount).toBe(1256817877);
    const addr = result.nodes.find((n) => n.kind === 'address')!.key.slice('address:'.length);
    const look = await app.inject({
      method: 'GET',
      url: `/api/finance/addresses/${addr}`,
      headers: b.headers,
    });
    expect(look.statusCode).toBe(200);
    expect(look.json()).toMatchObject({ address: addr, clusterSize: 1, tags: [] });
    expect(Array.isArray((look.json() as { changeLinks: unknown }).changeLinks)).toBe(true);
    // The change heuristic is opt-in per trace; a non-boolean is refused like any malformed field.
    const src = 'a08b40a5bc30b5538d51c6bf385b59bf8ae5dc8c151a772e9c25cd64547bb395';
    const withChange = await app.inject({
      method: 'POST',
      url: '/api/finance/trace',
      headers: a.headers,
      payload: { from: src, hops: 2, includeChange: true },
    });
    expect(withChange.statusCode).toBe(200);
    expect((withChange.json() as { sourceAmount: number }).sourceAmount).toBe(1256817877);
    const badFlag = await app.inject({
      method: 'POST',
      url: '/api/finance/trace',
      headers: a.headers,
      payload: { from: src, includeChange: 'yes' },
    });
    expect(badFlag.statusCode).toBe(400);
    const csv = await app.inject({
      method: 'POST',
      url: '/api/finance/trace',
      headers: a.headers,
      payload: { from: addr, format: 'csv' },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const exposure = await app.inject({
      method: 'GET',
      url: `/api/finance/addresses/${addr}/exposure`,
      headers: a.headers,
    });
    expect(exposure.statusCode).toBe(200);
    expect((exposure.json() as { score: number }).score).toBe(0);

    const w = await app.inject({
      method: 'POST',
      url: '/api/finance/watches',
      headers: a.headers,
      payload: { address: addr },
    });
    expect(w.statusCode).toBe(201);
    const id = (w.json() as { id: string }).id;
    const hidden = await app.inject({ method: 'GET', url: `/api/finance/watches/${id}`, headers: b.headers });
    const missing = await app.inject({
      method: 'GET',
      url: `/api/finance/watches/${crypto.randomUUID()}`,
      headers: b.headers,
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).toBe(missing.body);
    const mine = await app.inject({ method: 'GET', url: `/api/finance/watches/${id}`, headers: a.headers });
    expect(mine.statusCode).toBe(200);
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/finance/addresses/1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
      headers: a.headers,
    });
    expect(unknown.statusCode).toBe(404);
  });
});
