import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChangeState,
  type ChangeTx,
  changeConfidence,
  detectChangeLinks,
  type NewChangeLink,
} from './change-links.ts';
import { AddressClusterer, isCoinJoinLike } from './clustering.ts';

const input = (addressId: number, scriptType = 'p2pkh') => ({ addressId, scriptType });
const output = (addressId: number, value: number, scriptType = 'p2pkh') => ({ addressId, value, scriptType });
let n = 0;
function tx(inputs: ChangeTx['inputs'], outputs: ChangeTx['outputs'], coinbase = false): ChangeTx {
  n++;
  return { txid: `t${n}`, height: n, coinbase, coinjoin: false, inputs, outputs };
}
const empty: ChangeState = { seen: new Set(), active: new Set() };

describe('changeConfidence', () => {
  it('is the base value for plain shapes and moves with round amounts and script types', () => {
    const plain = { inputs: [input(0)], outputs: [output(1, 123_456), output(2, 654_321)] };
    expect(changeConfidence(plain, 2)).toEqual({
      confidence: 0.8,
      criteria: ['one-time-change', 'two-outputs'],
    });
    const three = { inputs: [input(0)], outputs: [output(1, 7), output(3, 9), output(2, 11)] };
    expect(changeConfidence(three, 2).confidence).toBe(0.6);
    // Payment 0.03 BTC, change the remainder: supports the guess.
    const round = { inputs: [input(0)], outputs: [output(1, 3_000_000), output(2, 6_990_000)] };
    expect(changeConfidence(round, 2)).toEqual({
      confidence: 0.9,
      criteria: ['one-time-change', 'two-outputs', 'round-payment'],
    });
    // The "change" is the round one: against the guess.
    expect(changeConfidence(round, 1).confidence).toBe(0.6);
    expect(changeConfidence(round, 1).criteria).toContain('round-change');
    // Inputs p2pkh, change p2wpkh while the payment is p2pkh: against; the reverse: for.
    const mixed = { inputs: [input(0)], outputs: [output(1, 1_000_000), output(2, 3_990_000, 'p2wpkh')] };
    expect(changeConfidence(mixed, 2)).toEqual({
      confidence: 0.7,
      criteria: ['one-time-change', 'two-outputs', 'round-payment', 'script-type-mismatch'],
    });
    const matching = {
      inputs: [input(0, 'p2wpkh')],
      outputs: [output(1, 17, 'p2tr'), output(2, 19, 'p2wpkh')],
    };
    expect(changeConfidence(matching, 2)).toEqual({
      confidence: 0.9,
      criteria: ['one-time-change', 'two-outputs', 'script-type-match'],
    });
    // Clamped: never certain.
    const best = {
      inputs: [input(0, 'p2wpkh')],
      outputs: [output(1, 100_000, 'p2tr'), output(2, 19, 'p2wpkh')],
    };
    expect(changeConfidence(best, 2).confidence).toBe(0.95);
  });
});

describe('detectChangeLinks', () => {
  it('finds the only fresh output, skips self-change, coinbases, CoinJoins and two fresh outputs', () => {
    const txs = [
      tx([], [output(0, 100), output(1, 100)], true), // coinbase: never change
      tx([input(0)], [output(1, 30), output(2, 69)]), // 2 is the only fresh output → change of 0
      tx([input(1)], [output(3, 10), output(4, 19)]), // two fresh outputs
      tx([input(3)], [output(3, 10), output(5, 19)]), // 5 is the only fresh output, but 3 pays itself
      { ...tx([input(3), input(4)], [output(6, 10), output(1, 5)]), coinjoin: true },
      tx([input(5)], [output(7, 60)]), // single output: a sweep
    ];
    const r = detectChangeLinks(txs, empty);
    expect(r.revocations).toEqual([]);
    expect(r.links).toEqual([
      {
        changeAddressId: 2,
        spenderAddressId: 0,
        txid: txs[1]!.txid,
        height: txs[1]!.height,
        confidence: 0.8,
        criteria: ['one-time-change', 'two-outputs'],
        revokedTxid: null,
        revokedHeight: null,
      },
    ]);
  });

  it('revokes a link when its address receives again, in the same batch or a later one', () => {
    const a = tx([input(0)], [output(1, 30), output(2, 69)]);
    const b = tx([input(1)], [output(2, 5), output(3, 4)]);
    const same = detectChangeLinks([a, b], { seen: new Set([0, 1]), active: new Set() });
    expect(same.links.map((l) => [l.changeAddressId, l.revokedTxid])).toEqual([
      [2, b.txid],
      [3, null],
    ]);
    const later = detectChangeLinks([b], { seen: new Set([0, 1, 2]), active: new Set([2]) });
    expect(later.revocations).toEqual([{ changeAddressId: 2, txid: b.txid, height: b.height }]);
    expect(later.links.map((l) => l.changeAddressId)).toEqual([3]);
  });
});

/** A random sequence of transactions over a small address space, spending only seen addresses. */
const ledgerArb = fc
  .array(
    fc.record({
      coinbase: fc.boolean(),
      ins: fc.array(fc.nat(11), { minLength: 1, maxLength: 3 }),
      outs: fc.array(fc.record({ a: fc.nat(11), v: fc.integer({ min: 1, max: 20 }) }), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) => {
    const seen = new Set<number>();
    const txs: ChangeTx[] = [];
    rows.forEach((r, k) => {
      const ins = [...seen];
      const coinbase = r.coinbase || ins.length === 0;
      // Odd values, one script type: the confidence is the base value, as in AddressClusterer.
      const outputs = r.outs.map((o) => output(o.a, 2 * o.v + 1));
      const inputs = coinbase ? [] : r.ins.map((i) => input(ins[i % ins.length]!));
      const values = Float64Array.from(outputs.map((o) => o.value));
      const coinjoin = !coinbase && isCoinJoinLike(inputs.length, values, 0, values.length);
      txs.push({ txid: `r${k}`, height: k, coinbase, coinjoin, inputs, outputs });
      for (const o of outputs) seen.add(o.addressId);
    });
    return txs;
  });

/** Replays batches, deriving each batch's state from the links so far, as the importer does. */
function inBatches(txs: ChangeTx[], cuts: number[]): NewChangeLink[] {
  const all: NewChangeLink[] = [];
  const seen = new Set<number>();
  let start = 0;
  for (const end of [...cuts.filter((c) => c > 0 && c < txs.length).sort((x, y) => x - y), txs.length]) {
    if (end <= start) continue;
    const batch = txs.slice(start, end);
    const active = new Set(all.filter((l) => l.revokedTxid === null).map((l) => l.changeAddressId));
    const r = detectChangeLinks(batch, { seen, active });
    for (const rv of r.revocations) {
      const l = all.find((x) => x.changeAddressId === rv.changeAddressId)!;
      l.revokedTxid = rv.txid;
      l.revokedHeight = rv.height;
    }
    all.push(...r.links);
    for (const t of batch) for (const o of t.outputs) if (o.addressId !== null) seen.add(o.addressId);
    start = end;
  }
  return all;
}

describe('detectChangeLinks: properties', () => {
  it('batches give the same links as one pass, and AddressClusterer agrees', () => {
    fc.assert(
      fc.property(ledgerArb, fc.array(fc.nat(40), { maxLength: 6 }), (txs, cuts) => {
        const once = detectChangeLinks(txs, empty).links;
        expect(inBatches(txs, cuts)).toEqual(once);
        const mem = new AddressClusterer({ changeHeuristic: true, coinJoinRule: isCoinJoinLike });
        for (const t of txs)
          mem.addTransaction(
            t.inputs.map((i) => i.addressId!),
            t.outputs.map((o) => ({ addressId: o.addressId!, value: o.value })),
            { coinbase: t.coinbase },
          );
        expect(
          mem.changeLinks().map((l) => ({
            changeAddressId: l.changeAddressId,
            spenderAddressId: l.inputAddressId,
            txid: txs[l.txIndex]!.txid,
            confidence: l.confidence,
            revokedTxid: l.revokedAtTx === null ? null : txs[l.revokedAtTx]!.txid,
          })),
        ).toEqual(
          once.map((l) => ({
            changeAddressId: l.changeAddressId,
            spenderAddressId: l.spenderAddressId,
            txid: l.txid,
            confidence: l.confidence,
            revokedTxid: l.revokedTxid,
          })),
        );
      }),
      { numRuns: 300 },
    );
  });
});
