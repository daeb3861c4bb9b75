import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestNode, testNode } from '../../test/support/node.ts';
import { DEMO_CARGO_ANALYST, demoCargoPorts } from './cargo-demo.ts';
import { plantedNetwork, seedDemo } from './seed.ts';
import { demoOrgs } from './world.ts';

describe('cargo demo world (PGlite)', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode('pglite');
    await seedDemo(node.ctx, { items: 5 });
  }, 180_000);
  afterAll(() => node.close());

  it('files every port through an existing customs user of its country', () => {
    const customs = new Set(
      demoOrgs()
        .filter((o) => o.kind === 'customs')
        .map((o) => `${o.key}.analyst`),
    );
    for (const { username } of demoCargoPorts()) expect(customs.has(username)).toBe(true);
  });

  it("puts the planted container near the top of today's Antwerp queue, red, with reasons", async () => {
    // The second container of the planted network arrives at Antwerp today.
    const container = plantedNetwork().secondContainer;
    const actor = await node.ctx.identity.actorForUsername(DEMO_CARGO_ANALYST);
    const q = await node.ctx.cargo.queue(actor, 'BEANR', undefined);
    const rank = q.entries.findIndex((e) => e.container === container);
    expect(rank).toBeGreaterThanOrEqual(0);
    expect(rank).toBeLessThan(3);
    const entry = q.entries[rank];
    expect(entry?.channel).toBe('red');
    expect(entry?.inspection).toBeNull();
    expect(entry?.reasons.length).toBeGreaterThanOrEqual(2);
    expect(entry?.route.at(-1)).toBe('BEANR');
    expect(entry?.route).toContain('NLRTM');
    // Ordinary traffic arrives the same day.
    expect(q.entries.length).toBeGreaterThan(5);
  });

  it('records past inspections so that rule performance is not empty, at every port', async () => {
    const today = node.ctx.clock.now().toISOString().slice(0, 10);
    for (const { port, username } of demoCargoPorts()) {
      const actor = await node.ctx.identity.actorForUsername(username);
      const perf = await node.ctx.cargo.performance(actor, port, '2025-01-01', today);
      expect(perf.overall.declarations, port).toBeGreaterThan(100);
      expect(perf.overall.inspections, port).toBeGreaterThan(0);
      expect(perf.rules.length, port).toBeGreaterThan(0);
    }
    const be = await node.ctx.identity.actorForUsername('be.customs.analyst');
    const perf = await node.ctx.cargo.performance(be, 'BEANR', '2025-01-01', today);
    expect(perf.overall.seizures).toBeGreaterThan(0);
    expect(perf.overall.selections).toBeGreaterThan(0);
  });
});
