import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOrg,
  buildUser,
  type Engine,
  engines,
  type TestNode,
  testNode,
} from '../../test/support/node.ts';
import type { Actor } from '../access/index.ts';
import type { TraceResult } from './taint.ts';

/**
 * Worked examples on stored ETH token transfers (hand-computed values below).
 *
 *   t1  X → S 100 USDT        (X is tagged scam)
 *   t2  C → A  40 USDT        (clean money already at A)
 *   t3  S → A  60 USDT        (+ S → A 999 ETH: another token, never mixed in)
 *   t4  A → B  50 USDT        (B is tagged exchange: the trace stops there)
 *   t5  A → D  30 USDT
 *   t6  D → E  30 USDT
 *   t7  S → G  40 USDT
 *
 * Forward from S, 3 hops: S's withdrawals (60 to A, 40 to G) are the tainted 100.
 * - poison: A is dirty, so A → B 50, A → D 30, D → E 30 are tainted in full; exchange exposure 50.
 * - haircut: A holds 40 clean + 60 tainted; A → B 50 carries 50·60/100 = 30 (exchange exposure 30);
 *   A then holds 50 with 30 tainted: A → D 30 carries 30·30/50 = 18, and D → E passes the 18 on.
 * - fifo (by time): A's queue is [40 clean, 60 tainted]; A → B takes 40 clean + 10 tainted (exposure 10);
 *   A → D takes 30 tainted, D → E 30 tainted.
 * Backward from D, 3 hops (where did D's 30 come from?):
 * - haircut: A → B took half of A's 40/60 mix, A → D 30 takes 30/50 of the rest: 12 from C, 18 from S;
 *   S's 18 came from X → S: scam exposure 18.
 * - fifo: A → B used the 40 from C and 10 from S; A → D is 30 from S, which came from X: scam 30.
 * - poison: every earlier deposit counts in full: C → A 40, S → A 60, X → S 100: scam 100.
 */
const addr = (c: string) => `0x${c.repeat(40)}`;
const X = addr('1');
const S = addr('2');
const C = addr('3');
const A = addr('4');
const B = addr('5');
const D = addr('6');
const E = addr('7');
const G = addr('8');
const T0 = 1_700_000_000;
const rows: [string, string, string, string, number][] = [
  [X, S, 'USDT', '100', 1],
  [C, A, 'USDT', '40', 2],
  [S, A, 'USDT', '60', 3],
  [S, A, 'ETH', '999', 3],
  [A, B, 'USDT', '50', 4],
  [A, D, 'USDT', '30', 5],
  [D, E, 'USDT', '30', 6],
  [S, G, 'USDT', '40', 7],
];
const jsonl = rows
  .map(([from, to, token, amount, t], i) =>
    JSON.stringify({
      from,
      to,
      token,
      amount,
      hash: `0x${String(i + 1).padStart(64, '0')}`,
      time: T0 + t * 60,
      block: 18_000_000 + t,
    }),
  )
  .join('\n');

const edge = (r: TraceResult, from: string, to: string) =>
  r.edges.find((e) => e.from === `address:${from}` && e.to === `address:${to}`)?.tainted;

describe.each(engines())('account-chain tracing on %s', (engine: Engine) => {
  let node: TestNode;
  let actor: Actor;
  let outsider: Actor;

  beforeAll(async () => {
    node = await testNode(engine);
    const org = await buildOrg(node.ctx, { kind: 'fiu' });
    actor = (await buildUser(node.ctx, { orgId: org.id })).actor;
    outsider = (await buildUser(node.ctx)).actor;
    const imp = await node.ctx.finance.importTransfers(actor, jsonl);
    expect(imp).toMatchObject({ stored: rows.length, quarantined: [] });
    const marking = {
      tlp: 'AMBER' as const,
      handlingCode: null,
      sourceReliability: null,
      infoCredibility: null,
    };
    const distribution = { orgs: [], users: [], communities: [], node: false };
    const tag = { source: null, confidence: null, marking, distribution };
    await node.ctx.finance.addTag(actor, {
      ...tag,
      address: B,
      label: 'Exchange hot wallet',
      category: 'exchange',
    });
    await node.ctx.finance.addTag(actor, { ...tag, address: X, label: 'Scam payout', category: 'scam' });
  });
  afterAll(async () => {
    await node.close();
  });

  const trace = (
    who: Actor,
    from: string,
    direction: 'forward' | 'backward',
    model: 'poison' | 'haircut' | 'fifo',
  ) => node.ctx.finance.trace(who, { from, direction, model, hops: 3, format: 'json' }).then((r) => r.result);

  it('forward, poison', async () => {
    const r = await trace(actor, S, 'forward', 'poison');
    expect(r.unit).toBe('USDT');
    expect(r.sourceAmount).toBe(100);
    expect(edge(r, A, B)).toBe(50);
    expect(edge(r, A, D)).toBe(30);
    expect(edge(r, D, E)).toBe(30);
    expect(r.exposure).toEqual({ exchange: 50 });
    expect(r.stoppedAt).toEqual([`address:${B}`]);
  });

  it('forward, haircut', async () => {
    const r = await trace(actor, S, 'forward', 'haircut');
    expect(edge(r, S, A)).toBe(60);
    expect(edge(r, S, G)).toBe(40);
    expect(edge(r, A, B)).toBeCloseTo(30, 9);
    expect(edge(r, A, D)).toBeCloseTo(18, 9);
    expect(edge(r, D, E)).toBeCloseTo(18, 9);
    expect(r.exposure.exchange).toBeCloseTo(30, 9);
    // Nothing of the ETH transfer: taint never crosses tokens.
    expect(r.edges.every((e) => e.value !== 999)).toBe(true);
  });

  it('forward, fifo by time', async () => {
    const r = await trace(actor, S, 'forward', 'fifo');
    expect(edge(r, A, B)).toBe(10);
    expect(edge(r, A, D)).toBe(30);
    expect(edge(r, D, E)).toBe(30);
    expect(r.exposure).toEqual({ exchange: 10 });
  });

  it('backward under the three models', async () => {
    const h = await trace(actor, D, 'backward', 'haircut');
    expect(h.sourceAmount).toBe(30);
    expect(edge(h, C, A)).toBeCloseTo(12, 9);
    expect(edge(h, S, A)).toBeCloseTo(18, 9);
    expect(h.exposure.scam).toBeCloseTo(18, 9);
    const f = await trace(actor, D, 'backward', 'fifo');
    expect(edge(f, C, A)).toBeUndefined(); // none of C's 40 reached D: no edge at all
    expect(edge(f, S, A)).toBe(30);
    expect(f.exposure).toEqual({ scam: 30 });
    const p = await trace(actor, D, 'backward', 'poison');
    expect(edge(p, C, A)).toBe(40);
    expect(p.exposure).toEqual({ scam: 100 });
  });

  it('follows another token when named, and stops only at services the actor may see', async () => {
    const eth = await node.ctx.finance.trace(actor, {
      from: S,
      direction: 'forward',
      model: 'poison',
      hops: 3,
      format: 'json',
      token: 'ETH',
    });
    expect(eth.result.unit).toBe('ETH');
    expect(eth.result.sourceAmount).toBe(999);
    // The outsider does not see the exchange tag: the trace goes through B (which never sends) and the
    // exposure has no category.
    const r = await trace(outsider, S, 'forward', 'haircut');
    expect(r.exposure).toEqual({});
    expect(r.stoppedAt).toEqual([]);
  });

  it('gives an exposure score for an account address', async () => {
    const s = await node.ctx.finance.exposure(actor, D);
    // Backward haircut: 18 of D's 30 came from a scam (weight 0.9): 10 · 0.9 · 18/30 = 5.4.
    expect(s.score).toBe(5.4);
    expect(s.reasons.some((x) => x.includes('scam'))).toBe(true);
  });
});
