import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBlockHex } from '../src/finance/index.ts';
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
} from './support/node.ts';

/** Server-sent events read over a real socket, as a browser would. */
function openEvents(baseUrl: string, who: Session) {
  let text = '';
  const req = http.get(`${baseUrl}/api/events`, { headers: { cookie: who.cookie } });
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
  const readUntil = async (needle: string, boundMs: number): Promise<boolean> => {
    const end = Date.now() + boundMs;
    while (!text.includes(needle) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    return text.includes(needle);
  };
  return { connected, readUntil, text: () => text, close: () => req.destroy() };
}

describe.each(engines())('finance alerts reach the watcher, not the importer (%s)', (engine: Engine) => {
  let node: TestNode;
  let app: FastifyInstance;
  let baseUrl: string;
  let importer: Session;
  let watcher: Session;
  let watcherColleague: Session;
  let orgW: string;
  const hex = readFileSync(path.join(fixturesDir(), 'bitcoin/300025.hex'), 'utf8').trim();
  const block = parseBlockHex(hex);
  const address = block.transactions.flatMap((t) => t.outputs.map((o) => o.address)).find((a) => a !== null)!;

  beforeAll(async () => {
    node = await testNode(engine);
    app = await testApp(node.ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const orgI = await buildOrg(node.ctx, { kind: 'customs' });
    orgW = (await buildOrg(node.ctx, { kind: 'fiu' })).id;
    const ui = await buildUser(node.ctx, { orgId: orgI.id });
    const uw = await buildUser(node.ctx, { orgId: orgW });
    const uw2 = await buildUser(node.ctx, { orgId: orgW });
    importer = await login(app, node.ctx, ui.username, ui.totpSecret);
    watcher = await login(app, node.ctx, uw.username, uw.totpSecret);
    watcherColleague = await login(app, node.ctx, uw2.username, uw2.totpSecret);
  });
  afterAll(async () => {
    await app.close();
    await node.close();
  });

  it('pushes a finance-alert event and publishes an alert item for the watching organisation only', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/finance/watches',
      headers: watcher.headers,
      payload: { address, share: { tlp: 'AMBER', communityId: crypto.randomUUID() } },
    });
    expect(bad.statusCode).toBe(404); // a community the watcher is not in looks missing
    const w = await app.inject({
      method: 'POST',
      url: '/api/finance/watches',
      headers: watcher.headers,
      payload: { address, note: 'case 2026/17 — secret', share: { tlp: 'AMBER' } },
    });
    expect(w.statusCode).toBe(201);
    const watch = w.json() as { id: string; share: { tlp: string; communityId: string | null } };
    expect(watch.share).toEqual({ tlp: 'AMBER', communityId: null });

    const seenByWatcher = openEvents(baseUrl, watcherColleague);
    const seenByImporter = openEvents(baseUrl, importer);
    try {
      await Promise.all([seenByWatcher.connected, seenByImporter.connected]);
      const imp = await app.inject({
        method: 'POST',
        url: '/api/finance/blocks',
        headers: importer.headers,
        payload: { hex: [hex] },
      });
      expect(imp.statusCode).toBe(200);
      // The importer's answer says nothing of another organisation's watch.
      expect(imp.json()).toMatchObject({ blocks: 1, alerts: 0 });
      expect(imp.body).not.toContain(watch.id);

      const alerts = (
        await app.inject({ method: 'GET', url: '/api/finance/alerts', headers: watcher.headers })
      ).json() as { id: string; watchId: string; itemId: string | null; address: string }[];
      const alert = alerts.find((a) => a.watchId === watch.id)!;
      expect(alert).toBeDefined();
      expect(alert.address).toBe(address);
      expect(alert.itemId).not.toBeNull();

      expect(await seenByWatcher.readUntil(alert.id, 10_000)).toBe(true);
      expect(seenByWatcher.text()).toContain('event: finance-alert');
      expect(await seenByWatcher.readUntil(alert.itemId!, 10_000)).toBe(true);

      // The item is the watching organisation's, carries the address as an observable and is in its inbox.
      const item = await app.inject({
        method: 'GET',
        url: `/api/items/${alert.itemId}`,
        headers: watcherColleague.headers,
      });
      expect(item.statusCode).toBe(200);
      const body = item.json() as {
        kind: string;
        ownerOrgId: string;
        body: string;
        observables: { type: string; normalized: string }[];
      };
      expect(body.kind).toBe('alert');
      expect(body.ownerOrgId).toBe(orgW);
      expect(body.observables.map((o) => o.normalized)).toContain(address);
      expect(body.body).not.toContain('secret');
      const inbox = (
        await app.inject({ method: 'GET', url: '/api/inbox', headers: watcherColleague.headers })
      ).json() as { alerts: { id: string }[] };
      expect(inbox.alerts.map((a) => a.id)).toContain(alert.itemId);

      // Nothing of it reaches the importer: not the item, not the alert, not the live events.
      const missing = await app.inject({
        method: 'GET',
        url: `/api/items/${crypto.randomUUID()}`,
        headers: importer.headers,
      });
      const hidden = await app.inject({
        method: 'GET',
        url: `/api/items/${alert.itemId}`,
        headers: importer.headers,
      });
      expect(hidden.statusCode).toBe(404);
      expect(hidden.body).toBe(missing.body);
      const mine = (
        await app.inject({ method: 'GET', url: '/api/finance/alerts', headers: importer.headers })
      ).json() as unknown[];
      expect(mine).toEqual([]);
      await seenByImporter.readUntil('\u0000never', 300);
      expect(seenByImporter.text()).not.toContain('finance-alert');
      expect(seenByImporter.text()).not.toContain(alert.id);
      expect(seenByImporter.text()).not.toContain(alert.itemId!);
    } finally {
      seenByWatcher.close();
      seenByImporter.close();
    }
  });

  it('a watch without share raises the alert and the event but publishes no item (transfers)', async () => {
    const watched = '0x52908400098527886e0f7030069857d2e4169ee7';
    const payer = '0xde709f2102306220921060314715629080e2fb77';
    const w = await app.inject({
      method: 'POST',
      url: '/api/finance/watches',
      headers: watcher.headers,
      payload: { address: watched },
    });
    expect(w.statusCode).toBe(201);
    expect((w.json() as { share: unknown }).share).toBeNull();
    const events: unknown[] = [];
    const off = node.ctx.events.subscribe((e) => events.push(e));
    try {
      const imp = await app.inject({
        method: 'POST',
        url: '/api/finance/transfers',
        headers: importer.headers,
        payload: {
          text: `from,to,token,amount,hash,time,block\n${payer},${watched},USDT,250.5,0x${'ab'.repeat(32)},1700000000,18000000\n`,
        },
      });
      expect(imp.statusCode).toBe(200);
      expect(imp.json()).toMatchObject({ stored: 1, alerts: 0 });
      const alerts = (
        await app.inject({ method: 'GET', url: '/api/finance/alerts', headers: watcher.headers })
      ).json() as { id: string; watchId: string; itemId: string | null; amount: string; direction: string }[];
      const alert = alerts.find((a) => a.watchId === (w.json() as { id: string }).id)!;
      expect(alert).toMatchObject({ direction: 'inbound', amount: '250.5', itemId: null });
      expect(events).toEqual([{ type: 'finance-alert', alertId: alert.id, orgId: orgW }]);
    } finally {
      off();
    }
  });
});
