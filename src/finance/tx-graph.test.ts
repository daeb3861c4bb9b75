import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBlockHex } from './block-parser.ts';
import { generateSyntheticLedger, PLANTED_ADDRESSES } from './synthetic-ledger.ts';
import { traceTaint } from './taint.ts';
import { buildAccountGraph, buildUtxoGraph, utxoGraphFromBlocks, utxoGraphFromLedger } from './tx-graph.ts';

describe('UTXO graph', () => {
  it('from real blocks: outputs, spends inside the block set, unknown external inputs', () => {
    const block = parseBlockHex(readFileSync('/work/shared/fixtures/bitcoin/300025.hex', 'utf8'));
    const g = utxoGraphFromBlocks([block]);
    expect(g.txCount).toBe(461);
    expect(g.txInputStart[461]).toBe(1428 - 1); // the coinbase input is not a spend
    expect(g.txOutputStart[461]).toBe(1226);
    expect(g.txid(0)).toBe('13055be6d6784afa78ed08454651e4c81a03f96297b32f71992ef07e462b97f3');
    expect(g.txTime[5]).toBe(1399713634);
    // Spends of outputs created earlier in the same block are linked both ways.
    let internal = 0;
    for (let i = 0; i < g.inputPrevOut.length; i++) {
      const o = g.inputPrevOut[i]!;
      if (o < 0) {
        expect(Number.isNaN(g.inputValue(i))).toBe(true);
        continue;
      }
      internal++;
      expect(g.outputSpentBy[o]).toBe(i);
      expect(g.txOfOutput(o)).toBeLessThan(g.txOfInput(i));
    }
    expect(internal).toBeGreaterThanOrEqual(0);
    // Tracing works on real data: forward from the coinbase's outputs.
    const r = traceTaint(g, { txid: g.txid(0) }, { model: 'haircut', direction: 'forward', maxHops: 2 });
    expect(r.sourceAmount).toBe(2507773345);
  });

  it('rejects duplicate txids, out-of-order spends, double spends and missing outputs', () => {
    const cb = { txid: 'a', inputs: [], outputs: [{ address: 'X', value: 5 }] };
    expect(() => buildUtxoGraph([cb, cb])).toThrow(/duplicate txid/);
    expect(() =>
      buildUtxoGraph([
        { txid: 'b', inputs: [{ txid: 'a', vout: 0 }], outputs: [{ address: 'Y', value: 1 }] },
        cb,
      ]),
    ).toThrow(/spends a which is not earlier in the list/); // listed later: not chain order
    expect(() =>
      buildUtxoGraph([
        cb,
        { txid: 'b', inputs: [{ txid: 'b', vout: 0 }], outputs: [{ address: 'Y', value: 1 }] },
      ]),
    ).toThrow(/not earlier/);
    const spend = (txid: string) => ({
      txid,
      inputs: [{ txid: 'a', vout: 0 }],
      outputs: [{ address: 'Y', value: 1 }],
    });
    expect(() => buildUtxoGraph([cb, spend('b'), spend('c')])).toThrow(/double spend of a:0/);
    expect(() =>
      buildUtxoGraph([
        cb,
        { txid: 'b', inputs: [{ txid: 'a', vout: 3 }], outputs: [{ address: 'Y', value: 1 }] },
      ]),
    ).toThrow(/output 3 does not exist/);
    expect(() => buildUtxoGraph([{ txid: 'a', inputs: [], outputs: [{ address: 'X', value: -1 }] }])).toThrow(
      /invalid amount/,
    );
  });

  it('wraps a ledger without copying its columns, and a 3-hop haircut trace from a planted wallet', () => {
    const ledger = generateSyntheticLedger({ transactions: 20_000, seed: 5 });
    const g = utxoGraphFromLedger(ledger);
    expect(g.outputValue.buffer).toBe(ledger.outputValue.buffer);
    expect(g.addressName(3)).toBe('addr#3');
    expect(g.addressIdOf('addr#3')).toBe(3);
    const exchanges = new Set(ledger.exchangeEntities);
    const d = PLANTED_ADDRESSES.distributors[0];
    const r = traceTaint(
      g,
      { address: `addr#${d}` },
      {
        model: 'haircut',
        direction: 'forward',
        maxHops: 3,
        isService: (_name, id) => exchanges.has(ledger.addressOwner[id]!),
        tagOf: (_name, id) =>
          exchanges.has(ledger.addressOwner[id]!)
            ? 'exchange'
            : id === PLANTED_ADDRESSES.broker
              ? 'broker'
              : null,
      },
    );
    // The distributor sweeps to the broker: the broker is reached at hop 1.
    expect(r.nodes.find((n) => n.id === `addr#${PLANTED_ADDRESSES.broker}`)?.hop).toBe(1);
    expect(r.exposure.broker).toBeGreaterThan(0);
    // Taint never exceeds what was there.
    for (const e of r.edges) expect(e.tainted).toBeLessThanOrEqual(e.value + 1e-6);
  });
});

describe('account graph', () => {
  it('orders transfers by time, block and index, and indexes them per address', () => {
    const g = buildAccountGraph([
      { from: 'A', to: 'B', token: 'ETH', amount: '5', hash: 'x', time: 10, block: 2, index: 1 },
      { from: 'A', to: 'C', token: 'ETH', amount: 3n, hash: 'x', time: 10, block: 2, index: 0 },
      { from: 'B', to: 'C', token: 'USDT', amount: 1.5, hash: 'y', time: 5 },
    ]);
    expect(Array.from(g.amount)).toEqual([1.5, 3, 5]);
    expect(g.tokens).toEqual(['USDT', 'ETH']);
    expect([...g.outgoing(g.addressIdOf('A')!)].map((p) => g.hash[p])).toEqual(['x', 'x']);
    expect(g.transfersOf('x')).toEqual([1, 2]);
    expect(() =>
      buildAccountGraph([{ from: 'A', to: 'B', token: 'ETH', amount: 'lots', hash: 'x', time: 1 }]),
    ).toThrow(/invalid amount/);
  });
});
