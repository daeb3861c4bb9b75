/**
 * Cluster details (size, first and last activity, visible tags, member pages) on a hand-built ledger,
 * on PGlite and PostgreSQL.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/access/index.ts';
import type { LedgerBlock, LedgerTx } from '../src/finance/index.ts';
import { AppError } from '../src/platform/errors.ts';
import { buildOrg, buildUser, type Engine, engines, type TestNode, testNode } from './support/node.ts';

const txid = (name: string) => createHash('sha256').update(name).digest('hex');
const T0 = 1_700_000_000;

function block(height: number, txs: LedgerTx[]): LedgerBlock {
  return {
    hash: txid(`cd block ${height}`),
    prevHash: txid(`cd block ${height - 1}`),
    time: T0 + height * 600,
    heightHint: height,
    size: 1000,
    weight: 4000,
    transactions: txs,
  };
}
const coinbase = (name: string, address: string, value: number): LedgerTx => ({
  txid: txid(name),
  coinbase: true,
  inputs: [{ prevTxid: '0'.repeat(64), vout: 0xffffffff }],
  outputs: [{ address, value, scriptType: 'p2pkh' }],
});

const AMBER = { tlp: 'AMBER' as const, handlingCode: null, sourceReliability: null, infoCredibility: null };
const NOBODY = { orgs: [], users: [], communities: [], node: false };

describe.each(engines())('cluster details on %s', (engine: Engine) => {
  let t: TestNode;
  let a: Actor;
  let b: Actor;
  let cluster: number;

  beforeAll(async () => {
    t = await testNode(engine);
    a = (await buildUser(t.ctx, { orgId: (await buildOrg(t.ctx)).id })).actor;
    b = (await buildUser(t.ctx, { orgId: (await buildOrg(t.ctx)).id })).actor;
    // x and y receive (heights 1, 2); one transaction spends both at height 5 (they merge) to z.
    await t.ctx.finance.importLedgerBlocks(a, [
      block(1, [coinbase('cb1', 'cd-x', 5000)]),
      block(2, [coinbase('cb2', 'cd-y', 3000)]),
      block(3, [coinbase('cb3', 'cd-other', 1000)]),
      block(4, [coinbase('cb4', 'cd-other', 1000)]),
      block(5, [
        coinbase('cb5', 'cd-miner', 1000),
        {
          txid: txid('merge'),
          coinbase: false,
          inputs: [
            { prevTxid: txid('cb1'), vout: 0 },
            { prevTxid: txid('cb2'), vout: 0 },
          ],
          outputs: [{ address: 'cd-z', value: 7900, scriptType: 'p2pkh' }],
        },
      ]),
    ]);
    const r = await sql<{ cluster_id: number }>`
      select ac.cluster_id from addresses ad join address_clusters ac on ac.address_id = ad.id
      where ad.address = 'cd-x'`.execute(t.ctx.database.db);
    cluster = r.rows[0]!.cluster_id;
    await t.ctx.finance.addTag(b, {
      clusterId: cluster,
      label: 'B only: broker',
      category: 'exchange',
      source: null,
      confidence: null,
      marking: AMBER,
      distribution: NOBODY,
    });
  }, 60_000);
  afterAll(async () => t?.close());

  it('gives size, first and last activity and the member addresses', async () => {
    const c = await t.ctx.finance.cluster(a, cluster);
    expect(c).toMatchObject({
      clusterId: cluster,
      size: 2,
      chain: 'btc',
      firstSeen: { height: 1, time: new Date((T0 + 600) * 1000).toISOString() },
      lastSeen: { height: 5, time: new Date((T0 + 5 * 600) * 1000).toISOString() },
    });
    expect(c.members.addresses.map((m) => m.address).sort()).toEqual(['cd-x', 'cd-y']);
    const page2 = await t.ctx.finance.cluster(a, cluster, { offset: 1, limit: 1 });
    expect(page2.members).toMatchObject({ offset: 1, limit: 1, total: 2 });
    expect(page2.members.addresses).toHaveLength(1);
    expect(page2.members.addresses[0]!.address).toBe(c.members.addresses[1]!.address);
    expect(page2.chain).toBe('btc');
  });

  it('shows a tag only to those who may see it, and 404s an unknown cluster', async () => {
    expect((await t.ctx.finance.cluster(b, cluster)).tags.map((x) => x.label)).toEqual(['B only: broker']);
    expect((await t.ctx.finance.cluster(a, cluster)).tags).toEqual([]);
    const e = await t.ctx.finance.cluster(a, 987_654_321).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('NOT_FOUND');
  });
});
