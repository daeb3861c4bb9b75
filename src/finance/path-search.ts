/**
 * Shortest money-flow paths between two sets of addresses (e.g. two clusters), by breadth-first search
 * with a hop bound, over the address-level view of a TxGraph:
 * - UTXO: a → b when a transaction spends from a and pays b (a ≠ b);
 * - account: a → b for each transfer of the chosen token.
 *
 * Paths respect time by default: each step happens strictly after the previous one (UTXO: a later
 * transaction in chain order; account: a later transfer in the graph's chronological order), so a path is
 * a possible route for the money, not merely a route in the drawing. With time, "visited" is not enough
 * (a node reached later may still have onward edges it could not use when reached earlier), so the
 * search keeps, per BFS level, each node's earliest arrival, and admits a node at a level only if it
 * arrives earlier than at every lower level. All shortest paths are then enumerated backwards through
 * the levels, up to `maxPaths`.
 */
import { AppError } from '../platform/errors.ts';
import type { AccountGraph, TxGraph, UtxoGraph } from './tx-graph.ts';

export interface PathStep {
  from: string;
  to: string;
  /** Transaction (UTXO txid or account transaction hash) that moved the value. */
  txid: string;
  time: number | null;
  /** Value paid to `to` by this step. */
  value: number;
}

export interface PathSearchOptions {
  /** Default 6. */
  maxHops?: number;
  /** Default 20. */
  maxPaths?: number;
  /** Default true. */
  respectTime?: boolean;
  /** Account graphs: token to follow (default: the only one). */
  token?: string;
  /** Addresses not to pass through (typically services: paths through an exchange mean nothing). */
  avoid?: (address: string, addressId: number) => boolean;
  /** Cap on edges examined; the result says `truncated` when hit. Default 2 000 000. */
  maxEdgesExamined?: number;
}

export interface PathSearchResult {
  /** Length of the shortest paths, or null if none within maxHops. */
  hops: number | null;
  paths: PathStep[][];
  truncated: boolean;
}

/** An address-level edge: `order` is the chronological key (tx index or transfer position). */
interface Edge {
  other: number;
  order: number;
  ref: number;
}

interface View {
  name(id: number): string;
  id(name: string): number | undefined;
  out(a: number, visit: (e: Edge) => void): void;
  into(b: number, visit: (e: Edge) => void): void;
  step(from: number, to: number, e: Edge): PathStep;
}

function utxoView(g: UtxoGraph): View {
  return {
    name: (id) => g.addressName(id),
    id: (n) => g.addressIdOf(n),
    out(a, visit) {
      let lastTx = -1;
      for (const i of g.inputsOf(a)) {
        const t = g.txOfInput(i);
        if (t === lastTx) continue; // several inputs of `a` in one transaction: one set of edges
        lastTx = t;
        for (let o = g.txOutputStart[t]!; o < g.txOutputStart[t + 1]!; o++) {
          const b = g.outputAddress[o]!;
          if (b >= 0 && b !== a) visit({ other: b, order: t, ref: o });
        }
      }
    },
    into(b, visit) {
      for (const o of g.outputsOf(b)) {
        const t = g.txOfOutput(o);
        const seen = new Set<number>();
        for (let i = g.txInputStart[t]!; i < g.txInputStart[t + 1]!; i++) {
          const a = g.inputAddress[i]!;
          if (a < 0 || a === b || seen.has(a)) continue;
          seen.add(a);
          visit({ other: a, order: t, ref: o });
        }
      }
    },
    step(from, to, e) {
      const time = g.txTime[e.order]!;
      return {
        from: g.addressName(from),
        to: g.addressName(to),
        txid: g.txid(e.order),
        time: Number.isNaN(time) ? null : time,
        value: g.outputValue[e.ref]!,
      };
    },
  };
}

function accountView(g: AccountGraph, token: number): View {
  return {
    name: (id) => g.addressName(id),
    id: (n) => g.addressIdOf(n),
    out(a, visit) {
      for (const p of g.outgoing(a)) {
        if (g.token[p] === token && g.to[p] !== a) visit({ other: g.to[p]!, order: p, ref: p });
      }
    },
    into(b, visit) {
      for (const p of g.incoming(b)) {
        if (g.token[p] === token && g.from[p] !== b) visit({ other: g.from[p]!, order: p, ref: p });
      }
    },
    step(from, to, e) {
      return {
        from: g.addressName(from),
        to: g.addressName(to),
        txid: g.hash[e.ref]!,
        time: g.time[e.ref]!,
        value: g.amount[e.ref]!,
      };
    },
  };
}

function badRequest(path: string, message: string): AppError {
  return new AppError('BAD_REQUEST', message, [{ path, message }]);
}

/** Shortest paths from any address of `from` to any address of `to`. */
export function findPaths(
  graph: TxGraph,
  from: readonly string[],
  to: readonly string[],
  options: PathSearchOptions = {},
): PathSearchResult {
  const maxHops = options.maxHops ?? 6;
  const maxPaths = options.maxPaths ?? 20;
  const respectTime = options.respectTime ?? true;
  const budget = options.maxEdgesExamined ?? 2_000_000;
  if (!Number.isInteger(maxHops) || maxHops < 1)
    throw badRequest('maxHops', 'maxHops must be a positive integer');
  let view: View;
  if (graph.kind === 'utxo') view = utxoView(graph);
  else {
    let token = 0;
    if (options.token !== undefined) {
      token = graph.tokens.indexOf(options.token);
      if (token < 0) throw badRequest('token', `token ${options.token} is not in the graph`);
    } else if (graph.tokens.length > 1) {
      throw badRequest('token', `the graph holds ${graph.tokens.length} tokens: say which to follow`);
    }
    view = accountView(graph, token);
  }
  const resolve = (names: readonly string[], path: string): Set<number> => {
    const ids = new Set<number>();
    for (const n of names) {
      const id = view.id(n);
      if (id !== undefined) ids.add(id);
    }
    if (names.length === 0) throw badRequest(path, 'empty address set');
    return ids;
  };
  const sources = resolve(from, 'from');
  const targets = resolve(to, 'to');
  const avoidCache = new Map<number, boolean>();
  const avoided = (id: number): boolean => {
    if (!options.avoid) return false;
    let v = avoidCache.get(id);
    if (v === undefined) {
      v = options.avoid(view.name(id), id);
      avoidCache.set(id, v);
    }
    return v;
  };

  // Forward: levels of earliest arrival.
  const levels: Map<number, number>[] = [new Map([...sources].map((s) => [s, -1]))];
  const best = new Map<number, number>();
  for (const s of sources) best.set(s, -1);
  let examined = 0;
  let truncated = false;
  let found = 0;
  for (let k = 1; k <= maxHops && found === 0; k++) {
    const prev = levels[k - 1]!;
    const next = new Map<number, number>();
    for (const [u, arrival] of prev) {
      if (k > 1 && (avoided(u) || targets.has(u))) continue;
      view.out(u, (e) => {
        examined++;
        if (respectTime && e.order <= arrival) return;
        const v = e.other;
        if (sources.has(v)) return;
        const key = respectTime ? e.order : 0;
        const b = best.get(v);
        if (b !== undefined && b <= key) return;
        const cur = next.get(v);
        if (cur === undefined || key < cur) next.set(v, key);
      });
      if (examined > budget) {
        truncated = true;
        break;
      }
    }
    for (const [v, key] of next) best.set(v, key);
    levels.push(next);
    for (const v of next.keys()) if (targets.has(v)) found = k;
    if (next.size === 0 || truncated) break;
  }
  if (found === 0) return { hops: null, paths: [], truncated };

  // Backward enumeration through the levels.
  const paths: PathStep[][] = [];
  const suffix: PathStep[] = [];
  const walk = (v: number, level: number, bound: number): void => {
    if (paths.length >= maxPaths) {
      truncated = true;
      return;
    }
    if (level === 0) {
      paths.push([...suffix].reverse());
      return;
    }
    const below = levels[level - 1]!;
    view.into(v, (e) => {
      if (paths.length >= maxPaths) {
        truncated = true; // candidates left unexplored
        return;
      }
      const u = e.other;
      const arrival = below.get(u);
      if (arrival === undefined) return;
      if (level > 1 && (avoided(u) || targets.has(u))) return;
      if (respectTime && (e.order <= arrival || e.order >= bound)) return;
      suffix.push(view.step(u, v, e));
      walk(u, level - 1, e.order);
      suffix.pop();
    });
  };
  const last = levels[found]!;
  for (const t of targets) {
    if (last.has(t)) walk(t, found, Number.POSITIVE_INFINITY);
    if (paths.length >= maxPaths) break;
  }
  return { hops: found, paths, truncated };
}
