import { describe, expect, it } from 'vitest';
import { isCoinJoinLike } from './clustering.ts';
import {
  ENTITY_KIND,
  generateSyntheticLedger,
  PLANTED_ADDRESSES,
  Prng,
  TX_KIND,
} from './synthetic-ledger.ts';
import { assertLedgerShape } from './utxo-ledger.ts';

describe('Prng', () => {
  it('is deterministic per seed and roughly uniform', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const xs = Array.from({ length: 1000 }, () => a.nextU32());
    expect(Array.from({ length: 1000 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c.nextU32())).not.toEqual(xs);
    const r = new Prng(1);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[r.int(10)]++;
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });
});

describe('generateSyntheticLedger', () => {
  const ledger = generateSyntheticLedger({ transactions: 30_000, seed: 11, txPerBlock: 500 });

  it('has exactly the requested transactions and a consistent layout', () => {
    expect(ledger.txCount).toBe(30_000);
    assertLedgerShape(ledger);
    expect(ledger.inputCount).toBe(ledger.txInputStart[30_000]);
    expect(ledger.outputCount).toBe(ledger.txOutputStart[30_000]);
  });

  it('is deterministic for a seed', () => {
    const again = generateSyntheticLedger({ transactions: 30_000, seed: 11, txPerBlock: 500 });
    expect(again.outputValue).toEqual(ledger.outputValue);
    expect(again.inputPrevOut).toEqual(ledger.inputPrevOut);
    const other = generateSyntheticLedger({ transactions: 30_000, seed: 12, txPerBlock: 500 });
    expect(other.outputValue).not.toEqual(ledger.outputValue);
  });

  it('is a valid UTXO history: chain order, no double spend, values conserved, positive outputs', () => {
    const spent = new Uint8Array(ledger.outputCount);
    for (let t = 0; t < ledger.txCount; t++) {
      let sumIn = 0;
      let sumOut = 0;
      for (let i = ledger.txInputStart[t]!; i < ledger.txInputStart[t + 1]!; i++) {
        const o = ledger.inputPrevOut[i]!;
        expect(o).toBeLessThan(ledger.txOutputStart[t]!); // spends an earlier transaction's output
        expect(spent[o]).toBe(0);
        spent[o] = 1;
        expect(ledger.inputAddress[i]).toBe(ledger.outputAddress[o]);
        sumIn += ledger.outputValue[o]!;
      }
      for (let o = ledger.txOutputStart[t]!; o < ledger.txOutputStart[t + 1]!; o++) {
        expect(ledger.outputValue[o]).toBeGreaterThan(0);
        expect(Number.isInteger(ledger.outputValue[o])).toBe(true);
        sumOut += ledger.outputValue[o]!;
      }
      if (ledger.txInputStart[t + 1]! > ledger.txInputStart[t]!) expect(sumOut).toBeLessThanOrEqual(sumIn);
      if (t > 0) expect(ledger.txTime[t]).toBeGreaterThanOrEqual(ledger.txTime[t - 1]!);
    }
  });

  it('contains every transaction shape, and its CoinJoins match the clustering rule', () => {
    const counts = new Map<number, number>();
    for (const k of ledger.txKind) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const k of Object.values(TX_KIND)) expect(counts.get(k) ?? 0, `kind ${k}`).toBeGreaterThan(0);
    expect(counts.get(TX_KIND.coinbase)).toBeGreaterThanOrEqual(60); // one per block of 500, plus infusions
    for (let t = 0; t < ledger.txCount; t++) {
      const nIn = ledger.txInputStart[t + 1]! - ledger.txInputStart[t]!;
      const flagged = isCoinJoinLike(
        nIn,
        ledger.outputValue,
        ledger.txOutputStart[t]!,
        ledger.txOutputStart[t + 1]!,
      );
      if (ledger.txKind[t] === TX_KIND.coinjoin) expect(flagged).toBe(true);
    }
  });

  it('has power-law activity: the top 1 % of users send a large share of payments', () => {
    const sends = new Map<number, number>();
    for (let t = 0; t < ledger.txCount; t++) {
      if (ledger.txKind[t] !== TX_KIND.payment) continue;
      const owner = ledger.addressOwner[ledger.inputAddress[ledger.txInputStart[t]!]!]!;
      sends.set(owner, (sends.get(owner) ?? 0) + 1);
    }
    const sorted = [...sends.values()].sort((a, b) => b - a);
    const total = sorted.reduce((s, x) => s + x, 0);
    const users = ledger.entityKind.filter((k) => k === ENTITY_KIND.user).length;
    const top = sorted.slice(0, Math.ceil(users / 100)).reduce((s, x) => s + x, 0);
    expect(top / total).toBeGreaterThan(0.15);
  });

  it('plants the documented network: distributors paid by many customers, swept to the broker', () => {
    const { supplier, broker, distributors } = PLANTED_ADDRESSES;
    expect(ledger.addressOwner[supplier]).toBe(supplier);
    expect(ledger.addressOwner[broker]).toBe(broker);
    for (const d of distributors)
      expect(ledger.entityKind[ledger.addressOwner[d]!]).toBe(ENTITY_KIND.planted);
    const payersToDistributors = new Set<number>();
    let toBroker = 0;
    let toSupplier = 0;
    for (let t = 0; t < ledger.txCount; t++) {
      for (let o = ledger.txOutputStart[t]!; o < ledger.txOutputStart[t + 1]!; o++) {
        const a = ledger.outputAddress[o]!;
        if (
          (distributors as readonly number[]).includes(a) &&
          ledger.txInputStart[t + 1]! > ledger.txInputStart[t]!
        ) {
          payersToDistributors.add(ledger.addressOwner[ledger.inputAddress[ledger.txInputStart[t]!]!]!);
        }
        if (a === broker) toBroker++;
        if (a === supplier) toSupplier++;
      }
    }
    expect(payersToDistributors.size).toBeGreaterThan(30);
    expect(toBroker).toBeGreaterThan(3);
    expect(toSupplier).toBeGreaterThan(0);
  });
});
