import { describe, expect, it } from 'vitest';
import { findPaths } from './path-search.ts';
import { buildAccountGraph, buildUtxoGraph } from './tx-graph.ts';

/** A → t1 → B, C;  B → t2 → D;  C → t3 → D;  D → t4 → E;  E → t5 → A (a cycle back). */
function utxo() {
  return buildUtxoGraph([
    { txid: 'cb', inputs: [], outputs: [{ address: 'A', value: 10 }] },
    {
      txid: 't1',
      time: 1,
      inputs: [{ txid: 'cb', vout: 0 }],
      outputs: [
        { address: 'B', value: 4 },
        { address: 'C', value: 6 },
      ],
    },
    { txid: 't2', time: 2, inputs: [{ txid: 't1', vout: 0 }], outputs: [{ address: 'D', value: 4 }] },
    { txid: 't3', time: 3, inputs: [{ txid: 't1', vout: 1 }], outputs: [{ address: 'D', value: 6 }] },
    {
      txid: 't4',
      time: 4,
      inputs: [
        { txid: 't2', vout: 0 },
        { txid: 't3', vout: 0 },
      ],
      outputs: [{ address: 'E', value: 10 }],
    },
    { txid: 't5', time: 5, inputs: [{ txid: 't4', vout: 0 }], outputs: [{ address: 'A', value: 10 }] },
  ]);
}

const route = (p: { from: string; to: string; txid: string }[]) =>
  p.map((s) => `${s.from}-${s.txid}->${s.to}`).join(' ');

describe('findPaths (UTXO)', () => {
  it('returns all shortest paths with their steps', () => {
    const r = findPaths(utxo(), ['A'], ['D']);
    expect(r.hops).toBe(2);
    expect(r.paths.map(route).sort()).toEqual(['A-t1->B B-t2->D', 'A-t1->C C-t3->D']);
    expect(r.paths[0]![0]).toMatchObject({ time: 1 });
  });

  it('between clusters (address sets), bounded by maxHops', () => {
    expect(findPaths(utxo(), ['A', 'B'], ['E']).hops).toBe(2); // B → D → E
    expect(findPaths(utxo(), ['A'], ['E'], { maxHops: 2 })).toEqual({
      hops: null,
      paths: [],
      truncated: false,
    });
    expect(findPaths(utxo(), ['A'], ['E']).hops).toBe(3);
  });

  it('caps the number of paths and can avoid addresses', () => {
    const capped = findPaths(utxo(), ['A'], ['D'], { maxPaths: 1 });
    expect(capped.paths).toHaveLength(1);
    expect(capped.truncated).toBe(true);
    expect(findPaths(utxo(), ['A'], ['D'], { avoid: (a) => a === 'B' }).paths.map(route)).toEqual([
      'A-t1->C C-t3->D',
    ]);
  });

  it('the cycle E → A is found from E', () => {
    expect(findPaths(utxo(), ['E'], ['A']).paths.map(route)).toEqual(['E-t5->A']);
  });
});

describe('findPaths (account), time-respecting', () => {
  const g = buildAccountGraph([
    { from: 'S', to: 'M', token: 'ETH', amount: 4, hash: 'h2', time: 2 },
    { from: 'M', to: 'Q', token: 'ETH', amount: 5, hash: 'h4', time: 4 },
    { from: 'Q', to: 'T', token: 'ETH', amount: 1, hash: 'h1', time: 1 }, // before Q received from M
    { from: 'Q', to: 'U', token: 'ETH', amount: 1, hash: 'h5', time: 5 },
    { from: 'M', to: 'U', token: 'ETH', amount: 1, hash: 'h0', time: 0 }, // before M received from S
  ]);

  it('follows transfers forward in time only', () => {
    expect(findPaths(g, ['S'], ['Q']).paths.map(route)).toEqual(['S-h2->M M-h4->Q']);
    // Q → T happened before the money arrived: no S → T route in time.
    expect(findPaths(g, ['S'], ['T']).hops).toBeNull();
    expect(findPaths(g, ['S'], ['T'], { respectTime: false }).hops).toBe(3);
    // M → U at time 0 is too early, but Q → U at time 5 works: the shortest timely route has 3 hops.
    const u = findPaths(g, ['S'], ['U']);
    expect(u.hops).toBe(3);
    expect(u.paths.map(route)).toEqual(['S-h2->M M-h4->Q Q-h5->U']);
    expect(findPaths(g, ['S'], ['U'], { respectTime: false }).hops).toBe(2);
  });

  it('unknown addresses simply have no path', () => {
    expect(findPaths(g, ['nobody'], ['Q']).hops).toBeNull();
  });
});
