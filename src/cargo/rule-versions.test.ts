import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ok, type Person, person } from '../../test/support/api-client.ts';
import {
  buildOrg,
  buildUser,
  type Engine,
  engines,
  type TestNode,
  testApp,
  testNode,
} from '../../test/support/node.ts';
import type { Actor } from '../access/index.ts';
import { AppError } from '../platform/errors.ts';
import type { CargoService } from './cargo.ts';

/** Stored rule-set versions can be read back (own organisation only) and restored as a new version. */

const ruleYaml = (weight: number, extra = '') => `# bananas, weight ${weight}
rules:
  - id: ecuador-bananas
    name: Bananas from Ecuador
    description: Bananas loaded in Ecuador.
    weight: ${weight}
    when:
      all:
        - field: route.loadingCountry
          eq: EC
        - field: goods.hsChapter
          eq: "08"
${extra}`;

const SECOND_RULE = `  - id: colombian-coffee
    name: Coffee from Colombia
    description: Coffee loaded in Colombia.
    weight: 20
    when:
      all:
        - field: route.loadingCountry
          eq: CO
        - field: goods.hsChapter
          eq: "09"
`;

/** A rule's content without the version the service assigns to it. */
const content = (rules: { version?: number }[]) => rules.map(({ version: _, ...r }) => r);

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return (e as AppError).code;
}

describe.each(engines())('rule-set versions on %s', (engine: Engine) => {
  let t: TestNode;
  let cargo: CargoService;
  let actor: Actor;
  let other: Actor;

  beforeAll(async () => {
    t = await testNode(engine);
    cargo = t.ctx.cargo;
    const org = await buildOrg(t.ctx, { country: 'BE', kind: 'customs' });
    actor = (await buildUser(t.ctx, { orgId: org.id })).actor;
    const elsewhere = await buildOrg(t.ctx, { country: 'NL', kind: 'customs' });
    other = (await buildUser(t.ctx, { orgId: elsewhere.id })).actor;
  }, 60_000);
  afterAll(async () => t?.close());

  it('reads each version back with its exact text and restores one as a new version', async () => {
    const first = ruleYaml(50);
    const second = ruleYaml(65, SECOND_RULE);
    const v1 = await cargo.saveRules(actor, first, 'bananas');
    const rules1 = (await cargo.rules(actor)).ruleSet.rules;
    t.clock.set('2026-03-03T09:30:00Z');
    const v2 = await cargo.saveRules(actor, second, 'heavier bananas, coffee');
    expect(v2).toMatchObject({ created: true, version: v1.version + 1 });

    const r1 = await cargo.ruleVersion(actor, v1.version);
    const r2 = await cargo.ruleVersion(actor, v2.version);
    expect(r1).toMatchObject({ version: v1.version, comment: 'bananas', yaml: first });
    expect(r2).toMatchObject({
      version: v2.version,
      comment: 'heavier bananas, coffee',
      yaml: second,
      createdAt: '2026-03-03T09:30:00.000Z',
      author: { id: actor.userId },
    });
    expect(r2.author.name).not.toBe('—');
    // The list and the single version agree.
    const listed = (await cargo.ruleVersions(actor)).versions;
    expect(listed.map((v) => v.version)).toEqual([v2.version, v1.version]);
    const { yaml: _, ...r1Listed } = r1;
    expect(listed[1]).toEqual(r1Listed);
    expect(r1.hash).not.toBe(r2.hash);

    // Restoring = saving the old text again: a new version whose rules are those of version 1.
    const restored = await cargo.saveRules(actor, r1.yaml, `Restored version ${r1.version}`);
    expect(restored).toMatchObject({
      created: true,
      version: v2.version + 1,
      changed: ['ecuador-bananas'],
      removed: ['colombian-coffee'],
    });
    const r3 = await cargo.ruleVersion(actor, restored.version);
    expect(r3).toMatchObject({ yaml: first, comment: `Restored version ${r1.version}` });
    const now = await cargo.rules(actor);
    expect(now.yaml).toBe(first);
    expect(now.ruleSet.rules.map((r) => r.id)).toEqual(['ecuador-bananas']);
    // Same rules as version 1; only the version numbers moved on (so the hash, which covers them, differs).
    expect(content(now.ruleSet.rules)).toEqual(content(rules1));
    expect(now.ruleSet.rules[0]?.version).toBe(3);
    // The earlier versions are untouched: history is append-only.
    expect(await cargo.ruleVersion(actor, v1.version)).toEqual(r1);
    expect(await cargo.ruleVersion(actor, v2.version)).toEqual(r2);
    // Restoring the version in force changes nothing.
    expect((await cargo.saveRules(actor, r3.yaml, 'again')).created).toBe(false);
  });

  it('answers another organisation and a missing version alike, and refuses a bad number', async () => {
    const mine = await cargo.saveRules(actor, ruleYaml(40), 'mine');
    expect(await codeOf(cargo.ruleVersion(other, mine.version))).toBe('NOT_FOUND');
    expect(await codeOf(cargo.ruleVersion(actor, mine.version + 1000))).toBe('NOT_FOUND');
    expect(await codeOf(cargo.ruleVersion(actor, 2 ** 40))).toBe('NOT_FOUND');
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(await codeOf(cargo.ruleVersion(actor, bad))).toBe('VALIDATION_FAILED');
    // The other organisation's own versions are its own.
    const theirs = await cargo.saveRules(other, ruleYaml(10), 'theirs');
    expect((await cargo.ruleVersion(other, theirs.version)).comment).toBe('theirs');
  });
});

describe.each(engines())('GET /api/cargo/rules/versions/:version on %s', (engine: Engine) => {
  let t: TestNode;
  let app: FastifyInstance;
  let a: Person;
  let b: Person;

  beforeAll(async () => {
    t = await testNode(engine);
    app = await testApp(t.ctx);
    a = await person(app, t.ctx, await buildOrg(t.ctx, { country: 'BE', kind: 'customs' }));
    b = await person(app, t.ctx, await buildOrg(t.ctx, { country: 'ES', kind: 'customs' }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('returns the version with its YAML, and the same 404 for a missing or foreign one', async () => {
    const yaml = ruleYaml(55);
    const saved = await ok<{ version: number }>(
      call(app, a, 'POST', '/api/cargo/rules', { yaml, comment: 'over HTTP' }),
      201,
    );
    const got = await ok<Record<string, unknown>>(
      call(app, a, 'GET', `/api/cargo/rules/versions/${saved.version}`),
    );
    expect(Object.keys(got).sort()).toEqual(['author', 'comment', 'createdAt', 'hash', 'version', 'yaml']);
    expect(got).toMatchObject({ version: saved.version, comment: 'over HTTP', yaml });
    const listed = await ok<{ versions: { hash: string }[] }>(
      call(app, a, 'GET', '/api/cargo/rules/versions'),
    );
    expect(got.hash).toBe(listed.versions[0]?.hash);

    const missing = await call(app, b, 'GET', `/api/cargo/rules/versions/${saved.version + 500}`);
    const foreign = await call(app, b, 'GET', `/api/cargo/rules/versions/${saved.version}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    for (const r of [missing, foreign]) expect(r.headers['content-type']).toBeDefined();
    expect({ status: foreign.statusCode, type: foreign.headers['content-type'], body: foreign.body }).toEqual(
      {
        status: missing.statusCode,
        type: missing.headers['content-type'],
        body: missing.body,
      },
    );
    expect((await call(app, null, 'GET', `/api/cargo/rules/versions/${saved.version}`)).statusCode).toBe(401);
  });

  it.each(['0', '-1', '1.5', '1e2', '0x10', 'abc', '%201', '99999999999', '4294967296'])(
    'refuses version %s with 400 VALIDATION_FAILED',
    async (v) => {
      const r = await call(app, a, 'GET', `/api/cargo/rules/versions/${v}`);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'version' }] });
    },
  );

  it('restores through the existing save endpoint: the old text becomes the newest version', async () => {
    const old = await ok<{ version: number }>(
      call(app, a, 'POST', '/api/cargo/rules', { yaml: ruleYaml(21), comment: 'old' }),
      201,
    );
    await ok(call(app, a, 'POST', '/api/cargo/rules', { yaml: ruleYaml(22), comment: 'newer' }), 201);
    const v = await ok<{ yaml: string }>(call(app, a, 'GET', `/api/cargo/rules/versions/${old.version}`));
    // The loaded text simulates like any edit.
    await ok(call(app, a, 'POST', '/api/cargo/rules/simulate', { yaml: v.yaml }));
    const restored = await ok<{ version: number; changed: string[] }>(
      call(app, a, 'POST', '/api/cargo/rules', { yaml: v.yaml, comment: `Restored version ${old.version}` }),
      201,
    );
    expect(restored.changed).toEqual(['ecuador-bananas']);
    const now = await ok<{ version: number; yaml: string }>(call(app, a, 'GET', '/api/cargo/rules'));
    expect(now).toMatchObject({ version: restored.version, yaml: ruleYaml(21) });
  });
});
