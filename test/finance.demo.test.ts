/**
 * The demo ledger, end to end on a seeded demo world: the FIU analyst traces the planted wallet three
 * hops forward to a tagged exchange, watches it (asking for a sharing item), another organisation's user
 * imports the next batch, and the alert reaches the analyst's inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FIU_USER, demoLedgerAddresses, demoNextBlocksHex } from '../src/demo/finance-demo.ts';
import { plantedNetwork, seedDemo } from '../src/demo/seed.ts';
import { inspectBlock } from '../src/finance/index.ts';
import { type TestNode, testNode } from './support/node.ts';

describe('demo ledger (pglite)', () => {
  let node: TestNode;

  beforeAll(async () => {
    node = await testNode('pglite');
    await seedDemo(node.ctx, { items: 5 });
  }, 120_000);
  afterAll(async () => {
    await node.close();
  });

  it('uses the planted network wallets and gives a next batch that checks as real blocks', () => {
    const p = plantedNetwork();
    const a = demoLedgerAddresses();
    expect(a.wallet).toBe(p.wallet);
    expect(a.broker).toBe(p.walletTwo);
    const hex = demoNextBlocksHex();
    expect(hex).toHaveLength(1);
    expect(demoNextBlocksHex()).toEqual(hex); // deterministic
    const report = inspectBlock(Buffer.from(hex[0]!, 'hex'));
    expect(report).toMatchObject({ ok: true, txCount: 3 });
  });

  it('links a wallet to the shared items naming it or another address of its cluster, for those who may see them', async () => {
    const { ctx } = node;
    const analyst = await ctx.identity.actorForUsername(DEMO_FIU_USER);
    const terminal = await ctx.identity.actorForUsername('nl.terminal.analyst');
    const { wallet } = demoLedgerAddresses();
    const seen = await ctx.finance.address(analyst, wallet);
    expect(seen.sharedItems.map((x) => x.title)).toContain('Crypto payments linked to a banana importer');
    expect(seen.sharedItems.find((x) => x.title?.startsWith('Crypto payments'))?.value).toBe(wallet);
    // The private terminal operator is outside the law-enforcement community (and the item has H2).
    const hidden = await ctx.finance.address(terminal, wallet);
    expect(hidden.sharedItems).toEqual([]);
  });

  it('traces the planted wallet three hops forward to the exchange, then alerts the watcher on the next batch', async () => {
    const { ctx } = node;
    const analyst = await ctx.identity.actorForUsername(DEMO_FIU_USER);
    const importer = await ctx.identity.actorForUsername('be.customs.analyst');
    const { wallet, exchangeHotWallet } = demoLedgerAddresses();

    const t = await ctx.finance.trace(analyst, {
      from: wallet,
      direction: 'forward',
      model: 'haircut',
      hops: 3,
      format: 'json',
    });
    // 9 000 000 sat received; 3 fees of 10 000 and the supplier's 1 000 000 leave 7 970 000 at the exchange.
    expect(t.result.sourceAmount).toBe(9_000_000);
    expect(t.result.exposure).toEqual({ exchange: 7_970_000 });
    expect(t.result.stoppedAt).toEqual([`address:${exchangeHotWallet}`]);
    const look = await ctx.finance.address(importer, exchangeHotWallet);
    expect(look.tags.map((x) => x.category)).toEqual(['exchange']); // TLP:GREEN tag, whole node
    const score = await ctx.finance.exposure(analyst, wallet);
    expect(score.reasons.join(' ')).toContain('exchange');

    const watch = await ctx.finance.watch(analyst, { address: wallet, share: { tlp: 'AMBER' } });
    const r = await ctx.finance.importBlocks(importer, demoNextBlocksHex());
    expect(r).toMatchObject({ blocks: 1, transactions: 3, alerts: 0 });
    const alerts = (await ctx.finance.listAlerts(analyst)).filter((x) => x.watchId === watch.id);
    expect(alerts.map((x) => [x.direction, x.amount]).sort()).toEqual([
      ['inbound', '4000000'],
      ['outbound', '4000000'],
    ]);
    const inbox = await ctx.sharing.inbox(analyst);
    for (const x of alerts) expect(inbox.alerts.map((i) => i.id)).toContain(x.itemId);
    const seen = await ctx.sharing.inbox(importer);
    for (const x of alerts) expect(seen.alerts.map((i) => i.id)).not.toContain(x.itemId);
  });
});
