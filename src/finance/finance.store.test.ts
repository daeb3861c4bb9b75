import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOrg,
  buildUser,
  type Engine,
  engines,
  fixturesDir,
  type TestNode,
  testNode,
} from '../../test/support/node.ts';
import { AppError } from '../platform/errors.ts';
import { parseBlock } from './block-parser.ts';
import { scriptToAddress } from './btc-address.ts';
import { AddressClusterer } from './clustering.ts';
import * as store from './finance.store.ts';
import { type LedgerBlock, type LedgerTx, ledgerBlockOf } from './finance.ts';
import * as tracing from './tracing.ts';

const hex = (name: string) => readFileSync(path.join(fixturesDir(), 'bitcoin', name), 'utf8');
const txid = (name: string) => createHash('sha256').update(name).digest('hex');

function block(height: number, txs: LedgerTx[], prev?: string): LedgerBlock {
  return {
    hash: txid(`block ${height}`),
    prevHash: prev ?? txid(`block ${height - 1}`),
    time: 1_700_000_000 + height * 600,
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
const spend = (name: string, ins: [string, number][], outs: [string, number][]): LedgerTx => ({
  txid: txid(name),
  coinbase: false,
  inputs: ins.map(([n, vout]) => ({ prevTxid: txid(n), vout })),
  outputs: outs.map(([address, value]) => ({ address, value, scriptType: 'p2pkh' })),
});

/** A random ledger: coinbases, ordinary spends (merging inputs) and some CoinJoin-shaped transactions. */
function randomLedger(seed: number, blocks: number): LedgerBlock[] {
  let s = seed >>> 0;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const pick = (n: number) => Math.floor(rnd() * n);
  const unspent: { tx: string; vout: number; value: number }[] = [];
  let fresh = 0;
  const addr = () => (rnd() < 0.6 || fresh < 3 ? `addr-${fresh++}` : `addr-${pick(fresh)}`);
  const out: LedgerBlock[] = [];
  let n = 0;
  for (let h = 1; h <= blocks; h++) {
    const txs: LedgerTx[] = [];
    const cb = `cb-${h}`;
    txs.push(coinbase(cb, addr(), 5000));
    const later = [{ tx: cb, vout: 0, value: 5000 }];
    const count = pick(5);
    for (let k = 0; k < count && unspent.length >= 3; k++) {
      const nIn = 1 + pick(3);
      const ins = Array.from({ length: nIn }, () => unspent.splice(pick(unspent.length), 1)[0]!);
      const total = ins.reduce((a, b) => a + b.value, 0);
      const name = `tx-${n++}`;
      const coinjoin = nIn === 3 && rnd() < 0.3;
      const outs: [string, number][] = coinjoin
        ? [
            [addr(), 100],
            [addr(), 100],
            [addr(), 100],
          ]
        : Array.from({ length: 1 + pick(2) }, () => [addr(), Math.floor(total / 3)] as [string, number]);
      txs.push(
        spend(
          name,
          ins.map((i) => [i.tx, i.vout]),
          outs,
        ),
      );
      outs.forEach((o, vout) => {
        later.push({ tx: name, vout, value: o[1] });
      });
    }
    unspent.push(...later);
    out.push(block(h, txs));
  }
  return out;
}

/** The in-memory clusterer over the same transactions, with the database's address ids. */
function inMemory(
  blocks: LedgerBlock[],
  ids: Map<string, number>,
  options: ConstructorParameters<typeof AddressClusterer>[0] = {},
): AddressClusterer {
  const c = new AddressClusterer(options);
  const outAddr = new Map<string, number>();
  for (const b of blocks)
    for (const t of b.transactions) {
      const inputs = t.coinbase ? [] : t.inputs.map((i) => outAddr.get(`${i.prevTxid}:${i.vout}`) ?? -1);
      const outputs = t.outputs.map((o) => ({
        addressId: o.address === null ? -1 : ids.get(o.address)!,
        value: o.value,
      }));
      t.outputs.forEach((o, v) => {
        outAddr.set(`${t.txid}:${v}`, o.address === null ? -1 : ids.get(o.address)!);
      });
      c.addTransaction(inputs, outputs, { coinbase: t.coinbase });
    }
  return c;
}

async function addressIds(n: TestNode): Promise<Map<string, number>> {
  const rows = await store.t(n.ctx.database.db).selectFrom('addresses').select(['id', 'address']).execute();
  return new Map(rows.map((r) => [r.address, r.id]));
}

describe.each(engines())('finance storage on %s', (engine: Engine) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(engine);
  });
  afterAll(async () => {
    await node.close();
  });

  it('imports the real fixture blocks with the README counts, at their heights', async () => {
    const n = await testNode(engine);
    try {
      const { actor } = await buildUser(n.ctx);
      const r = await n.ctx.finance.importBlocks(actor, [hex('1.hex'), hex('300025.hex'), hex('482683.hex')]);
      expect(r).toMatchObject({
        blocks: 3,
        transactions: 474,
        inputs: 1481,
        outputs: 1252,
        heights: [1, 300025, 482683],
      });
      const c = await store.ledgerCounts(n.ctx.database.db);
      expect(c).toMatchObject({ blocks: 3, txs: 474, inputs: 1481, outputs: 1252 });
      const sum = await store
        .t(n.ctx.database.db)
        .withTables<{ btc_outputs: { height: number; value: number } }>()
        .selectFrom('btc_outputs')
        .select((eb) => eb.fn.sum<number>('value').as('s'))
        .where('height', '=', 300025)
        .executeTakeFirstOrThrow();
      expect(Number(sum.s)).toBe(513093575772);
      // Re-importing the same blocks stores nothing twice.
      const again = await n.ctx.finance.importBlocks(actor, [hex('300025.hex')]);
      expect(again).toMatchObject({ blocks: 0, skipped: 1 });
      // The persisted partition equals the in-memory clusterer's on the same blocks.
      const blocks = ['1.hex', '300025.hex', '482683.hex'].map((f) => {
        return ledgerBlockOf(parseBlock(Buffer.from(hex(f).trim(), 'hex')));
      });
      const ids = await addressIds(n);
      const mem = inMemory(blocks, ids);
      const db = await store.allClusters(n.ctx.database.db);
      for (const [a, cl] of db) expect(cl).toBe(mem.clusterOf(a));
    } finally {
      await n.close();
    }
  });

  it('a corrupt block fails its whole batch with the offset; earlier batches stay', async () => {
    const n = await testNode(engine);
    try {
      const { actor } = await buildUser(n.ctx);
      await n.ctx.finance.importBlocks(actor, [hex('1.hex')]);
      const before = await store.ledgerCounts(n.ctx.database.db);
      const corrupt = hex('482683.hex').trim().slice(0, 9000);
      const err = await n.ctx.finance
        .importBlocks(actor, [hex('300025.hex'), corrupt])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('IMPORT_FAILED');
      expect((err as AppError).message).toMatch(/block 2: .*offset \d+/);
      expect(await store.ledgerCounts(n.ctx.database.db)).toEqual(before);
      expect(before).toMatchObject({ blocks: 1, txs: 1 });
    } finally {
      await n.close();
    }
  });

  it('incremental import block by block equals importing all at once, and the in-memory clusterer', async () => {
    const blocks = randomLedger(7, 40);
    const a = await testNode(engine);
    const b = await testNode(engine);
    try {
      const ua = await buildUser(a.ctx);
      const ub = await buildUser(b.ctx);
      const all = await a.ctx.finance.importLedgerBlocks(ua.actor, blocks);
      let merges = 0;
      for (const bl of blocks) merges += (await b.ctx.finance.importLedgerBlocks(ub.actor, [bl])).merges;
      expect(merges).toBe(all.merges);
      expect(all.merges).toBeGreaterThan(3);
      expect(all.coinjoins).toBeGreaterThan(0);
      const pa = await store.allClusters(a.ctx.database.db);
      const pb = await store.allClusters(b.ctx.database.db);
      expect(pb).toEqual(pa);
      const mem = inMemory(blocks, await addressIds(a));
      expect(mem.mergeCount).toBe(all.merges);
      for (const [addr, cl] of pa) expect(cl).toBe(mem.clusterOf(addr));
      expect(await store.mergeLog(a.ctx.database.db)).toHaveLength(all.merges);
      // One-time-change links: the same incrementally, and the same as the in-memory heuristic.
      const la = await store.allChangeLinks(a.ctx.database.db);
      expect(await store.allChangeLinks(b.ctx.database.db)).toEqual(la);
      expect(la.length).toBeGreaterThan(3);
      expect(la.some((l) => l.revokedTxid !== null)).toBe(true);
      const memChange = inMemory(blocks, await addressIds(a), { changeHeuristic: true });
      const txids = blocks.flatMap((bl) => bl.transactions.map((t) => t.txid));
      const key = (l: { changeAddressId: number; txid: string; revokedTxid: string | null }) =>
        `${l.changeAddressId}|${l.txid}|${l.revokedTxid}`;
      expect(la.map(key).sort()).toEqual(
        memChange
          .changeLinks()
          .map((l) =>
            key({
              changeAddressId: l.changeAddressId,
              txid: txids[l.txIndex]!,
              revokedTxid: l.revokedAtTx === null ? null : txids[l.revokedAtTx]!,
            }),
          )
          .sort(),
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('one-time change: links with their confidence, revocation across batches, address view and trace', async () => {
    const n = await testNode(engine);
    try {
      const { actor } = await buildUser(n.ctx);
      // Valid mainnet addresses (the address view validates its input), named by letter.
      const hash20 = (name: string) => createHash('sha256').update(name).digest().subarray(0, 20);
      const p2pkh = (name: string) =>
        scriptToAddress(
          Buffer.concat([Buffer.from('76a914', 'hex'), hash20(name), Buffer.from('88ac', 'hex')]),
          0,
          25,
        )!;
      const p2wpkh = (name: string) =>
        scriptToAddress(Buffer.concat([Buffer.from('0014', 'hex'), hash20(name)]), 0, 22)!;
      const [A, P, C, G, F, H, K] = ['A', 'P', 'C', 'G', 'F', 'H', 'K'].map(p2pkh) as [string, ...string[]];
      const E = p2wpkh('E');
      const tx = (name: string, ins: [string, number][], outs: [string, number, string?][]): LedgerTx => ({
        ...spend(name, ins, []),
        outputs: outs.map(([address, value, scriptType]) => ({
          address,
          value,
          scriptType: scriptType ?? 'p2pkh',
        })),
      });
      const first = [
        block(100, [coinbase('ch-c1', A!, 10_000_000), coinbase('ch-c2', P!, 5_000_000)]),
        // A pays P a round 0.03 BTC; C is the only fresh output → change of A (0.8 + round payment).
        block(101, [
          tx(
            'ch-t1',
            [['ch-c1', 0]],
            [
              [P!, 3_000_000],
              [C!, 6_990_000],
            ],
          ),
        ]),
        block(102, [
          // C pays G and K, both fresh: no link.
          tx(
            'ch-t2',
            [['ch-t1', 1]],
            [
              [G!, 1_000_000],
              [K!, 4_990_000],
            ],
          ),
          // P pays A 0.01 BTC, fresh E (p2wpkh) the rest: change of P, but of another script type.
          tx(
            'ch-t3',
            [['ch-c2', 0]],
            [
              [A!, 1_000_000],
              [E, 3_990_000, 'p2wpkh'],
            ],
          ),
        ]),
      ];
      const r1 = await n.ctx.finance.importLedgerBlocks(actor, first);
      expect(r1).toMatchObject({ changeLinks: 2, changeRevoked: 0 });
      const second = [
        block(103, [
          // E receives again (next batch): its link is revoked. F is the only fresh output → change of P,
          // of the inputs' script type while the payment is not: 0.8 + 0.1 + 0.1, clamped to 0.95.
          tx(
            'ch-t4',
            [['ch-t1', 0]],
            [
              [E, 100_000, 'p2wpkh'],
              [F!, 2_890_000],
            ],
          ),
          // Three outputs: G pays A and P, H fresh → change of G (0.6 + round payment).
          tx(
            'ch-t6',
            [['ch-t2', 0]],
            [
              [A!, 200_000],
              [P!, 300_000],
              [H!, 499_000],
            ],
          ),
        ]),
      ];
      const r2 = await n.ctx.finance.importLedgerBlocks(actor, second);
      expect(r2).toMatchObject({ changeLinks: 2, changeRevoked: 1 });
      const db = n.ctx.database.db;
      const ids = await addressIds(n);
      const links = await store.allChangeLinks(db);
      expect(links).toEqual([
        {
          changeAddressId: ids.get(C!),
          spenderAddressId: ids.get(A!),
          txid: txid('ch-t1'),
          height: 101,
          confidence: 0.9,
          criteria: ['one-time-change', 'two-outputs', 'round-payment'],
          revokedTxid: null,
          revokedHeight: null,
        },
        {
          changeAddressId: ids.get(E),
          spenderAddressId: ids.get(P!),
          txid: txid('ch-t3'),
          height: 102,
          confidence: 0.7,
          criteria: ['one-time-change', 'two-outputs', 'round-payment', 'script-type-mismatch'],
          revokedTxid: txid('ch-t4'),
          revokedHeight: 103,
        },
        {
          changeAddressId: ids.get(F!),
          spenderAddressId: ids.get(P!),
          txid: txid('ch-t4'),
          height: 103,
          confidence: 0.95,
          criteria: ['one-time-change', 'two-outputs', 'round-payment', 'script-type-match'],
          revokedTxid: null,
          revokedHeight: null,
        },
        {
          changeAddressId: ids.get(H!),
          spenderAddressId: ids.get(G!),
          txid: txid('ch-t6'),
          height: 103,
          confidence: 0.7,
          criteria: ['one-time-change', 'many-outputs', 'round-payment'],
          revokedTxid: null,
          revokedHeight: null,
        },
      ]);
      // Change links never touch the multi-input clusters: every transaction here has one input, so every
      // address is still its own cluster.
      for (const [address, cluster] of await store.allClusters(db)) expect(cluster).toBe(address);

      const viewP = await n.ctx.finance.address(actor, P!);
      expect(viewP.changeLinks).toEqual([
        {
          txid: txid('ch-t4'),
          height: 103,
          role: 'spender',
          otherAddress: F,
          confidence: 0.95,
          criteria: ['one-time-change', 'two-outputs', 'round-payment', 'script-type-match'],
          revoked: null,
        },
        expect.objectContaining({
          txid: txid('ch-t3'),
          role: 'spender',
          otherAddress: E,
          confidence: 0.7,
          revoked: { txid: txid('ch-t4'), height: 103 },
        }),
      ]);
      const viewC = await n.ctx.finance.address(actor, C!);
      expect(viewC.changeLinks).toEqual([
        expect.objectContaining({ role: 'change', otherAddress: A, confidence: 0.9 }),
      ]);

      // Forward one hop from A: only with includeChange does the trace go on through C (A's change) to G.
      const fwd = (includeChange: boolean) =>
        n.ctx.finance.trace(actor, {
          from: A!,
          direction: 'forward',
          model: 'poison',
          hops: 1,
          format: 'json',
          includeChange,
        });
      const plain = (await fwd(false)).result;
      expect(plain.nodes.find((x) => x.key === `address:${G}`)).toBeUndefined();
      expect(plain.edges.some((e) => e.viaChange)).toBe(false);
      const withChange = (await fwd(true)).result;
      expect(withChange.nodes.find((x) => x.key === `address:${G}`)).toMatchObject({
        hop: 1,
        tainted: 1_000_000,
      });
      expect(tracing.traceToGraphml(withChange)).toContain('<data key="change">0.9</data>');
      expect(tracing.traceToGraphml(plain)).not.toContain('<data key="change">');
      expect(withChange.edges.find((e) => e.to === `address:${C}` && e.txid === txid('ch-t1'))).toMatchObject(
        {
          viaChange: true,
          changeConfidence: 0.9,
        },
      );
      // Backward one hop from G: t2 spends C, A's change, so t1 (and A) are on the same hop.
      const bwd = (includeChange: boolean) =>
        n.ctx.finance.trace(actor, {
          from: G!,
          direction: 'backward',
          model: 'poison',
          hops: 1,
          format: 'json',
          includeChange,
        });
      expect((await bwd(false)).result.nodes.find((x) => x.key === `address:${A}`)).toBeUndefined();
      expect((await bwd(true)).result.nodes.find((x) => x.key === `address:${A}`)).toMatchObject({ hop: 1 });
      // A revoked link is never followed: from P, E's output is not treated as change.
      const fromP = (
        await n.ctx.finance.trace(actor, {
          from: P!,
          direction: 'forward',
          model: 'poison',
          hops: 1,
          format: 'json',
          includeChange: true,
        })
      ).result;
      expect(fromP.edges.find((e) => e.to === `address:${E}`)?.viaChange).toBeUndefined();
      expect(fromP.edges.find((e) => e.to === `address:${F}`)).toMatchObject({
        viaChange: true,
        changeConfidence: 0.95,
      });
    } finally {
      await n.close();
    }
  });

  it('haircut trace over a hand-built ledger gives the hand-computed amounts', async () => {
    const n = await testNode(engine);
    try {
      const { actor } = await buildUser(n.ctx);
      await n.ctx.finance.importLedgerBlocks(actor, [
        block(100, [coinbase('c1', 'A', 100), coinbase('c2', 'B', 300)]),
        // A (100) and B (300) pay C 200 and D 150; fee 50. A's share: 1/4.
        block(101, [
          spend(
            't1',
            [
              ['c1', 0],
              ['c2', 0],
            ],
            [
              ['C', 200],
              ['D', 150],
            ],
          ),
        ]),
        // C pays E 120 and F 80.
        block(102, [
          spend(
            't2',
            [['t1', 0]],
            [
              ['E', 120],
              ['F', 80],
            ],
          ),
        ]),
      ]);
      const db = n.ctx.database.db;
      const idA = (await store.findAddress(db, 'btc', 'A'))!;
      const idB = (await store.findAddress(db, 'btc', 'B'))!;
      // t1 merged A and B: the cluster id is the smaller address id.
      expect(idA.cluster_id).toBe(Math.min(idA.id, idB.id));
      expect(idB.cluster_id).toBe(idA.cluster_id);
      const r = await tracing.trace(db, actor, {
        source: { addressIds: [idA.id] },
        direction: 'forward',
        model: 'haircut',
        hops: 3,
      });
      const tainted = (name: string) => r.nodes.find((x) => x.key === `address:${name}`)?.tainted;
      expect(r.sourceAmount).toBe(100);
      expect(tainted('C')).toBeCloseTo(50, 9);
      expect(tainted('D')).toBeCloseTo(37.5, 9);
      expect(tainted('E')).toBeCloseTo(30, 9);
      expect(tainted('F')).toBeCloseTo(20, 9);
      const poison = await tracing.trace(db, actor, {
        source: { addressIds: [idA.id] },
        direction: 'forward',
        model: 'poison',
        hops: 1,
      });
      expect(poison.nodes.find((x) => x.key === 'address:D')?.tainted).toBe(150);
      expect(poison.nodes.find((x) => x.key === 'address:E')).toBeUndefined();
      expect(tracing.traceToCsv(r).split('\n')[0]).toBe('from,to,txid,time,hop,value,tainted');
      expect(tracing.traceToGraphml(r)).toContain('<graphml');
    } finally {
      await n.close();
    }
  });

  it('traces forward from an address that sends change back to itself (one transaction pays and spends it)', async () => {
    const n = await testNode(engine);
    try {
      const { actor } = await buildUser(n.ctx);
      await n.ctx.finance.importLedgerBlocks(actor, [
        block(100, [coinbase('self-c', 'S', 100)]),
        // S pays T 60 and 40 back to itself: t1 both spends from S and pays S.
        block(101, [
          spend(
            'self-t1',
            [['self-c', 0]],
            [
              ['T', 60],
              ['S', 40],
            ],
          ),
        ]),
      ]);
      const db = n.ctx.database.db;
      const idS = (await store.findAddress(db, 'btc', 'S'))!;
      const r = await tracing.trace(db, actor, {
        source: { addressIds: [idS.id] },
        direction: 'forward',
        model: 'poison',
        hops: 2,
      });
      expect(r.nodes.find((x) => x.key === 'address:T')?.tainted).toBe(60);
    } finally {
      await n.close();
    }
  });

  it('TagPack import: 44 Binance tags; the invalid address is reported and not stored', async () => {
    const { actor } = await buildUser(node.ctx);
    const pack = readFileSync(path.join(fixturesDir(), 'tagpacks/binance_hack.yaml'), 'utf8');
    const r = await node.ctx.finance.importTagPack(actor, pack);
    expect(r).toMatchObject({ title: 'GraphSense Binance', stored: 44, quarantined: [] });
    const bad = readFileSync(path.join(fixturesDir(), 'tagpacks/multiple_tags_for_address.yaml'), 'utf8');
    const r2 = await node.ctx.finance.importTagPack(actor, bad);
    expect(r2.stored).toBe(0);
    expect(r2.quarantined.map((q) => q.path)).toEqual(['tags.0.address', 'tags.1.address']);
    expect(r2.quarantined[0]!.message).toContain('1bacdeddg32dsfk5692dmn23');
    const info = await node.ctx.finance.address(actor, '14QZ2wB8b8ZQNgb978Lwptdc8Vhv5aZQM2');
    expect(info.tags.map((t) => t.label)).toEqual(['binance hack']);
    expect(info.clusterSize).toBe(1);
    const exported = await node.ctx.finance.exportTagPack(actor);
    expect(exported).toContain('14QZ2wB8b8ZQNgb978Lwptdc8Vhv5aZQM2');
    // A user of another organisation sees neither the tags nor the tag (404 like a missing one).
    const other = await buildUser(node.ctx);
    const seen = await node.ctx.finance.address(other.actor, '14QZ2wB8b8ZQNgb978Lwptdc8Vhv5aZQM2');
    expect(seen.tags).toEqual([]);
    const tagId = info.tags[0]!.id;
    const hidden = await node.ctx.finance.tag(other.actor, tagId).catch((e: AppError) => e);
    const missing = await node.ctx.finance.tag(other.actor, crypto.randomUUID()).catch((e: AppError) => e);
    expect((hidden as AppError).code).toBe('NOT_FOUND');
    expect((hidden as AppError).message).toBe((missing as AppError).message);
  });

  it('a watch raises an alert for the watching organisation only; others get 404 like missing', async () => {
    const n = await testNode(engine);
    try {
      const orgA = await buildOrg(n.ctx, { kind: 'fiu' });
      const orgB = await buildOrg(n.ctx, { kind: 'fiu' });
      const a = await buildUser(n.ctx, { orgId: orgA.id });
      const b = await buildUser(n.ctx, { orgId: orgB.id });
      const parsed = parseBlock(Buffer.from(hex('300025.hex').trim(), 'hex'));
      const target = parsed.transactions[0]!.outputs[0]!.address!;
      const w = await n.ctx.finance.watch(a.actor, { address: target, note: 'miner payout' });
      const r = await n.ctx.finance.importBlocks(a.actor, [hex('300025.hex')]);
      expect(r.alerts).toBe(1);
      const alerts = await n.ctx.finance.listAlerts(a.actor);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ direction: 'inbound', address: target, amount: '2507773345' });
      expect(await n.ctx.finance.listAlerts(b.actor)).toEqual([]);
      expect(await n.ctx.finance.listWatches(b.actor)).toEqual([]);
      const same = async (p: () => Promise<unknown>, q: () => Promise<unknown>) => {
        const e1 = (await p().catch((e: unknown) => e)) as AppError;
        const e2 = (await q().catch((e: unknown) => e)) as AppError;
        expect(e1.code).toBe('NOT_FOUND');
        expect(e1.toJSON()).toEqual(e2.toJSON());
      };
      const f = n.ctx.finance;
      await same(
        () => f.getWatch(b.actor, w.id),
        () => f.getWatch(b.actor, crypto.randomUUID()),
      );
      await same(
        () => f.unwatch(b.actor, w.id),
        () => f.unwatch(b.actor, crypto.randomUUID()),
      );
      await same(
        () => f.getAlert(b.actor, alerts[0]!.id),
        () => f.getAlert(b.actor, crypto.randomUUID()),
      );
      expect((await n.ctx.finance.getAlert(a.actor, alerts[0]!.id)).id).toBe(alerts[0]!.id);
      await n.ctx.finance.unwatch(a.actor, w.id);
      expect(await n.ctx.finance.listWatches(a.actor)).toEqual([]);
    } finally {
      await n.close();
    }
  });

  it('transfer import stores good rows, quarantines bad ones with row, field and reason', async () => {
    const { actor } = await buildUser(node.ctx);
    const h = (i: number) => `0x${String(i).padStart(64, '0')}`;
    const eth1 = '0x52908400098527886e0f7030069857d2e4169ee7';
    const eth2 = '0xde709f2102306220921060314715629080e2fb77';
    const csv = [
      'from,to,token,amount,hash,time,block',
      `${eth1},${eth2},USDT,1000000.5,${h(1)},1700000000,18000000`,
      `${eth1},not-an-address,USDT,5,${h(2)},1700000001,18000001`,
      `${eth2},${eth1},USDT,-3,${h(3)},1700000002,18000002`,
      `${eth2},${eth1},USDT,123456789012345678901234567890,${h(4)},2023-11-14T22:13:20Z,18000003`,
    ].join('\n');
    const r = await node.ctx.finance.importTransfers(actor, csv);
    expect(r).toMatchObject({ stored: 2, duplicates: 0 });
    expect(r.quarantined.map((q) => q.path)).toEqual(['row 2.to', 'row 3.amount']);
    const again = await node.ctx.finance.importTransfers(actor, csv);
    expect(again).toMatchObject({ stored: 0, duplicates: 2 });
    const jsonl = `{"from":"${eth1}","to":"${eth2}","token":"ETH","amount":"1","hash":"${h(9)}","time":1700000100,"block":18000010}\n{bad json`;
    const r2 = await node.ctx.finance.importTransfers(actor, jsonl);
    expect(r2.stored).toBe(1);
    expect(r2.quarantined.map((q) => q.path)).toEqual(['row 2.$']);
  });
});
