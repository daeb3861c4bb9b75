import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AddressClusterer,
  CHANGE_CONFIDENCE_MANY_OUTPUTS,
  CHANGE_CONFIDENCE_TWO_OUTPUTS,
  clusterLedger,
  isCoinJoinLike,
  maxEqualValueCount,
} from './clustering.ts';
import { generateSyntheticLedger } from './synthetic-ledger.ts';
import type { UtxoLedger } from './utxo-ledger.ts';

interface Tx {
  inputs: number[];
  outputs: { addressId: number; value: number }[];
}

const out = (addressId: number, value: number) => ({ addressId, value });

function toLedger(txs: readonly Tx[]): UtxoLedger {
  const txInputStart = new Int32Array(txs.length + 1);
  const txOutputStart = new Int32Array(txs.length + 1);
  const ins: number[] = [];
  const outA: number[] = [];
  const outV: number[] = [];
  let maxId = -1;
  txs.forEach((tx, t) => {
    for (const a of tx.inputs) {
      ins.push(a);
      maxId = Math.max(maxId, a);
    }
    for (const o of tx.outputs) {
      outA.push(o.addressId);
      outV.push(o.value);
      maxId = Math.max(maxId, o.addressId);
    }
    txInputStart[t + 1] = ins.length;
    txOutputStart[t + 1] = outA.length;
  });
  return {
    txCount: txs.length,
    inputCount: ins.length,
    outputCount: outA.length,
    addressCount: maxId + 1,
    txInputStart,
    txOutputStart,
    inputAddress: Int32Array.from(ins),
    outputAddress: Int32Array.from(outA),
    outputValue: Float64Array.from(outV),
  };
}

/** Reference: connected components by BFS over the multi-input links, id = smallest member. */
function referencePartition(txs: readonly Tx[], span: number): Int32Array {
  const adj: number[][] = Array.from({ length: span }, () => []);
  const values = new Float64Array(64);
  for (const tx of txs) {
    if (tx.inputs.length === 0) continue;
    tx.outputs.forEach((o, i) => {
      values[i] = o.value;
    });
    if (isCoinJoinLike(tx.inputs.length, values, 0, tx.outputs.length)) continue;
    const first = tx.inputs[0]!;
    for (const a of tx.inputs) {
      adj[first]!.push(a);
      adj[a]!.push(first);
    }
  }
  const comp = new Int32Array(span).fill(-1);
  for (let s = 0; s < span; s++) {
    if (comp[s]! >= 0) continue;
    const members = [s];
    comp[s] = s;
    for (let k = 0; k < members.length; k++) {
      for (const n of adj[members[k]!]!) {
        if (comp[n]! < 0) {
          comp[n] = s; // s is the smallest: ids are visited in increasing order
          members.push(n);
        }
      }
    }
  }
  return comp;
}

describe('CoinJoin rule', () => {
  const v = (xs: number[]) => Float64Array.from(xs);
  it('recognises Whirlpool (5 in, 5 equal out), JoinMarket and Wasabi-like shapes', () => {
    expect(isCoinJoinLike(5, v([1e6, 1e6, 1e6, 1e6, 1e6]), 0, 5)).toBe(true);
    // JoinMarket: 3 makers + taker, 4 equal outputs and 3 change outputs.
    expect(isCoinJoinLike(6, v([5e6, 5e6, 5e6, 5e6, 123, 4567, 8910]), 0, 7)).toBe(true);
    // Wasabi-like: 4 equal, 4 change and a coordinator fee output (2k + 1).
    expect(isCoinJoinLike(7, v([1e7, 1e7, 1e7, 1e7, 11, 12, 13, 14, 900]), 0, 9)).toBe(true);
  });

  it('does not flag ordinary shapes', () => {
    expect(isCoinJoinLike(2, v([5e6, 3e6]), 0, 2)).toBe(false); // payment + change
    expect(isCoinJoinLike(1, v([1e6, 1e6, 1e6]), 0, 3)).toBe(false); // one input: nothing to merge anyway
    expect(isCoinJoinLike(40, v([9e8]), 0, 1)).toBe(false); // consolidation
    expect(isCoinJoinLike(3, v([1, 2, 3, 4, 5, 6]), 0, 6)).toBe(false); // batch payout, all distinct
    // Two equal payouts in a batch of 10 outputs: too many outputs for k = 2.
    expect(isCoinJoinLike(3, v([7, 7, 1, 2, 3, 4, 5, 6, 8, 9]), 0, 10)).toBe(false);
    // 4 equal outputs but only 3 inputs: not one input per participant.
    expect(isCoinJoinLike(3, v([1e6, 1e6, 1e6, 1e6]), 0, 4)).toBe(false);
    // Zero-value outputs (OP_RETURN) are not a "shared denomination".
    expect(isCoinJoinLike(3, v([0, 0, 0, 5]), 0, 4)).toBe(false);
  });

  it('counts multiplicities the same way for small and large output lists', () => {
    const big = Float64Array.from({ length: 200 }, (_, i) => (i % 7) * 10);
    // 200 = 7·28 + 4: residues 0..3 appear 29 times; 0 is excluded, so 10, 20 and 30 lead with 29.
    expect(maxEqualValueCount(big, 0, 200)).toBe(29);
    expect(maxEqualValueCount(big, 0, 40)).toBe(
      Math.max(...[1, 2, 3, 4, 5, 6].map((k) => countOf(big, 40, k * 10))),
    );
  });
});

function countOf(a: Float64Array, n: number, x: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (a[i] === x) c++;
  return c;
}

describe('AddressClusterer: multi-input heuristic', () => {
  it('hand-built ledger: merges co-spent inputs, ids are the smallest member, log in cluster ids', () => {
    const c = new AddressClusterer();
    expect(c.addTransaction([], [out(0, 50e8)])).toBe('coinbase'); // tx0
    expect(c.addTransaction([0], [out(1, 20e8), out(2, 29e8)])).toBe('single'); // tx1
    expect(c.addTransaction([2, 3], [out(5, 1e8)])).toBe('merged'); // tx2: {2,3}
    expect(c.addTransaction([4, 1], [out(6, 1e8)])).toBe('merged'); // tx3: {1,4}
    expect(c.addTransaction([3, 4, 3], [out(7, 1e8)])).toBe('merged'); // tx4: {1,2,3,4}
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((a) => c.clusterOf(a))).toEqual([0, 1, 1, 1, 1, 5, 6, 7]);
    expect(c.merges()).toEqual([
      { survivor: 2, absorbed: 3, txIndex: 2 },
      { survivor: 1, absorbed: 4, txIndex: 3 },
      { survivor: 1, absorbed: 2, txIndex: 4 },
    ]);
    expect(c.clusterSize(3)).toBe(4);
    expect(c.sameCluster(2, 4)).toBe(true);
    expect(c.sameCluster(0, 1)).toBe(false);
    expect(c.transactionCount).toBe(5);
    expect(c.inputCount).toBe(8); // 1 + 2 + 2 + 3
    expect(c.clusterCount()).toBe(5); // {0} {1,2,3,4} {5} {6} {7}
  });

  it('a CoinJoin does not merge its participants', () => {
    const c = new AddressClusterer();
    // 5 participants (10..14), 5 outputs of 0.1 BTC to fresh addresses, 3 change outputs, a fee output.
    const verdict = c.addTransaction(
      [10, 11, 12, 13, 14],
      [
        out(20, 1e7),
        out(21, 1e7),
        out(22, 1e7),
        out(23, 1e7),
        out(24, 1e7),
        out(30, 3_456_789),
        out(31, 111_111),
        out(32, 987_654),
        out(40, 25_000),
      ],
    );
    expect(verdict).toBe('coinjoin');
    expect(new Set([10, 11, 12, 13, 14].map((a) => c.clusterOf(a))).size).toBe(5);
    expect(c.mergeCount).toBe(0);
    expect(c.coinJoinCount).toBe(1);
    // The same participants in an ordinary transaction do merge.
    expect(c.addTransaction([10, 11], [out(50, 5e6), out(51, 2e6)])).toBe('merged');
    expect(c.clusterOf(11)).toBe(10);
  });

  it('the CoinJoin check can be disabled or replaced', () => {
    const cj = [out(1, 100), out(2, 100), out(3, 100)];
    const off = new AddressClusterer({ coinJoinRule: null });
    expect(off.addTransaction([7, 8, 9], cj)).toBe('merged');
    const strict = new AddressClusterer({ coinJoinRule: () => true });
    expect(strict.addTransaction([7, 8], [out(1, 5), out(2, 6)])).toBe('coinjoin');
  });

  it('ignores address-less inputs (-1), grows on demand, and answers for unseen ids', () => {
    const c = new AddressClusterer({ initialCapacity: 16 });
    expect(c.addTransaction([-1, 100_000], [out(-1, 5)])).toBe('single');
    expect(c.addTransaction([100_000, 3], [out(4, 5)])).toBe('merged');
    expect(c.clusterOf(100_000)).toBe(3);
    expect(c.clusterOf(5_000_000)).toBe(5_000_000);
    expect(c.addressSpan).toBe(100_001);
    expect(() => c.addTransaction([1.5], [])).toThrow(/not an integer/);
  });

  it('batch and column paths give the same result as one-by-one', () => {
    const txs: Tx[] = [
      { inputs: [], outputs: [out(0, 10)] },
      { inputs: [0, 5], outputs: [out(1, 4), out(2, 4)] },
      { inputs: [2, 9], outputs: [out(3, 1)] },
    ];
    const one = new AddressClusterer();
    for (const tx of txs) one.addTransaction(tx.inputs, tx.outputs);
    const all = clusterLedger(toLedger(txs));
    expect(Array.from(all.partition()).slice(0, 10)).toEqual(Array.from(one.partition()).slice(0, 10));
    expect(all.merges()).toEqual(one.merges());
  });

  it('property: one-by-one, chunked, all-at-once and reordered processing agree on partition and ids', () => {
    const value = fc.constantFrom(1000, 2000, 5000, 7777, 10_000);
    const txArb = fc.record({
      inputs: fc.oneof(
        { weight: 1, arbitrary: fc.constant([] as number[]) },
        { weight: 6, arbitrary: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 6 }) },
      ),
      outputs: fc.array(fc.record({ addressId: fc.integer({ min: 0, max: 60 }), value }), {
        minLength: 1,
        maxLength: 7,
      }),
    });
    fc.assert(
      fc.property(
        fc.array(txArb, { minLength: 1, maxLength: 80 }),
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 20 }),
        fc.integer(),
        (txs, chunkSizes, seed) => {
          const ledger = toLedger(txs);
          const span = ledger.addressCount;

          // (a) one transaction at a time, querying in between (path halving interleaved with unions)
          const a = new AddressClusterer({ initialCapacity: 16 });
          txs.forEach((tx, i) => {
            a.addTransaction(tx.inputs, tx.outputs);
            if (tx.inputs.length > 0) a.clusterOf(tx.inputs[i % tx.inputs.length]!);
          });
          // (b) all at once from the columns
          const b = clusterLedger(ledger);
          // (c) block by block, random block sizes
          const c = new AddressClusterer({ initialCapacity: 16 });
          let t = 0;
          for (let k = 0; t < ledger.txCount; k++) {
            const n = chunkSizes[k % chunkSizes.length]!;
            c.addLedger(ledger, t, Math.min(ledger.txCount, t + n));
            t += n;
          }
          // (d) a different transaction order (shuffled): same partition and ids, by the id definition
          const order = txs.map((_, i) => i);
          let s = seed >>> 0;
          for (let i = order.length - 1; i > 0; i--) {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            const j = s % (i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          const d = clusterLedger(toLedger(order.map((i) => txs[i]!)));

          const ref = referencePartition(txs, span);
          for (const x of [a, b, c, d]) {
            for (let id = 0; id < span; id++) expect(x.clusterOf(id)).toBe(ref[id]);
          }
          // Same order ⇒ identical merge logs, whatever the batching.
          expect(b.merges()).toEqual(a.merges());
          expect(c.merges()).toEqual(a.merges());
          // Every merge is recorded in cluster-id terms: survivor < absorbed.
          for (const m of a.merges()) expect(m.survivor).toBeLessThan(m.absorbed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('synthetic ledger: no cluster mixes two owners (CoinJoins skipped, no change heuristic)', () => {
    const ledger = generateSyntheticLedger({ transactions: 40_000, seed: 7 });
    const c = clusterLedger(ledger);
    const ownerOfCluster = new Map<number, number>();
    for (let a = 0; a < ledger.addressCount; a++) {
      const id = c.clusterOf(a);
      const owner = ledger.addressOwner[a]!;
      const seen = ownerOfCluster.get(id);
      if (seen === undefined) ownerOfCluster.set(id, owner);
      else expect(seen).toBe(owner);
    }
    expect(c.coinJoinCount).toBeGreaterThan(100);
    expect(c.mergeCount).toBeGreaterThan(1000);
  });
});

describe('AddressClusterer: one-time change heuristic', () => {
  it('is off by default', () => {
    const c = new AddressClusterer();
    c.addTransaction([], [out(0, 10)]);
    c.addTransaction([0], [out(1, 4), out(2, 5)]);
    expect(c.changeLinks()).toEqual([]);
  });

  it('links the only fresh output to the spender, apart from the multi-input clusters', () => {
    const c = new AddressClusterer({ changeHeuristic: true });
    c.addTransaction([], [out(0, 100)]); // tx0
    c.addTransaction([], [out(1, 100)]); // tx1: address 1 now seen (the payee)
    c.addTransaction([0], [out(1, 30), out(2, 69)]); // tx2: 2 is the only fresh output → change of 0
    expect(c.changeLinks()).toEqual([
      {
        txIndex: 2,
        changeAddressId: 2,
        inputAddressId: 0,
        confidence: CHANGE_CONFIDENCE_TWO_OUTPUTS,
        revokedAtTx: null,
      },
    ]);
    expect(c.clusterOf(2)).toBe(2); // multi-input clusters untouched
    expect(c.clusterOfWithChange(2)).toBe(0);
    expect(c.clusterOfWithChange(1)).toBe(1);
  });

  it('no link with two fresh outputs, self-change, a coinbase, a single output or a CoinJoin', () => {
    const c = new AddressClusterer({ changeHeuristic: true });
    c.addTransaction([], [out(0, 100), out(9, 1)]); // coinbase with a fresh output: never change
    c.addTransaction([0], [out(1, 30), out(2, 69)]); // two fresh outputs
    c.addTransaction([1], [out(1, 10), out(3, 19)]); // 3 fresh, but 1 pays itself: self-change
    c.addTransaction([2], [out(4, 60)]); // single output: a sweep, not change
    c.addTransaction([0, 1, 2], [out(5, 10), out(9, 10), out(1, 10)]); // CoinJoin-like
    expect(c.changeLinks()).toEqual([]);
  });

  it('revokes a link when the "one-time" change address receives again', () => {
    const c = new AddressClusterer({ changeHeuristic: true });
    c.addTransaction([], [out(0, 100), out(1, 100), out(5, 1)]);
    c.addTransaction([0], [out(1, 10), out(5, 3), out(2, 80)]); // 2 fresh among 3 outputs
    expect(c.changeLinks()[0]!.confidence).toBe(CHANGE_CONFIDENCE_MANY_OUTPUTS);
    expect(c.clusterOfWithChange(2)).toBe(0);
    c.addTransaction([1], [out(2, 5), out(6, 4)]); // 2 receives again: not one-time change after all
    const links = c.changeLinks();
    expect(links[0]!.revokedAtTx).toBe(2);
    expect(c.clusterOfWithChange(2)).toBe(2);
    // tx2 itself: 6 is fresh, 2 is not, no self-change → 6 is change of 1.
    expect(links[1]).toMatchObject({ changeAddressId: 6, inputAddressId: 1, revokedAtTx: null });
  });

  it('does not change the multi-input partition, and honours a confidence threshold', () => {
    const ledger = generateSyntheticLedger({ transactions: 5_000, seed: 3 });
    const plain = clusterLedger(ledger);
    const withChange = clusterLedger(ledger, { changeHeuristic: true });
    expect(Array.from(withChange.partition())).toEqual(Array.from(plain.partition()));
    const links = withChange.changeLinks();
    expect(links.length).toBeGreaterThan(100);
    const strong = links.find(
      (l) => l.revokedAtTx === null && l.confidence === CHANGE_CONFIDENCE_MANY_OUTPUTS,
    );
    if (strong) {
      expect(withChange.clusterOfWithChange(strong.changeAddressId, 0.7)).toBe(
        withChange.clusterOf(strong.changeAddressId),
      );
    }
  });
});
