import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { currentTotp } from '../src/identity/index.ts';
import type { NodeContext } from '../src/server/context.ts';
import {
  auditSize,
  call,
  clientAddress,
  countRows,
  itemInput,
  ok,
  orgs,
  type Person,
  person,
  publish,
  randomId,
  signIn,
  uniqueWord,
} from './support/api-client.ts';
import {
  buildUser,
  type Engine,
  engines,
  PASSWORD,
  type TestNode,
  testApp,
  testNode,
} from './support/node.ts';
import { freshTotp, totpAt } from './support/totp.ts';

/**
 * Bad input gets a clear error with a stable code and the field's path, and loses nothing: no item,
 * no observable, no audit record is written. Then the guards at the door: CSRF, sign-in, sessions,
 * API tokens and security headers.
 */

/** What a rejected request must leave untouched. */
async function stored(ctx: NodeContext) {
  return {
    items: await countRows(ctx, 'items'),
    observables: await countRows(ctx, 'observables'),
    audit: await auditSize(ctx),
  };
}

async function nothingStored(ctx: NodeContext, act: () => Promise<void>): Promise<void> {
  const before = await stored(ctx);
  await act();
  expect(await stored(ctx)).toEqual(before);
}

function expectError(r: LightMyRequestResponse, status: number, code: string) {
  expect({ status: r.statusCode, code: (r.json() as { code: string }).code }, r.body).toEqual({
    status,
    code,
  });
  return r.json() as {
    code: string;
    message: string;
    details: { path: string; message: string; code?: string }[];
  };
}

const rawPost = (app: FastifyInstance, who: Person, url: string, body: string) =>
  app.inject({
    method: 'POST',
    url,
    headers: { ...who.headers, 'content-type': 'application/json' },
    payload: body,
  });

describe.each(engines())('bad input is refused and loses nothing (%s)', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;
  let ctx: NodeContext;
  let a: Person;
  let itemOfA: string;

  beforeAll(async () => {
    node = await testNode(engine);
    ctx = node.ctx;
    app = await testApp(ctx);
    a = await person(app, ctx, (await orgs(ctx)).a);
    itemOfA = (await publish(app, a)).id;
  });
  afterAll(async () => {
    await app?.close();
    await node?.close();
  });

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    await nothingStored(ctx, async () => {
      for (const body of ['{"kind": "alert", "title": ', '{kind: alert}', "{'a': 1}", '', '[1, 2']) {
        expectError(await rawPost(app, a, '/api/items', body), 400, 'MALFORMED_JSON');
      }
      expectError(
        await rawPost(app, a, `/api/items/${itemOfA}/replies`, '{"body": "x"'),
        400,
        'MALFORMED_JSON',
      );
      expectError(await rawPost(app, a, '/api/import/misp', '{"Event": {'), 400, 'MALFORMED_JSON');
    });
  });

  it('unknown fields → 400 VALIDATION_FAILED with the path of the field', async () => {
    const good = itemInput();
    const cases: [unknown, string][] = [
      [{ ...good, extra: true }, 'extra'],
      [{ ...good, marking: { ...good.marking, foo: 'bar' } }, 'marking.foo'],
      [{ ...good, distribution: { ...good.distribution, everyone: true } }, 'distribution.everyone'],
      [
        { ...good, observables: [{ type: 'container', value: 'CSQU3054383', note: 'x' }] },
        'observables.0.note',
      ],
      [
        { ...good, personalData: { subjectCategory: 'suspect', reviewDate: '2027-01-01', name: 'x' } },
        'personalData.name',
      ],
    ];
    await nothingStored(ctx, async () => {
      for (const [body, field] of cases) {
        const err = expectError(await call(app, a, 'POST', '/api/items', body), 400, 'VALIDATION_FAILED');
        expect(
          err.details.map((d) => d.path),
          field,
        ).toEqual([field]);
      }
      const reply = expectError(
        await call(app, a, 'POST', `/api/items/${itemOfA}/replies`, { body: 'ok', cc: 'someone' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(reply.details.map((d) => d.path)).toEqual(['cc']);
      const query = expectError(await call(app, a, 'GET', '/api/items?sort=title'), 400, 'VALIDATION_FAILED');
      expect(query.details.map((d) => d.path)).toEqual(['sort']);
    });
  });

  it('wrong values of known fields → 400 VALIDATION_FAILED naming each field', async () => {
    const good = itemInput();
    await nothingStored(ctx, async () => {
      const err = expectError(
        await call(app, a, 'POST', '/api/items', {
          ...good,
          kind: 'memo',
          marking: { ...good.marking, tlp: 'WHITE' },
          distribution: { ...good.distribution, orgs: ['not-a-uuid'] },
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(err.details.map((d) => d.path).sort()).toEqual(['distribution.orgs.0', 'kind', 'marking.tlp']);
    });
  });

  it('identifiers with wrong check digits → 400 INVALID_IDENTIFIER with observables.N.value, none stored', async () => {
    const observables = [
      { type: 'container', value: 'CSQU3054383' }, // valid: must not be stored either
      { type: 'container', value: 'CSQU3054384' },
      { type: 'vessel', value: 'IMO 9074728' },
      { type: 'iban', value: 'GB82 WEST 1234 5698 7654 33' },
      { type: 'lei', value: '5493001KJTIIGC8Y1R13' },
      { type: 'crypto', value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb' },
      { type: 'crypto', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr' },
    ];
    await nothingStored(ctx, async () => {
      const err = expectError(
        await call(app, a, 'POST', '/api/items', itemInput({ observables })),
        400,
        'INVALID_IDENTIFIER',
      );
      expect(err.details.map((d) => d.path)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `observables.${i}.value`));
      expect(err.details.every((d) => d.message.length > 0)).toBe(true);
      expect(err.details.map((d) => d.code)).toEqual([
        'CHECK_DIGIT_MISMATCH',
        'CHECK_DIGIT_MISMATCH',
        'CHECK_DIGIT_MISMATCH',
        'CHECK_DIGIT_MISMATCH',
        'BAD_CHECKSUM',
        'BAD_CHECKSUM',
      ]);
      // One bad identifier alone is reported at its own index.
      const single = expectError(
        await call(
          app,
          a,
          'POST',
          '/api/items',
          itemInput({ observables: [observables[0]!, observables[0]!, observables[4]!] }),
        ),
        400,
        'INVALID_IDENTIFIER',
      );
      expect(single.details.map((d) => d.path)).toEqual(['observables.2.value']);
    });
  });

  it('a bulk append keeps the good observables and reports the bad ones with their paths', async () => {
    const before = await countRows(ctx, 'observables');
    const res = await ok<{ accepted: number; rejected: { path: string }[] }>(
      call(app, a, 'POST', `/api/items/${itemOfA}/observables`, {
        observables: [
          { type: 'iban', value: 'BE71096123456769' },
          { type: 'iban', value: 'BE71096123456760' },
          { type: 'starship', value: 'NCC-1701' },
        ],
      }),
    );
    expect(res.accepted).toBe(1);
    expect(res.rejected.map((r) => r.path)).toEqual(['observables.1.value', 'observables.2.value']);
    expect(await countRows(ctx, 'observables')).toBe(before + 1);
  });

  it('CSRF: a cookie session without or with a wrong x-csrf-token → 403 CSRF_FAILED', async () => {
    const noToken = { headers: { cookie: a.cookie } };
    const wrongToken = { headers: { cookie: a.cookie, 'x-csrf-token': `${a.csrf.slice(0, -2)}xx` } };
    const otherSession = await signIn(app, ctx, a.username, a.totpSecret);
    const crossed = { headers: { cookie: a.cookie, 'x-csrf-token': otherSession.csrf } };
    await nothingStored(ctx, async () => {
      for (const who of [noToken, wrongToken, crossed]) {
        expectError(await call(app, who, 'POST', '/api/items', itemInput()), 403, 'CSRF_FAILED');
        expectError(
          await call(app, who, 'POST', `/api/items/${itemOfA}/replies`, { body: 'hello' }),
          403,
          'CSRF_FAILED',
        );
        expectError(await call(app, who, 'POST', '/api/auth/logout'), 403, 'CSRF_FAILED');
      }
    });
    // Reading needs no token, and the session survived the refused logout.
    expect((await call(app, noToken, 'GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await call(app, a, 'POST', '/api/items', itemInput())).statusCode).toBe(201);
  });

  describe('sign-in', () => {
    const login = (body: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/auth/login', payload: body, remoteAddress: clientAddress() });

    it('wrong password, wrong code and unknown user all give the same 401 INVALID_CREDENTIALS', async () => {
      const u = await buildUser(ctx, { orgId: a.orgId });
      const now = ctx.clock.now();
      const code = currentTotp(u.totpSecret, now);
      // A code from ten minutes later lies outside the ±1 step window.
      let wrongCode = currentTotp(u.totpSecret, new Date(now.getTime() + 600_000));
      if (wrongCode === code) wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      const answers = [
        await login({ username: u.username, password: 'wrong password 123', totp: code }),
        await login({ username: u.username, password: PASSWORD, totp: wrongCode }),
        await login({ username: `nobody-${uniqueWord()}`, password: PASSWORD, totp: code }),
        await login({ username: u.username.toUpperCase(), password: 'wrong password 123', totp: code }),
      ];
      for (const r of answers) {
        expect(r.statusCode).toBe(401);
        expect(r.cookies).toEqual([]);
      }
      expect(answers[0]!.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
      expect(new Set(answers.map((r) => r.body)).size).toBe(1);
      // Failures are audited, without a password in sight.
      const failed = await ctx.audit.query({ action: 'login_failed', limit: 500, offset: 0 });
      expect(failed.records.length).toBeGreaterThanOrEqual(4);
      expect(JSON.stringify(failed.records)).not.toContain('wrong password 123');
      // And the right answer still works (3 failures do not lock).
      expect((await login({ username: u.username, password: PASSWORD, totp: code })).statusCode).toBe(200);
    });

    it('a missing code gives 401 MFA_REQUIRED for a real and for an unknown user alike', async () => {
      const u = await buildUser(ctx, { orgId: a.orgId });
      const answers = [
        await login({ username: u.username, password: PASSWORD }),
        await login({ username: u.username, password: 'wrong password 123' }),
        await login({ username: `nobody-${uniqueWord()}`, password: PASSWORD }),
      ];
      for (const r of answers) expect(r.statusCode).toBe(401);
      expect(answers[0]!.json()).toMatchObject({ code: 'MFA_REQUIRED' });
      expect(new Set(answers.map((r) => r.body)).size).toBe(1);
    });

    it('refuses unknown fields and malformed codes like any other input', async () => {
      const u = await buildUser(ctx, { orgId: a.orgId });
      const extra = expectError(
        await login({ username: u.username, password: PASSWORD, totp: '123456', remember: true }),
        400,
        'VALIDATION_FAILED',
      );
      expect(extra.details.map((d) => d.path)).toEqual(['remember']);
      const short = expectError(
        await login({ username: u.username, password: PASSWORD, totp: '12345' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(short.details.map((d) => d.path)).toEqual(['totp']);
    });
  });

  it('logout revokes the session at once, and only that session', async () => {
    const s1 = await signIn(app, ctx, a.username, a.totpSecret);
    const s2 = await signIn(app, ctx, a.username, a.totpSecret);
    const out = await call(app, s1, 'POST', '/api/auth/logout');
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'ps_session');
    expect(cleared?.value).toBe('');
    expectError(await call(app, s1, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
    expectError(await call(app, s1, 'POST', '/api/items', itemInput()), 401, 'UNAUTHENTICATED');
    expect((await call(app, s2, 'GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('sets security headers: CSP, no-store on /api, no sniffing, no framing', async () => {
    const answers = [
      await call(app, null, 'GET', '/api/health'),
      await call(app, a, 'GET', '/api/items'),
      await call(app, a, 'GET', `/api/items/${randomId()}`),
      await call(app, null, 'GET', '/api/no-such-route'),
      await call(app, a, 'POST', '/api/items', { nonsense: true }),
    ];
    for (const r of answers) {
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(String(r.headers['strict-transport-security'])).toContain('max-age=31536000');
    }
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: clientAddress(),
      payload: { username: a.username, password: PASSWORD, totp: totpAt(ctx.clock, a.totpSecret) },
    });
    const cookie = login.cookies.find((c) => c.name === 'ps_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  });
});

/** Everything that moves the node clock gets a node of its own, so no other test's session ages. */
describe.each(engines())('time-bound credentials (%s)', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;
  let ctx: NodeContext;

  beforeEach(async () => {
    node = await testNode(engine);
    ctx = node.ctx;
    app = await testApp(ctx);
  });
  afterEach(async () => {
    await app?.close();
    await node?.close();
  });

  const minutes = (n: number) => node.clock.advance(n * 60_000);
  const login = (username: string, password: string, totpSecret: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: clientAddress(),
      // Wrong-password attempts never use up a code; right ones get a step not used yet.
      payload: {
        username,
        password,
        totp: (password === PASSWORD ? freshTotp : currentTotp)(totpSecret, ctx.clock.now()),
      },
    });

  it('5 failures lock the account for 15 minutes, with the same generic answer even for the right password', async () => {
    const org = (await orgs(ctx)).a;
    const u = await buildUser(ctx, { orgId: org.id });
    const generic = (await login(`nobody-${uniqueWord()}`, PASSWORD, u.totpSecret)).body;
    for (let i = 0; i < 5; i++) {
      const r = await login(u.username, `wrong password ${i}`, u.totpSecret);
      expect(r.statusCode).toBe(401);
      expect(r.body).toBe(generic);
    }
    const locked = await login(u.username, PASSWORD, u.totpSecret);
    expect(locked.statusCode).toBe(401);
    expect(locked.body).toBe(generic);
    expect(locked.cookies).toEqual([]);
    minutes(14);
    expect((await login(u.username, PASSWORD, u.totpSecret)).body).toBe(generic);
    minutes(1);
    const back = await login(u.username, PASSWORD, u.totpSecret);
    expect(back.statusCode).toBe(200);
    // A success resets the count: four new failures do not lock.
    for (let i = 0; i < 4; i++) await login(u.username, 'wrong again 123', u.totpSecret);
    expect((await login(u.username, PASSWORD, u.totpSecret)).statusCode).toBe(200);
  });

  it('an expired lock starts the count again: one more failure does not lock at once', async () => {
    const u = await buildUser(ctx, { orgId: (await orgs(ctx)).a.id });
    for (let i = 0; i < 5; i++) await login(u.username, `wrong password ${i}`, u.totpSecret);
    expect((await login(u.username, PASSWORD, u.totpSecret)).statusCode).toBe(401);
    minutes(15);
    expect((await login(u.username, 'one more typo', u.totpSecret)).statusCode).toBe(401);
    expect((await login(u.username, PASSWORD, u.totpSecret)).statusCode).toBe(200);
  });

  it('a TOTP code signs in once: the same code again is refused like a wrong one, and audited as a replay', async () => {
    const u = await buildUser(ctx, { orgId: (await orgs(ctx)).a.id });
    const code = currentTotp(u.totpSecret, ctx.clock.now());
    const generic = (await login(`nobody-${uniqueWord()}`, PASSWORD, u.totpSecret)).body;
    const once = () =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: clientAddress(),
        payload: { username: u.username, password: PASSWORD, totp: code },
      });
    expect((await once()).statusCode).toBe(200);
    const again = await once();
    expect(again.statusCode).toBe(401);
    expect(again.body).toBe(generic);
    // An older code (the previous step, still inside the drift window) is refused too.
    const older = currentTotp(u.totpSecret, new Date(ctx.clock.now().getTime() - 30_000));
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: clientAddress(),
      payload: { username: u.username, password: PASSWORD, totp: older },
    });
    expect(r.statusCode).toBe(401);
    const failed = await ctx.audit.query({ action: 'login_failed', limit: 10, offset: 0 });
    expect(failed.records.some((x) => JSON.stringify(x).includes('replayedCode'))).toBe(true);
    // The next step's code works.
    minutes(0.5);
    expect((await once()).statusCode).toBe(401);
    const next = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: clientAddress(),
      payload: { username: u.username, password: PASSWORD, totp: currentTotp(u.totpSecret, ctx.clock.now()) },
    });
    expect(next.statusCode).toBe(200);
  });

  it('a session ends after 30 idle minutes', async () => {
    const a = await person(app, ctx, (await orgs(ctx)).a);
    minutes(29);
    expect((await call(app, a, 'GET', '/api/auth/me')).statusCode).toBe(200);
    minutes(29);
    expect((await call(app, a, 'GET', '/api/auth/me')).statusCode).toBe(200);
    minutes(31);
    expectError(await call(app, a, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
    // Idle-expired stays expired, even after a request.
    expectError(await call(app, a, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
  });

  it('a session ends 12 hours after sign-in, however active', async () => {
    const a = await person(app, ctx, (await orgs(ctx)).a);
    for (let elapsed = 25; elapsed < 12 * 60; elapsed += 25) {
      minutes(25);
      expect((await call(app, a, 'GET', '/api/auth/me')).statusCode, `after ${elapsed} min`).toBe(200);
    }
    minutes(25); // 12 h 05 min after sign-in, 25 min after the last request
    expectError(await call(app, a, 'GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
  });

  it('API tokens: Bearer works without CSRF, acts for its organisation only, and expired or revoked ones are refused', async () => {
    const o = await orgs(ctx);
    const admin = await buildUser(ctx, { orgId: o.a.id, roles: ['org_admin'] });
    const b = await person(app, ctx, o.b);
    const a = await person(app, ctx, o.a);
    const ownItem = await publish(app, a);
    const bItem = await publish(app, b);
    const rw = await ctx.identity.createToken(
      admin.actor,
      'targeting robot',
      ['items:read', 'items:write'],
      null,
    );
    const ro = await ctx.identity.createToken(
      admin.actor,
      'dashboard',
      ['items:read'],
      new Date(ctx.clock.now().getTime() + 3_600_000),
    );
    const bearer = (secret: string) => ({ headers: { authorization: `Bearer ${secret}` } });

    const created = await ok<{ item: { ownerOrgId: string; id: string } }>(
      call(app, bearer(rw.secret), 'POST', '/api/items', itemInput()),
      201,
    );
    expect(created.item.ownerOrgId).toBe(o.a.id);
    expect((await call(app, bearer(rw.secret), 'GET', `/api/items/${ownItem.id}`)).statusCode).toBe(200);
    const missing = await call(app, bearer(rw.secret), 'GET', `/api/items/${randomId()}`);
    const denied = await call(app, bearer(rw.secret), 'GET', `/api/items/${bItem.id}`);
    expect(denied.statusCode).toBe(404);
    expect(denied.body).toBe(missing.body);
    const listed = await ok<{ items: { id: string }[] }>(call(app, bearer(rw.secret), 'GET', '/api/items'));
    expect(listed.items.map((i) => i.id)).toContain(ownItem.id);
    expect(listed.items.map((i) => i.id)).not.toContain(bItem.id);
    // A read-only token cannot write; B's user never sees A's token's item.
    expectError(await call(app, bearer(ro.secret), 'POST', '/api/items', itemInput()), 403, 'FORBIDDEN');
    expect((await call(app, b, 'GET', `/api/items/${created.item.id}`)).statusCode).toBe(404);

    expectError(await call(app, bearer('pst_not-a-token'), 'GET', '/api/items'), 401, 'UNAUTHENTICATED');
    // Only A's administrators revoke A's tokens.
    const bAdmin = await buildUser(ctx, { orgId: o.b.id, roles: ['org_admin'] });
    await expect(ctx.identity.revokeToken(bAdmin.actor, rw.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await call(app, bearer(rw.secret), 'GET', '/api/items')).statusCode).toBe(200);
    await ctx.identity.revokeToken(admin.actor, rw.id);
    expectError(await call(app, bearer(rw.secret), 'GET', '/api/items'), 401, 'UNAUTHENTICATED');

    expect((await call(app, bearer(ro.secret), 'GET', '/api/items')).statusCode).toBe(200);
    minutes(61);
    expectError(await call(app, bearer(ro.secret), 'GET', '/api/items'), 401, 'UNAUTHENTICATED');
  });
});
