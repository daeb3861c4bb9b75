/** The cargo HTTP contract: shapes, bad input (400 with code and field path, nothing stored). */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bananaInput } from '../src/cargo/cargo.fixtures.ts';
import { call, ok, type Person, person } from './support/api-client.ts';
import { buildOrg, type Engine, engines, type TestNode, testApp, testNode } from './support/node.ts';

describe.each(engines())('cargo API on %s', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;
  let a: Person;

  const declarations = async () =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from cargo_declarations where owner_org_id = ${a.orgId}::uuid`.execute(
        node.ctx.database.db,
      )
    ).rows[0]?.n;

  beforeAll(async () => {
    node = await testNode(engine);
    app = await testApp(node.ctx);
    a = await person(app, node.ctx, await buildOrg(node.ctx, { country: 'BE', kind: 'customs' }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await node?.close();
  });

  it('files one declaration and answers the contract', async () => {
    const r = await ok<Record<string, unknown>>(
      call(app, a, 'POST', '/api/cargo/declarations', bananaInput()),
      201,
    );
    expect(r).toMatchObject({
      version: 1,
      amended: false,
      channel: expect.stringMatching(/^(red|amber|green)$/),
    });
    expect(typeof r.score).toBe('number');
    const got = await ok<Record<string, unknown>>(call(app, a, 'GET', `/api/cargo/declarations/${r.id}`));
    expect(Object.keys(got)).toEqual(
      expect.arrayContaining([
        'id',
        'version',
        'declaration',
        'score',
        'channel',
        'reasons',
        'versions',
        'assignee',
        'inspection',
      ]),
    );
    const q = await ok<Record<string, unknown>>(
      call(app, a, 'GET', '/api/cargo/queue?port=BEANR&date=2024-04-12'),
    );
    expect(q).toMatchObject({
      port: 'BEANR',
      date: '2024-04-12',
      capacity: 20,
      thresholds: { red: 75, amber: 45 },
    });
  });

  it.each([
    ['an unknown field', (d: Record<string, unknown>) => Object.assign(d, { colour: 'red' }), 'colour'],
    [
      'a bad container check digit',
      (d: Record<string, unknown>) => ((d.container as { number: string }).number = 'CSQU3054384'),
      'container.number',
    ],
    ['a missing consignee', (d: Record<string, unknown>) => delete d.consignee, 'consignee'],
    [
      'a malformed port',
      (d: Record<string, unknown>) => ((d.route as { discharge: string }).discharge = 'B1'),
      'route.discharge',
    ],
  ])('refuses %s with 400, the code and the field path, and stores nothing', async (_n, bend, field) => {
    const before = await declarations();
    const d = bananaInput(
      (x) => (x.id = `BAD${Math.random().toString(36).slice(2, 10)}`),
    ) as unknown as Record<string, unknown>;
    bend(d);
    const r = await call(app, a, 'POST', '/api/cargo/declarations', d);
    expect(r.statusCode).toBe(400);
    const body = r.json() as { code: string; details: { path: string }[] };
    expect(body.code).toMatch(/^(VALIDATION_FAILED|INVALID_IDENTIFIER)$/);
    expect(body.details.map((x) => x.path)).toContain(field);
    expect(await declarations()).toBe(before);
  });

  it('refuses a batch whose CSV header is unusable, storing nothing; reports bad rows of a good batch', async () => {
    const before = await declarations();
    const r = await call(app, a, 'POST', '/api/cargo/declarations/batch', {
      format: 'csv',
      text: 'id,colour\nx,y\n',
    });
    expect(r.statusCode).toBe(400);
    expect((r.json() as { details: { path: string }[] }).details[0]?.path).toMatch(/^text/);
    expect(await declarations()).toBe(before);
    const text = [JSON.stringify(bananaInput((x) => (x.id = 'BATCH-OK-1'))), '{"id": 1}'].join('\n');
    const b = await ok<{
      accepted: number;
      quarantined: number;
      errors: { row: number; field: string; code: string }[];
    }>(call(app, a, 'POST', '/api/cargo/declarations/batch', { format: 'jsonl', text }));
    expect(b).toMatchObject({ accepted: 1, quarantined: 1 });
    expect(b.errors.every((e) => e.row === 2)).toBe(true);
    expect(b.errors.map((e) => e.field)).toContain('id');
  });

  it('validates settings, inspections and rules with paths', async () => {
    const s = await app.inject({
      method: 'PUT',
      url: '/api/cargo/ports/BEANR/settings',
      headers: a.headers,
      payload: { capacity: 5, thresholds: { red: 10, amber: 50 } },
    });
    expect(s.statusCode).toBe(400);
    expect((s.json() as { details: { path: string }[] }).details[0]?.path).toBe('thresholds.amber');
    const rules = await call(app, a, 'POST', '/api/cargo/rules', {
      yaml: 'rules: [{id: "X"}]',
      comment: 'c',
    });
    expect(rules.statusCode).toBe(400);
    expect((rules.json() as { details: { path: string }[] }).details.map((d) => d.path).join(' ')).toContain(
      'rules[0]',
    );
  });
});
