/**
 * Taint tracing over a TxGraph: forward ("where did these coins go?") and backward ("where did these
 * coins come from?") N-hop traces from an address, a cluster (a set of addresses) or a transaction, under
 * three taint models from the literature (Möser, Böhme & Breuker 2014, "Towards Risk Scoring of Bitcoin
 * Transactions", FC 2014 workshops; Anderson, Shumailov, Ahmed & Rietmann 2018, "Bitcoin Redux"):
 *
 * - poison: any tainted input taints every output in full. Over-inclusive, never misses a path.
 * - haircut: taint spreads in proportion to value. A UTXO transaction with inputs worth I of which T
 *   tainted gives each output of value v a taint of v·T/I (the fee takes its share). An account behaves
 *   like a pot: each withdrawal carries the pot's current tainted fraction.
 * - fifo: first in, first out, by position (Anderson et al. 2018, after Clayton's Case, 1816). For a UTXO
 *   transaction, lay the inputs' value end to end in input order (each input keeping the order of its own
 *   tainted and clean parts), then cut that tape into the outputs in output order; the unassigned tail is
 *   the fee. For an account, a withdrawal takes the oldest value still held. Coins therefore carry an
 *   ordered list of tainted/clean segments ("runs"), not a single number.
 * Backward traces attribute value with the same rules read in reverse: poison marks every input (every
 * earlier deposit) in full; haircut splits an output proportionally over all inputs; fifo maps each
 * output's tape interval back onto the input intervals it came from.
 *
 * Traces stop at services (the isService callback: exchanges and other pooled wallets, where following
 * coins further is meaningless): the flow into or out of them is reported, not followed. Exposure sums
 * tainted (forward) or attributed (backward) value per category of the counterparties (tagOf callback).
 *
 * Hops: a UTXO hop is one transaction; an account hop is one transfer. Value that would need more hops is
 * not followed. Amounts are in the graph's base unit (satoshis, wei, …) as float64: exact for satoshis
 * under poison and fifo; haircut is a ratio and carries float rounding.
 *
 * Unknown input values (inputs spending outputs outside the graph, with no value given) are inferred as
 * the outputs' total minus the known inputs, shared equally (zero fee assumed), and counted as clean.
 */
import { AppError } from '../platform/errors.ts';
import type { AccountGraph, TxGraph, UtxoGraph } from './tx-graph.ts';

export type TaintModel = 'poison' | 'haircut' | 'fifo';
export type TraceDirection = 'forward' | 'backward';
/** An address, a cluster given by its addresses, or a transaction (txid / account transaction hash). */
export type TraceSource = { address: string } | { addresses: readonly string[] } | { txid: string };

export interface TraceOptions {
  model: TaintModel;
  direction: TraceDirection;
  /** Default 3. */
  maxHops?: number;
  /** Addresses where the trace stops (services). Called once per address. */
  isService?: (address: string, addressId: number) => boolean;
  /** Category of an address (e.g. "exchange", "darknet"), or null. Called once per address. */
  tagOf?: (address: string, addressId: number) => string | null;
  /** Account graphs: the token to trace (default: the only token in the graph). */
  token?: string;
  /** Safety cap on recorded edges; the result says `truncated` when hit. Default 250 000. */
  maxEdges?: number;
  /**
   * UTXO graphs: confidence that the output of `txid` paying `address` is the spender's one-time change,
   * or null. When given, a change output is the spender's own: following it costs no hop, and the edges
   * carrying it say `viaChange` with that confidence. Absent: no output is treated as change.
   */
  changeConfidence?: (txid: string, address: string) => number | null;
}

export interface TraceNode {
  /** `address:<addr>`, `tx:<txid>` or `output:<txid>:<vout>` (an output without an address). */
  key: string;
  kind: 'address' | 'tx' | 'output';
  id: string;
  /** Smallest hop at which the node was reached (0 for the source). */
  hop: number;
  /** Forward: tainted value received (tx: tainted value spent in); backward: value attributed. */
  tainted: number;
  service: boolean;
  category: string | null;
}

export interface TraceEdge {
  from: string;
  to: string;
  txid: string;
  time: number | null;
  hop: number;
  /** Full value moved on this edge. */
  value: number;
  /** Tainted (forward) or attributed (backward) part of it. */
  tainted: number;
  /** Present when the edge carries a likely one-time change output followed as the spender's own. */
  viaChange?: true;
  /** Confidence of that change link (0..1). */
  changeConfidence?: number;
}

export interface TraceResult {
  model: TaintModel;
  direction: TraceDirection;
  maxHops: number;
  /** "sat" or the token traced. */
  unit: string;
  /** Value at the source: coins received by the source (forward and backward), or the transaction's outputs. */
  sourceAmount: number;
  nodes: TraceNode[];
  edges: TraceEdge[];
  /** Tainted/attributed value per counterparty category. */
  exposure: Record<string, number>;
  /** Service nodes where the trace stopped. */
  stoppedAt: string[];
  truncated: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Runs: ordered tainted/clean segments of a coin. Positive length = tainted, negative = clean.

export type Runs = number[];

function pushRun(r: Runs, len: number, tainted: boolean): void {
  if (len <= 0) return;
  const last = r.length - 1;
  if (last >= 0 && r[last]! > 0 === tainted) r[last] = tainted ? r[last]! + len : r[last]! - len;
  else r.push(tainted ? len : -len);
}

export function taintedAmount(r: Runs): number {
  let s = 0;
  for (const x of r) if (x > 0) s += x;
  return s;
}

/**
 * Cuts a tape (runs laid end to end) into consecutive pieces of the given widths. A piece the tape cannot
 * fill is completed with clean value. This is FIFO in both directions: forward, tape = inputs and pieces =
 * outputs; backward, tape = outputs (then the fee) and pieces = inputs.
 */
export function cutTape(tape: Runs, widths: ArrayLike<number>): Runs[] {
  const out: Runs[] = [];
  let ri = 0;
  let left = tape.length > 0 ? Math.abs(tape[0]!) : 0;
  for (let j = 0; j < widths.length; j++) {
    let need = widths[j]!;
    const piece: Runs = [];
    while (need > 0 && ri < tape.length) {
      const take = Math.min(need, left);
      pushRun(piece, take, tape[ri]! > 0);
      need -= take;
      left -= take;
      if (left <= 0) {
        ri++;
        left = ri < tape.length ? Math.abs(tape[ri]!) : 0;
      }
    }
    if (need > 0) pushRun(piece, need, false);
    out.push(piece);
  }
  return out;
}

/** Union of the tainted parts of two run lists over the same coin (backward fifo, account graphs). */
function unionRuns(a: Runs, b: Runs): Runs {
  const ia = intervals(a);
  const ib = intervals(b);
  const all = [...ia, ...ib].sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const iv of all) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  const total = Math.max(length(a), length(b));
  const r: Runs = [];
  let pos = 0;
  for (const [s, e] of merged) {
    pushRun(r, s - pos, false);
    pushRun(r, e - s, true);
    pos = e;
  }
  pushRun(r, total - pos, false);
  return r;
}

function intervals(r: Runs): [number, number][] {
  const out: [number, number][] = [];
  let pos = 0;
  for (const x of r) {
    const len = Math.abs(x);
    if (x > 0) out.push([pos, pos + len]);
    pos += len;
  }
  return out;
}

function length(r: Runs): number {
  let s = 0;
  for (const x of r) s += Math.abs(x);
  return s;
}

// ---------------------------------------------------------------------------------------------------

/** Binary heap of integers, min-first or max-first. */
class IntHeap {
  private a: number[] = [];
  constructor(private readonly max: boolean) {}
  get size(): number {
    return this.a.length;
  }
  private before(x: number, y: number): boolean {
    return this.max ? x > y : x < y;
  }
  push(v: number): void {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Collects nodes, edges and exposure; caches the per-address callbacks. */
class ResultBuilder {
  readonly nodes = new Map<string, TraceNode>();
  readonly edges: TraceEdge[] = [];
  readonly exposure = new Map<string, number>();
  sourceAmount = 0;
  truncated = false;
  private readonly serviceCache = new Map<number, boolean>();
  private readonly tagCache = new Map<number, string | null>();
  private readonly changeCache = new Map<number, number | null>();

  constructor(
    private readonly name: (id: number) => string,
    private readonly opts: TraceOptions,
    private readonly maxEdges: number,
  ) {}

  isService(id: number): boolean {
    if (id < 0 || !this.opts.isService) return false;
    let v = this.serviceCache.get(id);
    if (v === undefined) {
      v = this.opts.isService(this.name(id), id);
      this.serviceCache.set(id, v);
    }
    return v;
  }

  category(id: number): string | null {
    if (id < 0 || !this.opts.tagOf) return null;
    let v = this.tagCache.get(id);
    if (v === undefined) {
      v = this.opts.tagOf(this.name(id), id);
      this.tagCache.set(id, v);
    }
    return v;
  }

  /** Change confidence of graph output `out` (UTXO, see TraceOptions.changeConfidence), or null. */
  changeOf(g: UtxoGraph, out: number): number | null {
    if (out < 0 || !this.opts.changeConfidence) return null;
    let v = this.changeCache.get(out);
    if (v === undefined) {
      const a = g.outputAddress[out]!;
      v = a < 0 ? null : this.opts.changeConfidence(g.txid(g.txOfOutput(out)), this.name(a));
      this.changeCache.set(out, v);
    }
    return v;
  }

  addressKey(id: number, orOutput: string): string {
    return id >= 0 ? `address:${this.name(id)}` : `output:${orOutput}`;
  }

  /** Adds or updates an address node (id < 0: an address-less output named `orOutput`). */
  address(id: number, orOutput: string, hop: number, tainted: number): string {
    const key = this.addressKey(id, orOutput);
    const n = this.nodes.get(key);
    if (n) {
      n.tainted += tainted;
      if (hop < n.hop) n.hop = hop;
    } else {
      this.nodes.set(key, {
        key,
        kind: id >= 0 ? 'address' : 'output',
        id: id >= 0 ? this.name(id) : orOutput,
        hop,
        tainted,
        service: this.isService(id),
        category: this.category(id),
      });
    }
    return key;
  }

  tx(txid: string, hop: number, tainted: number): string {
    const key = `tx:${txid}`;
    const n = this.nodes.get(key);
    if (n) {
      n.tainted += tainted;
      if (hop < n.hop) n.hop = hop;
    } else {
      this.nodes.set(key, { key, kind: 'tx', id: txid, hop, tainted, service: false, category: null });
    }
    return key;
  }

  edge(e: TraceEdge): boolean {
    if (this.edges.length >= this.maxEdges) {
      this.truncated = true;
      return false;
    }
    this.edges.push(e);
    return true;
  }

  expose(id: number, amount: number): void {
    const c = this.category(id);
    if (c !== null && amount > 0) this.exposure.set(c, (this.exposure.get(c) ?? 0) + amount);
  }

  finish(o: TraceOptions, maxHops: number, unit: string): TraceResult {
    const nodes = [...this.nodes.values()];
    return {
      model: o.model,
      direction: o.direction,
      maxHops,
      unit,
      sourceAmount: this.sourceAmount,
      nodes,
      edges: this.edges,
      exposure: Object.fromEntries([...this.exposure].sort((a, b) => a[0].localeCompare(b[0]))),
      stoppedAt: nodes.filter((n) => n.service && n.hop > 0).map((n) => n.key),
      truncated: this.truncated,
    };
  }
}

function badRequest(message: string, path = 'source'): AppError {
  return new AppError('BAD_REQUEST', message, [{ path, message }]);
}

/** Runs a trace. Unknown source addresses or transactions are a BAD_REQUEST. */
export function traceTaint(graph: TxGraph, source: TraceSource, options: TraceOptions): TraceResult {
  const maxHops = options.maxHops ?? 3;
  if (!Number.isInteger(maxHops) || maxHops < 1)
    throw badRequest('maxHops must be a positive integer', 'maxHops');
  const maxEdges = options.maxEdges ?? 250_000;
  const rb = new ResultBuilder((id) => graph.addressName(id), options, maxEdges);
  if (graph.kind === 'utxo') {
    if (options.direction === 'forward') utxoForward(graph, source, options, maxHops, rb);
    else utxoBackward(graph, source, options, maxHops, rb);
    return rb.finish(options, maxHops, graph.unit);
  }
  const token = resolveToken(graph, options.token);
  if (options.direction === 'forward') accountForward(graph, source, options, maxHops, token, rb);
  else accountBackward(graph, source, options, maxHops, token, rb);
  return rb.finish(options, maxHops, graph.tokens[token]!);
}

function sourceAddressIds(graph: TxGraph, source: TraceSource): number[] | null {
  if ('txid' in source) return null;
  const names = 'address' in source ? [source.address] : [...source.addresses];
  if (names.length === 0) throw badRequest('empty address set');
  const ids = names.map((n) => {
    const id = graph.addressIdOf(n);
    if (id === undefined) throw badRequest(`address ${n} is not in the graph`);
    return id;
  });
  return [...new Set(ids)];
}

// ---------------------------------------------------------------------------------------------------
// UTXO

/** Input values of transaction t, inferring unknown ones (see the file comment). */
function inputValues(g: UtxoGraph, t: number): Float64Array {
  const s = g.txInputStart[t]!;
  const e = g.txInputStart[t + 1]!;
  const v = new Float64Array(e - s);
  let known = 0;
  let unknown = 0;
  for (let i = s; i < e; i++) {
    const x = g.inputValue(i);
    if (Number.isNaN(x)) unknown++;
    else known += x;
    v[i - s] = x;
  }
  if (unknown > 0) {
    let outs = 0;
    for (let o = g.txOutputStart[t]!; o < g.txOutputStart[t + 1]!; o++) outs += g.outputValue[o]!;
    const each = Math.max(0, outs - known) / unknown;
    for (let k = 0; k < v.length; k++) if (Number.isNaN(v[k]!)) v[k] = each;
  }
  return v;
}

/** The edge, marked when it carries a change output followed as the spender's own (`c` not null). */
function viaChange(e: TraceEdge, c: number | null): TraceEdge {
  return c === null ? e : { ...e, viaChange: true, changeConfidence: c };
}

function timeOf(g: UtxoGraph, t: number): number | null {
  const x = g.txTime[t]!;
  return Number.isNaN(x) ? null : x;
}

function utxoForward(
  g: UtxoGraph,
  source: TraceSource,
  o: TraceOptions,
  maxHops: number,
  rb: ResultBuilder,
): void {
  const fifo = o.model === 'fifo';
  const taint = new Map<number, number>();
  const runs = new Map<number, Runs>();
  const seeded = new Set<number>();
  const txHop = new Map<number, number>();
  const heap = new IntHeap(false);

  const schedule = (out: number, hop: number): void => {
    const i = g.outputSpentBy[out]!;
    if (i < 0 || hop >= maxHops) return;
    const t = g.txOfInput(i);
    const h = txHop.get(t);
    if (h === undefined) {
      txHop.set(t, hop + 1);
      heap.push(t);
    } else if (hop + 1 < h) txHop.set(t, hop + 1);
  };
  const seed = (out: number): void => {
    const v = g.outputValue[out]!;
    taint.set(out, v);
    if (fifo) runs.set(out, [v]);
    seeded.add(out);
    rb.sourceAmount += v;
  };

  const ids = sourceAddressIds(g, source);
  if (ids) {
    for (const a of ids) {
      const outs = g.outputsOf(a);
      for (const out of outs) seed(out);
      rb.address(a, '', 0, sumValues(g, outs));
    }
  } else {
    const t = sourceTx(g, source);
    seedTxOutputs(g, t, rb, seed);
  }
  for (const out of seeded) schedule(out, 0);

  while (heap.size > 0 && !rb.truncated) {
    const t = heap.pop();
    const hop = txHop.get(t)!;
    const inS = g.txInputStart[t]!;
    const inE = g.txInputStart[t + 1]!;
    const outS = g.txOutputStart[t]!;
    const outE = g.txOutputStart[t + 1]!;
    const vin = inputValues(g, t);
    const txid = g.txid(t);
    const time = timeOf(g, t);
    const txKey = `tx:${txid}`;

    let sumIn = 0;
    let taintIn = 0;
    const tin = new Float64Array(inE - inS);
    for (let i = inS; i < inE; i++) {
      const prev = g.inputPrevOut[i]!;
      const x = prev >= 0 ? (taint.get(prev) ?? 0) : 0;
      tin[i - inS] = x;
      taintIn += x;
      sumIn += vin[i - inS]!;
    }
    if (taintIn <= 0) continue;
    rb.tx(txid, hop, taintIn);
    for (let i = inS; i < inE; i++) {
      const x = tin[i - inS]!;
      if (x <= 0) continue;
      const a = g.inputAddress[i]!;
      const from = rb.addressKey(a, outputName(g, g.inputPrevOut[i]!));
      const cc = rb.changeOf(g, g.inputPrevOut[i]!);
      rb.edge(viaChange({ from, to: txKey, txid, time, hop, value: vin[i - inS]!, tainted: x }, cc));
    }

    const nOut = outE - outS;
    const tout = new Float64Array(nOut);
    let pieces: Runs[] | null = null;
    if (o.model === 'poison') {
      for (let j = 0; j < nOut; j++) tout[j] = g.outputValue[outS + j]!;
    } else if (o.model === 'haircut') {
      const ratio = sumIn > 0 ? taintIn / sumIn : 0;
      for (let j = 0; j < nOut; j++) tout[j] = g.outputValue[outS + j]! * ratio;
    } else {
      const tape: Runs = [];
      for (let i = inS; i < inE; i++) {
        const prev = g.inputPrevOut[i]!;
        const r = prev >= 0 ? runs.get(prev) : undefined;
        if (r) for (const x of r) pushRun(tape, Math.abs(x), x > 0);
        else pushRun(tape, vin[i - inS]!, false);
      }
      pieces = cutTape(tape, g.outputValue.subarray(outS, outE));
      for (let j = 0; j < nOut; j++) tout[j] = taintedAmount(pieces[j]!);
    }

    for (let j = 0; j < nOut; j++) {
      const out = outS + j;
      const x = tout[j]!;
      if (x <= 0) continue;
      const a = g.outputAddress[out]!;
      const key = rb.address(a, `${txid}:${j}`, hop, x);
      const cc = rb.changeOf(g, out);
      const e = { from: txKey, to: key, txid, time, hop, value: g.outputValue[out]!, tainted: x };
      if (!rb.edge(viaChange(e, cc))) break;
      rb.expose(a, x);
      if (seeded.has(out)) continue; // back at the source: already fully tainted and followed
      taint.set(out, x);
      if (pieces) runs.set(out, pieces[j]!);
      // The spender's own change: its next spend is on the same hop.
      if (!rb.isService(a)) schedule(out, cc === null ? hop : hop - 1);
    }
  }
}

function sourceTx(g: UtxoGraph, source: TraceSource): number {
  const txid = (source as { txid: string }).txid;
  const t = g.txIndexOf(txid);
  if (t === undefined) throw badRequest(`transaction ${txid} is not in the graph`);
  return t;
}

/** A transaction as source: its node, its outputs' nodes and edges at hop 0. */
function seedTxOutputs(g: UtxoGraph, t: number, rb: ResultBuilder, seed: (out: number) => void): void {
  const txid = g.txid(t);
  const outS = g.txOutputStart[t]!;
  let total = 0;
  for (let out = outS; out < g.txOutputStart[t + 1]!; out++) total += g.outputValue[out]!;
  const txKey = rb.tx(txid, 0, total);
  for (let out = outS; out < g.txOutputStart[t + 1]!; out++) {
    seed(out);
    const v = g.outputValue[out]!;
    const key = rb.address(g.outputAddress[out]!, `${txid}:${out - outS}`, 0, v);
    rb.edge({ from: txKey, to: key, txid, time: timeOf(g, t), hop: 0, value: v, tainted: v });
  }
}

function sumValues(g: UtxoGraph, outs: Int32Array): number {
  let s = 0;
  for (const out of outs) s += g.outputValue[out]!;
  return s;
}

function outputName(g: UtxoGraph, out: number): string {
  if (out < 0) return 'external';
  const t = g.txOfOutput(out);
  return `${g.txid(t)}:${out - g.txOutputStart[t]!}`;
}

function utxoBackward(
  g: UtxoGraph,
  source: TraceSource,
  o: TraceOptions,
  maxHops: number,
  rb: ResultBuilder,
): void {
  const fifo = o.model === 'fifo';
  const attrib = new Map<number, number>();
  const runs = new Map<number, Runs>();
  const seeded = new Set<number>();
  const txHop = new Map<number, number>();
  const heap = new IntHeap(true);

  const schedule = (out: number, hop: number): void => {
    const t = g.txOfOutput(out);
    const h = txHop.get(t);
    if (h === undefined) {
      txHop.set(t, hop);
      heap.push(t);
    } else if (hop < h) txHop.set(t, hop);
  };
  const seed = (out: number): void => {
    const v = g.outputValue[out]!;
    attrib.set(out, v);
    if (fifo) runs.set(out, [v]);
    seeded.add(out);
    rb.sourceAmount += v;
  };

  const ids = sourceAddressIds(g, source);
  if (ids) {
    for (const a of ids) {
      const outs = g.outputsOf(a);
      for (const out of outs) seed(out);
      rb.address(a, '', 0, sumValues(g, outs));
    }
    for (const out of seeded) schedule(out, 1);
  } else {
    const t = sourceTx(g, source);
    // The transaction is hop 1 (its inputs are what we look for); its outputs are the target.
    const txid = g.txid(t);
    for (let out = g.txOutputStart[t]!; out < g.txOutputStart[t + 1]!; out++) {
      seed(out);
      rb.address(g.outputAddress[out]!, `${txid}:${out - g.txOutputStart[t]!}`, 0, g.outputValue[out]!);
    }
    schedule(g.txOutputStart[t]!, 1);
  }

  while (heap.size > 0 && !rb.truncated) {
    const t = heap.pop();
    const hop = txHop.get(t)!;
    const inS = g.txInputStart[t]!;
    const inE = g.txInputStart[t + 1]!;
    const outS = g.txOutputStart[t]!;
    const outE = g.txOutputStart[t + 1]!;
    const txid = g.txid(t);
    const time = timeOf(g, t);
    const txKey = `tx:${txid}`;
    let attributed = 0;
    for (let out = outS; out < outE; out++) attributed += attrib.get(out) ?? 0;
    if (attributed <= 0) continue;
    rb.tx(txid, hop, attributed);
    for (let out = outS; out < outE; out++) {
      const x = attrib.get(out) ?? 0;
      if (x <= 0) continue;
      const to = rb.addressKey(g.outputAddress[out]!, `${txid}:${out - outS}`);
      const e = { from: txKey, to, txid, time, hop, value: g.outputValue[out]!, tainted: x };
      rb.edge(viaChange(e, rb.changeOf(g, out)));
    }
    if (inE === inS) continue; // coinbase: newly minted, nothing further back

    const vin = inputValues(g, t);
    let sumIn = 0;
    for (const v of vin) sumIn += v;
    const nIn = inE - inS;
    const back = new Float64Array(nIn);
    let pieces: Runs[] | null = null;
    if (o.model === 'poison') {
      for (let k = 0; k < nIn; k++) back[k] = vin[k]!;
    } else if (o.model === 'haircut') {
      for (let k = 0; k < nIn; k++) back[k] = sumIn > 0 ? (attributed * vin[k]!) / sumIn : 0;
    } else {
      const tape: Runs = [];
      for (let out = outS; out < outE; out++) {
        const r = runs.get(out);
        if (r) for (const x of r) pushRun(tape, Math.abs(x), x > 0);
        else pushRun(tape, g.outputValue[out]!, false);
      }
      pieces = cutTape(tape, vin);
      for (let k = 0; k < nIn; k++) back[k] = taintedAmount(pieces[k]!);
    }

    for (let k = 0; k < nIn; k++) {
      const x = back[k]!;
      if (x <= 0) continue;
      const i = inS + k;
      const a = g.inputAddress[i]!;
      const prev = g.inputPrevOut[i]!;
      const key = rb.address(a, outputName(g, prev), hop, x);
      const cc = rb.changeOf(g, prev);
      const e = { from: key, to: txKey, txid, time, hop, value: vin[k]!, tainted: x };
      if (!rb.edge(viaChange(e, cc))) break;
      rb.expose(a, x);
      // Spending the spender's own change: the transaction that made it is on the same hop.
      if (rb.isService(a) || prev < 0 || (hop >= maxHops && cc === null) || seeded.has(prev)) continue;
      attrib.set(prev, x);
      if (pieces) runs.set(prev, pieces[k]!);
      schedule(prev, cc === null ? hop + 1 : hop);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Account

function resolveToken(g: AccountGraph, token: string | undefined): number {
  if (token === undefined) {
    if (g.tokens.length === 1) return 0;
    throw badRequest(`the graph holds ${g.tokens.length} tokens: say which to trace`, 'token');
  }
  const i = g.tokens.indexOf(token);
  if (i < 0) throw badRequest(`token ${token} is not in the graph`, 'token');
  return i;
}

function transfersOfTx(g: AccountGraph, source: TraceSource, token: number): number[] {
  const hash = (source as { txid: string }).txid;
  const ps = g.transfersOf(hash).filter((p) => g.token[p] === token);
  if (ps.length === 0)
    throw badRequest(`transaction ${hash} has no ${g.tokens[token]} transfer in the graph`);
  return ps;
}

/** Runs for `x` attributed out of a coin of `total`: attributed part first. */
function partRuns(x: number, total: number): Runs {
  const r: Runs = [];
  pushRun(r, Math.min(x, total), true);
  pushRun(r, total - Math.min(x, total), false);
  return r;
}

/** Chronological deposits and withdrawals of one address in one token. */
interface Timeline {
  ins: number[];
  outs: number[];
}

function timelineOf(g: AccountGraph, a: number, token: number, cache: Map<number, Timeline>): Timeline {
  let tl = cache.get(a);
  if (!tl) {
    tl = {
      ins: [...g.incoming(a)].filter((p) => g.token[p] === token),
      outs: [...g.outgoing(a)].filter((p) => g.token[p] === token),
    };
    cache.set(a, tl);
  }
  return tl;
}

/** Taint state of one account balance (forward). */
interface Pot {
  hop: number;
  inCursor: number;
  outCursor: number;
  scheduled: boolean;
  // poison
  dirty: boolean;
  // haircut
  balance: number;
  taint: number;
  // fifo: queue of runs, consumed from qHead
  queue: Runs;
  qHead: number;
  qLeft: number;
  qTaint: number;
}

function newPot(hop: number): Pot {
  return {
    hop,
    inCursor: 0,
    outCursor: 0,
    scheduled: false,
    dirty: false,
    balance: 0,
    taint: 0,
    queue: [],
    qHead: 0,
    qLeft: 0,
    qTaint: 0,
  };
}

function deposit(model: TaintModel, pot: Pot, amount: number, tainted: number, runs: Runs | undefined): void {
  if (model === 'poison') {
    if (tainted > 0) pot.dirty = true;
  } else if (model === 'haircut') {
    pot.balance += amount;
    pot.taint += tainted;
  } else {
    const r = runs ?? [-amount];
    for (const x of r) {
      pot.queue.push(x);
      if (x > 0) pot.qTaint += x;
    }
    if (pot.qHead === pot.queue.length - r.length) pot.qLeft = Math.abs(pot.queue[pot.qHead] ?? 0);
  }
}

/** Withdraws `amount`; returns its runs (fifo) or tainted amount wrapped as a one- or two-run list. */
function withdraw(model: TaintModel, pot: Pot, amount: number): Runs {
  if (model === 'poison') return pot.dirty ? [amount] : [-amount];
  if (model === 'haircut') {
    if (pot.balance <= 0) return [-amount];
    const covered = Math.min(amount, pot.balance);
    const t = (pot.taint * covered) / pot.balance;
    pot.taint = Math.max(0, pot.taint - t);
    pot.balance = Math.max(0, pot.balance - amount);
    if (pot.balance === 0) pot.taint = 0;
    const r: Runs = [];
    pushRun(r, t, true);
    pushRun(r, amount - t, false);
    return r;
  }
  const r: Runs = [];
  let need = amount;
  while (need > 0 && pot.qHead < pot.queue.length) {
    const x = pot.queue[pot.qHead]!;
    const take = Math.min(need, pot.qLeft);
    pushRun(r, take, x > 0);
    if (x > 0) pot.qTaint -= take;
    need -= take;
    pot.qLeft -= take;
    if (pot.qLeft <= 0) {
      pot.qHead++;
      pot.qLeft = pot.qHead < pot.queue.length ? Math.abs(pot.queue[pot.qHead]!) : 0;
    }
  }
  if (pot.qHead > 1024 && pot.qHead * 2 > pot.queue.length) {
    pot.queue = pot.queue.slice(pot.qHead);
    pot.qHead = 0;
  }
  pushRun(r, need, false); // shortfall: value of unknown origin, counted clean
  return r;
}

function potHasTaint(model: TaintModel, pot: Pot): boolean {
  if (model === 'poison') return pot.dirty;
  if (model === 'haircut') return pot.taint > 0;
  return pot.qTaint > 1e-9;
}

function accountForward(
  g: AccountGraph,
  source: TraceSource,
  o: TraceOptions,
  maxHops: number,
  token: number,
  rb: ResultBuilder,
): void {
  const model = o.model;
  const tainted = new Map<number, Runs>();
  const pots = new Map<number, Pot>();
  const timelines = new Map<number, Timeline>();
  const heap = new IntHeap(false);
  const ids = sourceAddressIds(g, source);
  const sourceSet = new Set(ids ?? []);

  /** Next withdrawal of `a` after position p, queued once. */
  const scheduleAfter = (a: number, pot: Pot, p: number): void => {
    if (pot.scheduled) return;
    const outs = timelineOf(g, a, token, timelines).outs;
    let k = pot.outCursor;
    while (k < outs.length && outs[k]! <= p) k++;
    if (k < outs.length) {
      heap.push(outs[k]!);
      pot.scheduled = true;
    }
  };

  const deliver = (p: number, hop: number, r: Runs): void => {
    const x = taintedAmount(r);
    const to = g.to[p]!;
    const fromKey = rb.addressKey(g.from[p]!, '');
    const toKey = rb.address(to, '', hop, x);
    if (
      !rb.edge({
        from: fromKey,
        to: toKey,
        txid: g.hash[p]!,
        time: g.time[p]!,
        hop,
        value: g.amount[p]!,
        tainted: x,
      })
    ) {
      return;
    }
    rb.expose(to, x);
    if (rb.isService(to) || sourceSet.has(to) || hop >= maxHops) return;
    let pot = pots.get(to);
    if (!pot) {
      pot = newPot(hop);
      pots.set(to, pot);
    } else if (hop < pot.hop) pot.hop = hop;
    scheduleAfter(to, pot, p);
  };

  const seeds: number[] = [];
  if (ids) {
    for (const a of ids) {
      const tl = timelineOf(g, a, token, timelines);
      let received = 0;
      for (const p of tl.ins) received += g.amount[p]!;
      rb.address(a, '', 0, received);
      for (const p of tl.outs) if (!sourceSet.has(g.to[p]!)) seeds.push(p);
    }
  } else {
    // The senders of the transaction's transfers are the source nodes.
    for (const p of transfersOfTx(g, source, token)) {
      seeds.push(p);
      rb.address(g.from[p]!, '', 0, g.amount[p]!);
    }
  }
  seeds.sort((a, b) => a - b);
  for (const p of seeds) {
    const r: Runs = [g.amount[p]!];
    tainted.set(p, r);
    rb.sourceAmount += g.amount[p]!;
  }
  for (const p of seeds) deliver(p, 1, tainted.get(p)!);

  while (heap.size > 0 && !rb.truncated) {
    const p = heap.pop();
    const a = g.from[p]!;
    const pot = pots.get(a)!;
    pot.scheduled = false;
    const tl = timelineOf(g, a, token, timelines);
    // Replay everything before p: deposits (tainted ones carry their runs) and withdrawals not traced.
    for (;;) {
      const nextIn = pot.inCursor < tl.ins.length ? tl.ins[pot.inCursor]! : Number.POSITIVE_INFINITY;
      const nextOut = pot.outCursor < tl.outs.length ? tl.outs[pot.outCursor]! : Number.POSITIVE_INFINITY;
      if (nextIn < p && nextIn < nextOut) {
        const r = tainted.get(nextIn);
        deposit(model, pot, g.amount[nextIn]!, r ? taintedAmount(r) : 0, r);
        pot.inCursor++;
      } else if (nextOut < p) {
        withdraw(model, pot, g.amount[nextOut]!);
        pot.outCursor++;
      } else break;
    }
    const r = withdraw(model, pot, g.amount[p]!);
    pot.outCursor++;
    const x = taintedAmount(r);
    if (x > 0) {
      tainted.set(p, r);
      deliver(p, pot.hop + 1, r);
    }
    if (potHasTaint(model, pot)) scheduleAfter(a, pot, p);
  }
}

function accountBackward(
  g: AccountGraph,
  source: TraceSource,
  o: TraceOptions,
  maxHops: number,
  token: number,
  rb: ResultBuilder,
): void {
  const model = o.model;
  const attrib = new Map<number, Runs>();
  const hopOf = new Map<number, number>();
  const timelines = new Map<number, Timeline>();
  const heap = new IntHeap(true);
  const ids = sourceAddressIds(g, source);
  const targetSet = new Set(ids ?? []);

  const attribute = (p: number, r: Runs, hop: number): void => {
    const prev = attrib.get(p);
    if (prev === undefined) {
      attrib.set(p, r);
      hopOf.set(p, hop);
      heap.push(p);
      return;
    }
    if (model === 'poison') attrib.set(p, [g.amount[p]!]);
    else if (model === 'haircut')
      attrib.set(p, partRuns(taintedAmount(prev) + taintedAmount(r), g.amount[p]!));
    else attrib.set(p, unionRuns(prev, r));
    if (hop < hopOf.get(p)!) hopOf.set(p, hop);
  };

  const seeds: number[] = [];
  if (ids) {
    for (const a of ids) {
      let received = 0;
      for (const p of timelineOf(g, a, token, timelines).ins) {
        if (targetSet.has(g.from[p]!)) continue;
        seeds.push(p);
        received += g.amount[p]!;
      }
      rb.address(a, '', 0, received);
    }
  } else {
    // The recipients of the transaction's transfers are the target nodes.
    for (const p of transfersOfTx(g, source, token)) {
      seeds.push(p);
      rb.address(g.to[p]!, '', 0, g.amount[p]!);
    }
  }
  for (const p of seeds) {
    rb.sourceAmount += g.amount[p]!;
    attribute(p, [g.amount[p]!], 1);
  }

  while (heap.size > 0 && !rb.truncated) {
    const p = heap.pop();
    const r = attrib.get(p)!;
    const hop = hopOf.get(p)!;
    const x = taintedAmount(r);
    const a = g.from[p]!;
    const fromKey = rb.address(a, '', hop, x);
    const toKey = rb.addressKey(g.to[p]!, '');
    if (
      !rb.edge({
        from: fromKey,
        to: toKey,
        txid: g.hash[p]!,
        time: g.time[p]!,
        hop,
        value: g.amount[p]!,
        tainted: x,
      })
    ) {
      break;
    }
    rb.expose(a, x);
    if (rb.isService(a) || targetSet.has(a) || hop >= maxHops) continue;
    const tl = timelineOf(g, a, token, timelines);
    for (const [q, share] of sourcesOf(model, g, tl, p, r)) attribute(q, share, hop + 1);
  }
}

/**
 * Which earlier deposits of the sender fund the attributed part `r` of withdrawal p, per model
 * (returns deposit position and its attributed runs, relative to the deposit).
 */
function sourcesOf(model: TaintModel, g: AccountGraph, tl: Timeline, p: number, r: Runs): [number, Runs][] {
  const out: [number, Runs][] = [];
  const ins = tl.ins;
  if (model === 'poison') {
    for (const q of ins) if (q < p) out.push([q, [g.amount[q]!]]);
    return out;
  }
  // Replay the address up to p.
  if (model === 'haircut') {
    // Lazy scaling: each deposit keeps raw = amount / M at deposit time; its share now is raw · M.
    const raw: [number, number][] = [];
    let m = 1;
    let balance = 0;
    let i = 0;
    let k = 0;
    const outs = tl.outs;
    for (;;) {
      const nextIn = i < ins.length ? ins[i]! : Number.POSITIVE_INFINITY;
      const nextOut = k < outs.length ? outs[k]! : Number.POSITIVE_INFINITY;
      if (nextIn < p && nextIn < nextOut) {
        raw.push([nextIn, g.amount[nextIn]! / m]);
        balance += g.amount[nextIn]!;
        i++;
      } else if (nextOut < p) {
        const w = g.amount[nextOut]!;
        if (balance > 0) {
          const keep = Math.max(0, balance - w) / balance;
          balance = Math.max(0, balance - w);
          if (balance === 0) {
            raw.length = 0;
            m = 1;
          } else {
            m *= keep;
            if (m < 1e-200) {
              for (const e of raw) e[1] *= m;
              m = 1;
            }
          }
        }
        k++;
      } else break;
    }
    const x = taintedAmount(r);
    const denom = Math.max(balance, g.amount[p]!);
    if (denom <= 0) return out;
    for (const [q, w] of raw) {
      const share = (x * w * m) / denom;
      if (share > 0) out.push([q, partRuns(share, g.amount[q]!)]);
    }
    return out;
  }
  // fifo: p takes tape [ptr, ptr + amount) of the deposits laid end to end, ptr = value already consumed.
  let cumIn = 0;
  let ptr = 0;
  let i = 0;
  let k = 0;
  const starts: number[] = [];
  const outs = tl.outs;
  for (;;) {
    const nextIn = i < ins.length ? ins[i]! : Number.POSITIVE_INFINITY;
    const nextOut = k < outs.length ? outs[k]! : Number.POSITIVE_INFINITY;
    if (nextIn < p && nextIn < nextOut) {
      starts.push(cumIn);
      cumIn += g.amount[nextIn]!;
      i++;
    } else if (nextOut < p) {
      ptr = Math.min(ptr + g.amount[nextOut]!, cumIn);
      k++;
    } else break;
  }
  for (const [s, e] of intervals(r)) {
    const lo = ptr + s;
    const hi = Math.min(ptr + e, cumIn);
    if (hi <= lo) continue;
    for (let d = 0; d < starts.length; d++) {
      const ds = starts[d]!;
      const de = ds + g.amount[ins[d]!]!;
      const a = Math.max(lo, ds);
      const b = Math.min(hi, de);
      if (b <= a) continue;
      const runs: Runs = [];
      pushRun(runs, a - ds, false);
      pushRun(runs, b - a, true);
      pushRun(runs, de - b, false);
      out.push([ins[d]!, runs]);
    }
  }
  return out;
}
