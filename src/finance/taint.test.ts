import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import {
  cutTape,
  type Runs,
  type TraceOptions,
  type TraceResult,
  taintedAmount,
  traceTaint,
} from './taint.ts';
import {
  type AccountTransfer,
  buildAccountGraph,
  buildUtxoGraph,
  type UtxoTransactionSpec,
} from './tx-graph.ts';

const BTC = 100_000_000;

/**
 * The worked example (values in BTC, stored in satoshis):
 *   c0: coinbase → DIRTY 3        c1: coinbase → CLEAN 1        c2: coinbase → ZED 2
 *   t2: [DIRTY 3, CLEAN 1] → [X 2, Y 2]            (no fee)
 *   t3: [Y 2 (t2:1), ZED 2] → [W 1, V 3]           (no fee)
 */
function example(t3Inputs: 'Y-first' | 'ZED-first' = 'Y-first', t2Outputs: [number, number] = [2, 2]) {
  const cb = (txid: string, address: string, btc: number): UtxoTransactionSpec => ({
    txid,
    time: 100,
    inputs: [],
    outputs: [{ address, value: btc * BTC }],
  });
  const y = { txid: 't2', vout: 1 };
  const zed = { txid: 'c2', vout: 0 };
  return buildUtxoGraph([
    cb('c0', 'DIRTY', 3),
    cb('c1', 'CLEAN', 1),
    cb('c2', 'ZED', 2),
    {
      txid: 't2',
      time: 1000,
      inputs: [
        { txid: 'c0', vout: 0 },
        { txid: 'c1', vout: 0 },
      ],
      outputs: [
        { address: 'X', value: t2Outputs[0] * BTC },
        { address: 'Y', value: t2Outputs[1] * BTC },
      ],
    },
    {
      txid: 't3',
      time: 2000,
      inputs: t3Inputs === 'Y-first' ? [y, zed] : [zed, y],
      outputs: [
        { address: 'W', value: 1 * BTC },
        { address: 'V', value: 3 * BTC },
      ],
    },
  ]);
}

/** Tainted BTC per address node (nodes absent from the trace are absent here). */
function taintByAddress(r: TraceResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of r.nodes) if (n.kind === 'address' && n.hop > 0) out[n.id] = n.tainted / BTC;
  return out;
}

const fwd = (model: TraceOptions['model'], maxHops: number): TraceOptions => ({
  model,
  direction: 'forward',
  maxHops,
});
const bwd = (model: TraceOptions['model'], maxHops: number): TraceOptions => ({
  model,
  direction: 'backward',
  maxHops,
});

describe('FIFO tape cutting', () => {
  it('cuts inputs laid end to end into outputs, completing a short tape with clean value', () => {
    // [3 tainted][1 clean] cut into 2 and 2: [2T] and [1T,1C].
    expect(cutTape([3, -1], [2, 2])).toEqual([[2], [1, -1]]);
    // Outputs exceeding the tape: the rest is clean (unknown origin).
    expect(cutTape([1], [2])).toEqual([[1, -1]]);
    const r: Runs = [1, -2, 3];
    expect(taintedAmount(r)).toBe(4);
  });
});

describe('UTXO taint, forward, the 3 tainted + 1 clean → 2 + 2 example', () => {
  it('poison: any tainted input taints both outputs fully', () => {
    // t2 has a tainted input (DIRTY), so X = 2 and Y = 2 are fully tainted.
    const r = traceTaint(example(), { address: 'DIRTY' }, fwd('poison', 1));
    expect(taintByAddress(r)).toEqual({ X: 2, Y: 2 });
    expect(r.sourceAmount).toBe(3 * BTC);
  });

  it('haircut: each output 75 % tainted (1.5 BTC each)', () => {
    // ratio = 3 / (3 + 1) = 0.75; X = 2 × 0.75 = 1.5; Y = 2 × 0.75 = 1.5.
    const r = traceTaint(example(), { address: 'DIRTY' }, fwd('haircut', 1));
    expect(taintByAddress(r)).toEqual({ X: 1.5, Y: 1.5 });
  });

  it('fifo: first output fully tainted (2 of the 3), second 1 tainted + 1 clean', () => {
    // Tape: [0,3) DIRTY tainted, [3,4) CLEAN. X takes [0,2) → 2 tainted; Y takes [2,4) → 1 tainted + 1 clean.
    const r = traceTaint(example(), { address: 'DIRTY' }, fwd('fifo', 1));
    expect(taintByAddress(r)).toEqual({ X: 2, Y: 1 });
  });

  it('records the edges with amounts, hops and times', () => {
    const r = traceTaint(example(), { address: 'DIRTY' }, fwd('fifo', 1));
    expect(r.edges).toEqual([
      {
        from: 'address:DIRTY',
        to: 'tx:t2',
        txid: 't2',
        time: 1000,
        hop: 1,
        value: 3 * BTC,
        tainted: 3 * BTC,
      },
      { from: 'tx:t2', to: 'address:X', txid: 't2', time: 1000, hop: 1, value: 2 * BTC, tainted: 2 * BTC },
      { from: 'tx:t2', to: 'address:Y', txid: 't2', time: 1000, hop: 1, value: 2 * BTC, tainted: 1 * BTC },
    ]);
    expect(r.nodes.find((n) => n.key === 'tx:t2')).toMatchObject({ kind: 'tx', hop: 1, tainted: 3 * BTC });
    expect(r.nodes.find((n) => n.key === 'address:DIRTY')).toMatchObject({ hop: 0, tainted: 3 * BTC });
  });

  it('a fee takes its share under haircut and the tail of the tape under fifo', () => {
    // Outputs 2 + 1.9, fee 0.1. Haircut: X = 2 × 0.75 = 1.5; Y = 1.9 × 0.75 = 1.425 (fee carries 0.075).
    const g = example('Y-first', [2, 1.9]);
    const h = taintByAddress(traceTaint(g, { address: 'DIRTY' }, fwd('haircut', 1)));
    expect(h.X).toBeCloseTo(1.5, 12);
    expect(h.Y).toBeCloseTo(1.425, 12);
    // FIFO: tape [3 T][1 C]; X = [0,2) → 2; Y = [2,3.9) → 1 T + 0.9 C; the fee is [3.9,4): clean.
    expect(taintByAddress(traceTaint(g, { address: 'DIRTY' }, fwd('fifo', 1)))).toEqual({ X: 2, Y: 1 });
  });

  it('second hop: poison spreads to everything, haircut dilutes, fifo follows positions', () => {
    // t3 spends Y (2) with ZED (2, clean) → W 1, V 3.
    // poison: Y is tainted, so W = 1 and V = 3 fully.
    expect(taintByAddress(traceTaint(example(), { address: 'DIRTY' }, fwd('poison', 2)))).toEqual({
      X: 2,
      Y: 2,
      W: 1,
      V: 3,
    });
    // haircut: Y carries 1.5; ratio in t3 = 1.5 / 4 = 0.375; W = 0.375, V = 3 × 0.375 = 1.125.
    expect(taintByAddress(traceTaint(example(), { address: 'DIRTY' }, fwd('haircut', 2)))).toEqual({
      X: 1.5,
      Y: 1.5,
      W: 0.375,
      V: 1.125,
    });
    // fifo: Y is [1 T][1 C]; t3 tape = [1 T][1 C][2 C]; W = [0,1) → 1 tainted; V = [1,4) → clean (absent).
    expect(taintByAddress(traceTaint(example(), { address: 'DIRTY' }, fwd('fifo', 2)))).toEqual({
      X: 2,
      Y: 1,
      W: 1,
    });
  });

  it('fifo depends on input order: ZED first moves the taint to the second output', () => {
    // t3 tape = ZED [2 C] then Y [1 T][1 C]; W = [0,1) → clean; V = [1,4) = [1 C][1 T][1 C] → 1.
    const r = traceTaint(example('ZED-first'), { address: 'DIRTY' }, fwd('fifo', 2));
    expect(taintByAddress(r)).toEqual({ X: 2, Y: 1, V: 1 });
  });

  it('respects maxHops', () => {
    const r = traceTaint(example(), { address: 'DIRTY' }, fwd('poison', 1));
    expect(r.nodes.some((n) => n.id === 'W' || n.id === 't3')).toBe(false);
    expect(() => traceTaint(example(), { address: 'DIRTY' }, fwd('poison', 0))).toThrow(AppError);
  });

  it('stops at services and reports exposure per category', () => {
    const opts: TraceOptions = {
      ...fwd('haircut', 3),
      isService: (a) => a === 'Y',
      tagOf: (a) => (a === 'Y' ? 'exchange' : a === 'X' ? 'darknet market' : null),
    };
    const r = traceTaint(example(), { address: 'DIRTY' }, opts);
    // Y is an exchange: 1.5 reaches it and is not followed (no t3, W or V).
    expect(taintByAddress(r)).toEqual({ X: 1.5, Y: 1.5 });
    expect(r.exposure).toEqual({ 'darknet market': 1.5 * BTC, exchange: 1.5 * BTC });
    expect(r.stoppedAt).toEqual(['address:Y']);
    expect(r.nodes.find((n) => n.id === 'Y')).toMatchObject({ service: true, category: 'exchange' });
  });

  it('from a cluster (several addresses) and from a transaction', () => {
    // Cluster {DIRTY, CLEAN}: all of t2's inputs are tainted, haircut ratio 1: X = Y = 2.
    const c = traceTaint(example(), { addresses: ['DIRTY', 'CLEAN'] }, fwd('haircut', 1));
    expect(taintByAddress(c)).toEqual({ X: 2, Y: 2 });
    // From t2: its outputs are the source (hop 0); t3 ratio = 2 / 4 → W 0.5, V 1.5.
    const t = traceTaint(example(), { txid: 't2' }, fwd('haircut', 1));
    expect(t.sourceAmount).toBe(4 * BTC);
    expect(taintByAddress(t)).toEqual({ W: 0.5, V: 1.5 });
    expect(() => traceTaint(example(), { txid: 'nope' }, fwd('haircut', 1))).toThrow(/not in the graph/);
    expect(() => traceTaint(example(), { address: 'nobody' }, fwd('haircut', 1))).toThrow(/not in the graph/);
  });
});

describe('UTXO taint, backward (where did the coins come from?)', () => {
  it('X (2 BTC) from t2: poison flags all inputs, haircut splits 3:1, fifo takes the first 2 BTC', () => {
    // poison: DIRTY 3 and CLEAN 1 both fully "possible sources".
    expect(taintByAddress(traceTaint(example(), { address: 'X' }, bwd('poison', 1)))).toEqual({
      DIRTY: 3,
      CLEAN: 1,
    });
    // haircut: X's 2 come 3/4 from DIRTY (1.5) and 1/4 from CLEAN (0.5).
    expect(taintByAddress(traceTaint(example(), { address: 'X' }, bwd('haircut', 1)))).toEqual({
      DIRTY: 1.5,
      CLEAN: 0.5,
    });
    // fifo: X is tape [0,2), inside DIRTY's [0,3).
    expect(taintByAddress(traceTaint(example(), { address: 'X' }, bwd('fifo', 1)))).toEqual({ DIRTY: 2 });
    // fifo for Y: tape [2,4) → DIRTY [2,3) = 1 and CLEAN [3,4) = 1.
    expect(taintByAddress(traceTaint(example(), { address: 'Y' }, bwd('fifo', 1)))).toEqual({
      DIRTY: 1,
      CLEAN: 1,
    });
  });

  it('two hops back from W, with exposure by category', () => {
    const tagOf = (a: string) => (a === 'DIRTY' ? 'darknet market' : a === 'ZED' ? 'exchange' : null);
    // haircut: W (1) from t3 = [Y 2, ZED 2] → Y 0.5, ZED 0.5; Y's 0.5 from t2 → DIRTY 0.375, CLEAN 0.125.
    const h = traceTaint(example(), { address: 'W' }, { ...bwd('haircut', 2), tagOf });
    expect(taintByAddress(h)).toEqual({ Y: 0.5, ZED: 0.5, DIRTY: 0.375, CLEAN: 0.125 });
    expect(h.exposure).toEqual({ 'darknet market': 0.375 * BTC, exchange: 0.5 * BTC });
    // fifo: W = t3 tape [0,1) = Y's [0,1); Y sits at t2 tape [2,4), so [2,3) → DIRTY 1.
    expect(taintByAddress(traceTaint(example(), { address: 'W' }, bwd('fifo', 2)))).toEqual({
      Y: 1,
      DIRTY: 1,
    });
    // poison: every input on the way is flagged in full.
    expect(taintByAddress(traceTaint(example(), { address: 'W' }, bwd('poison', 2)))).toEqual({
      Y: 2,
      ZED: 2,
      DIRTY: 3,
      CLEAN: 1,
    });
    // One hop only: t2 is not reached.
    expect(taintByAddress(traceTaint(example(), { address: 'W' }, bwd('poison', 1)))).toEqual({
      Y: 2,
      ZED: 2,
    });
  });

  it('stops at a service on the way back', () => {
    const r = traceTaint(example(), { address: 'W' }, { ...bwd('haircut', 3), isService: (a) => a === 'Y' });
    expect(taintByAddress(r)).toEqual({ Y: 0.5, ZED: 0.5 });
    expect(r.stoppedAt).toEqual(['address:Y']);
  });
});

/**
 * Account example (ETH, whole units):
 *   t1  C → M 6     t2  S → M 4 (S is the source)     t3  M → P 5     t4  M → Q 5     t5  Q → R 5
 *   t6  K → M 10    t7  M → Z 10
 *   plus one USDT transfer S → M 100 at t2.5, and Q → T 1 at t0.5 (before Q had anything from M).
 */
function accounts() {
  const tr = (from: string, to: string, amount: number, time: number, token = 'ETH'): AccountTransfer => ({
    from,
    to,
    token,
    amount,
    hash: `h${time}`,
    time,
    block: time,
  });
  return buildAccountGraph([
    tr('S', 'M', 4, 2),
    tr('C', 'M', 6, 1),
    tr('M', 'P', 5, 3),
    tr('M', 'Q', 5, 4),
    tr('Q', 'R', 5, 5),
    tr('K', 'M', 10, 6),
    tr('M', 'Z', 10, 7),
    tr('S', 'M', 100, 2.5, 'USDT'),
    tr('Q', 'T', 1, 0.5),
  ]);
}

function byAddress(r: TraceResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of r.nodes) if (n.hop > 0) out[n.id] = n.tainted;
  return out;
}

describe('account taint', () => {
  const eth = (o: TraceOptions): TraceOptions => ({ ...o, token: 'ETH' });

  it('forward from S: poison, haircut and fifo at an address that mixes 6 clean and 4 tainted', () => {
    // M holds C's 6 (clean) then S's 4 (tainted). M pays P 5, then Q 5; later K's 10 (clean) and M → Z 10.
    // poison: once M holds taint, everything M sends is tainted: P 5, Q 5, and even Z 10.
    expect(byAddress(traceTaint(accounts(), { address: 'S' }, eth(fwd('poison', 2))))).toEqual({
      M: 4,
      P: 5,
      Q: 5,
      Z: 10,
    });
    // haircut: M = 10 with 4 tainted (40 %): P gets 5 × 0.4 = 2; M keeps 5 with 2 tainted: Q gets 2.
    // M is then empty; K's 10 are clean, so Z gets 0.
    expect(byAddress(traceTaint(accounts(), { address: 'S' }, eth(fwd('haircut', 2))))).toEqual({
      M: 4,
      P: 2,
      Q: 2,
    });
    // fifo: M's queue [6 C][4 T]; P takes the first 5 (clean); Q takes [1 C][4 T] → 4.
    expect(byAddress(traceTaint(accounts(), { address: 'S' }, eth(fwd('fifo', 2))))).toEqual({ M: 4, Q: 4 });
  });

  it('forward, third hop: Q passes its taint on to R', () => {
    // haircut: Q received 5 of which 2 tainted, and sends all 5 to R → 2. Q's earlier payment to T
    // (time 0.5) came before, so it carries nothing.
    expect(byAddress(traceTaint(accounts(), { address: 'S' }, eth(fwd('haircut', 3))))).toEqual({
      M: 4,
      P: 2,
      Q: 2,
      R: 2,
    });
    // fifo: Q's queue [1 C][4 T] → R takes all 5 → 4 tainted.
    expect(byAddress(traceTaint(accounts(), { address: 'S' }, eth(fwd('fifo', 3))))).toEqual({
      M: 4,
      Q: 4,
      R: 4,
    });
  });

  it('backward from Q', () => {
    // poison: Q's 5 came from M, whose earlier deposits (C 6, S 4) are both flagged in full.
    expect(byAddress(traceTaint(accounts(), { address: 'Q' }, eth(bwd('poison', 2))))).toEqual({
      M: 5,
      C: 6,
      S: 4,
    });
    // haircut: after M → P, M's 10 became 5 in the same 6:4 proportion: 3 from C, 2 from S.
    expect(byAddress(traceTaint(accounts(), { address: 'Q' }, eth(bwd('haircut', 2))))).toEqual({
      M: 5,
      C: 3,
      S: 2,
    });
    // fifo: P took tape [0,5); Q takes [5,10): C's [0,6) gives 1, S's [6,10) gives 4.
    expect(byAddress(traceTaint(accounts(), { address: 'Q' }, eth(bwd('fifo', 2))))).toEqual({
      M: 5,
      C: 1,
      S: 4,
    });
  });

  it('services stop the trace, exposure per category', () => {
    const r = traceTaint(
      accounts(),
      { address: 'S' },
      eth({
        ...fwd('poison', 3),
        isService: (a) => a === 'P',
        tagOf: (a) => (a === 'P' ? 'exchange' : null),
      }),
    );
    expect(r.exposure).toEqual({ exchange: 5 });
    expect(r.stoppedAt).toEqual(['address:P']);
    expect(r.unit).toBe('ETH');
  });

  it('tokens never mix, and the token must be named when there are several', () => {
    expect(() => traceTaint(accounts(), { address: 'S' }, fwd('poison', 2))).toThrow(/2 tokens/);
    const usdt = traceTaint(accounts(), { address: 'S' }, { ...fwd('poison', 2), token: 'USDT' });
    expect(byAddress(usdt)).toEqual({ M: 100 });
    expect(usdt.unit).toBe('USDT');
  });

  it('from a transaction hash', () => {
    // h2 is S → M 4: the same as tracing S's single ETH transfer.
    const r = traceTaint(accounts(), { txid: 'h2' }, eth(fwd('fifo', 2)));
    expect(byAddress(r)).toEqual({ M: 4, Q: 4 });
    expect(r.sourceAmount).toBe(4);
  });
});

describe("traceTaint: likely change followed as the spender's own", () => {
  const change: TraceOptions['changeConfidence'] = (txid, address) =>
    txid === 't2' && address === 'Y' ? 0.8 : null;

  it('forward: the change output costs no hop, and its edges are marked with the confidence', () => {
    const g = example();
    const plain = traceTaint(g, { address: 'DIRTY' }, { model: 'haircut', direction: 'forward', maxHops: 1 });
    expect(plain.nodes.find((n) => n.key === 'address:W')).toBeUndefined();
    expect(plain.edges.some((e) => e.viaChange)).toBe(false);
    const r = traceTaint(
      g,
      { address: 'DIRTY' },
      { model: 'haircut', direction: 'forward', maxHops: 1, changeConfidence: change },
    );
    // t2: 3 of 4 BTC tainted → Y 1.5; t3 (same hop): 1.5 of 4 → W 0.375, V 1.125.
    expect(r.nodes.find((n) => n.key === 'address:W')).toMatchObject({ hop: 1, tainted: 0.375 * BTC });
    expect(r.nodes.find((n) => n.key === 'address:V')?.tainted).toBeCloseTo(1.125 * BTC, 3);
    const marked = r.edges.filter((e) => e.viaChange);
    expect(marked.map((e) => [e.from, e.to, e.changeConfidence])).toEqual([
      ['tx:t2', 'address:Y', 0.8],
      ['address:Y', 'tx:t3', 0.8],
    ]);
  });

  it('backward: spending change reaches the transaction that made it on the same hop', () => {
    const g = example();
    const opts = { model: 'poison', direction: 'backward', maxHops: 1 } as const;
    expect(
      traceTaint(g, { address: 'W' }, opts).nodes.find((n) => n.key === 'address:DIRTY'),
    ).toBeUndefined();
    const r = traceTaint(g, { address: 'W' }, { ...opts, changeConfidence: change });
    expect(r.nodes.find((n) => n.key === 'address:DIRTY')).toMatchObject({ hop: 1 });
  });
});
