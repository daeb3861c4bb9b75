/**
 * Tracing on the database: loads a bounded subgraph around the source (hop by hop, each probe naming its
 * height partition), builds an in-memory UtxoGraph and runs traceTaint / findPaths on it. Tags visible to
 * the actor give the categories; tagged services stop the trace. Also the exposure score and the CSV and
 * GraphML renderings of a trace.
 */
import type { Actor } from '../access/index.ts';
import type { Db } from '../platform/database.ts';
import { AppError } from '../platform/errors.ts';
import * as store from './finance.store.ts';
import { findPaths, type PathSearchResult } from './path-search.ts';
import { type TaintModel, type TraceDirection, type TraceResult, traceTaint } from './taint.ts';
import { buildUtxoGraph, type UtxoGraph, type UtxoTransactionSpec } from './tx-graph.ts';

/** Categories of pooled wallets where following coins further means nothing: the trace stops there. */
export const SERVICE_CATEGORIES = new Set([
  'exchange',
  'mixer',
  'gambling',
  'darknet market',
  'darknet_market',
  'market',
  'payment_processor',
  'mining_pool',
  'miner',
  'wallet_service',
]);

/** Risk weight per category for the exposure score (1 = as bad as it gets). */
export const RISK_WEIGHT: Record<string, number> = {
  sanctioned: 1,
  'darknet market': 1,
  darknet_market: 1,
  ransomware: 1,
  terrorism: 1,
  scam: 0.9,
  abuse: 0.8,
  mixer: 0.8,
  gambling: 0.4,
  exchange: 0.05,
};

export interface LoadLimits {
  /** Most transactions loaded in all. */
  maxTxs: number;
  /**
   * Follow likely one-time change (active links of change-links.ts) without counting a hop: the
   * transaction spending (forward) or creating (backward) a change output is loaded at the same level.
   */
  includeChange?: boolean;
}

interface Loaded {
  graph: UtxoGraph;
  truncated: boolean;
  addressIds: number[];
  names: Map<number, string>;
  /** With includeChange: `${txid}|${address}` of the change outputs met → link confidence. */
  change: Map<string, number>;
}

/**
 * Loads the transactions a trace of `hops` hops can touch. Forward: the transactions paying the source,
 * then, hop by hop, the spenders of the outputs reached. Backward: the transactions paying the source,
 * then the transactions whose outputs their inputs spend. Source txid: that transaction first.
 */
export async function loadSubgraph(
  db: Db,
  source: { addressIds: number[] } | { txid: string },
  direction: TraceDirection,
  hops: number,
  limits: LoadLimits,
): Promise<Loaded> {
  const keyOf = (h: number, t: string) => `${h}:${t}`;
  const loaded = new Map<string, { height: number; txid: string }>();
  const txRows: store.LoadedTx[] = [];
  const inputs: Awaited<ReturnType<typeof store.loadTransactions>>['inputs'] = [];
  const outputs: Awaited<ReturnType<typeof store.loadTransactions>>['outputs'] = [];
  let truncated = false;
  const changeById = new Map<string, number>();

  let frontier: { height: number; txid: string }[];
  if ('txid' in source) {
    const h = (await store.txHeights(db, [source.txid])).get(source.txid);
    if (h === undefined) throw new AppError('NOT_FOUND', 'No such transaction');
    frontier = [{ height: h, txid: source.txid }];
  } else {
    frontier = await store.txsPaying(db, source.addressIds, limits.maxTxs + 1);
    if ('addressIds' in source && direction === 'forward') {
      // Also the spends of the source, in case its receipts are outside the loaded window.
      const spends = await store.txsSpending(db, source.addressIds, limits.maxTxs + 1);
      frontier = [...frontier, ...spends];
    }
  }
  for (let level = 0; level <= hops && frontier.length; level++) {
    const next = new Map<string, { height: number; txid: string }>();
    let work = frontier;
    // Steps through change outputs stay on this level (includeChange), so this may take several rounds.
    while (work.length) {
      // De-duplicated too: a transaction that both pays and spends the source is in the first
      // frontier twice (change back to the same address is common).
      const fresh = [
        ...new Map(
          work.filter((k) => !loaded.has(keyOf(k.height, k.txid))).map((k) => [keyOf(k.height, k.txid), k]),
        ).values(),
      ];
      const room = limits.maxTxs - loaded.size;
      if (fresh.length > room) truncated = true;
      const batch = fresh.slice(0, Math.max(0, room));
      for (const k of batch) loaded.set(keyOf(k.height, k.txid), k);
      if (!batch.length) break;
      const part = await store.loadTransactions(db, batch);
      txRows.push(...part.txs);
      inputs.push(...part.inputs);
      outputs.push(...part.outputs);
      const same = new Map<string, { height: number; txid: string }>();
      let isChange = (_txid: string, _address: number | null) => false;
      if (limits.includeChange) {
        const txids =
          direction === 'forward' ? part.txs.map((t) => t.txid) : part.inputs.map((i) => i.prev_txid);
        const found = await store.activeChangeOutputs(db, txids);
        for (const [k, c] of found) changeById.set(k, c);
        isChange = (txid, address) => address !== null && found.has(`${txid}|${address}`);
      }
      if (direction === 'forward') {
        for (const o of part.outputs)
          if (o.spent_height !== null && o.spent_txid !== null)
            (isChange(o.txid, o.address_id) ? same : next).set(keyOf(o.spent_height, o.spent_txid), {
              height: o.spent_height,
              txid: o.spent_txid,
            });
      } else {
        for (const i of part.inputs)
          if (i.prev_height !== null)
            (isChange(i.prev_txid, i.address_id) ? same : next).set(keyOf(i.prev_height, i.prev_txid), {
              height: i.prev_height,
              txid: i.prev_txid,
            });
      }
      work = [...same.values()];
    }
    frontier = [...next.values()];
  }

  const ids = new Set<number>();
  for (const o of outputs) if (o.address_id !== null) ids.add(o.address_id);
  for (const i of inputs) if (i.address_id !== null) ids.add(i.address_id);
  if ('addressIds' in source) for (const a of source.addressIds) ids.add(a);
  const names = await store.addressNames(db, [...ids]);
  const change = new Map<string, number>();
  for (const [k, c] of changeById) {
    const [txid, id] = k.split('|');
    const name = names.get(Number(id));
    if (name !== undefined) change.set(`${txid}|${name}`, c);
  }

  txRows.sort((a, b) => a.height - b.height || a.tx_index - b.tx_index);
  const insBy = new Map<string, typeof inputs>();
  for (const i of inputs) {
    const k = keyOf(i.height, i.txid);
    const l = insBy.get(k);
    if (l) l.push(i);
    else insBy.set(k, [i]);
  }
  const outsBy = new Map<string, typeof outputs>();
  for (const o of outputs) {
    const k = keyOf(o.height, o.txid);
    const l = outsBy.get(k);
    if (l) l.push(o);
    else outsBy.set(k, [o]);
  }
  const specs: UtxoTransactionSpec[] = txRows.map((t) => {
    const k = keyOf(t.height, t.txid);
    const ins = (insBy.get(k) ?? []).filter((i) => !i.coinbase).sort((a, b) => a.vin - b.vin);
    const outs = (outsBy.get(k) ?? []).sort((a, b) => a.vout - b.vout);
    return {
      txid: t.txid,
      time: Number(t.time),
      inputs: ins.map((i) => ({
        txid: i.prev_txid,
        vout: Number(i.prev_vout),
        address: i.address_id === null ? null : (names.get(i.address_id) ?? null),
        value: i.value,
      })),
      outputs: outs.map((o) => ({
        address: o.address_id === null ? null : (names.get(o.address_id) ?? null),
        value: Number(o.value),
      })),
    };
  });
  return { graph: buildUtxoGraph(specs), truncated, addressIds: [...ids], names, change };
}

/** Category per address name from the tags visible to the actor (address, cluster and cluster-definer tags). */
export async function categoriesFor(
  db: Db,
  actor: Actor,
  addressIds: readonly number[],
  names: Map<number, string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!addressIds.length) return out;
  const tags = await store.tagsFor(db, actor, addressIds);
  const clusters = await store.clustersOf(db, addressIds);
  const byAddress = new Map<number, string>();
  const byCluster = new Map<number, string>();
  for (const t of tags) {
    const category = t.category ?? t.abuse ?? 'tagged';
    if (t.cluster_id !== null || t.is_cluster_definer) byCluster.set(t.effective_cluster, category);
    if (t.address_id !== null) byAddress.set(t.address_id, category);
  }
  for (const a of addressIds) {
    const c = byAddress.get(a) ?? byCluster.get(clusters.get(a) ?? -1);
    const n = names.get(a);
    if (c && n) out.set(n, c);
  }
  return out;
}

export interface TraceRequest {
  source: { addressIds: number[] } | { txid: string };
  direction: TraceDirection;
  model: TaintModel;
  hops: number;
  maxTxs?: number;
  /** Continue through likely one-time change without counting a hop (default false). */
  includeChange?: boolean;
}

export async function trace(db: Db, actor: Actor, req: TraceRequest): Promise<TraceResult> {
  const loaded = await loadSubgraph(db, req.source, req.direction, req.hops, {
    maxTxs: req.maxTxs ?? 5000,
    includeChange: req.includeChange ?? false,
  });
  const categories = await categoriesFor(db, actor, loaded.addressIds, loaded.names);
  const addresses =
    'txid' in req.source
      ? null
      : req.source.addressIds
          .map((a) => loaded.names.get(a))
          .filter((n): n is string => n !== undefined && loaded.graph.addressIdOf(n) !== undefined);
  const src = addresses === null ? { txid: (req.source as { txid: string }).txid } : { addresses };
  if (addresses !== null && addresses.length === 0) {
    return {
      model: req.model,
      direction: req.direction,
      maxHops: req.hops,
      unit: 'sat',
      sourceAmount: 0,
      nodes: [],
      edges: [],
      exposure: {},
      stoppedAt: [],
      truncated: loaded.truncated,
    };
  }
  const result = traceTaint(loaded.graph, src, {
    model: req.model,
    direction: req.direction,
    maxHops: req.hops,
    isService: (name) => SERVICE_CATEGORIES.has(categories.get(name) ?? ''),
    tagOf: (name) => categories.get(name) ?? null,
    ...(req.includeChange
      ? {
          changeConfidence: (txid: string, address: string) =>
            loaded.change.get(`${txid}|${address}`) ?? null,
        }
      : {}),
  });
  return { ...result, truncated: result.truncated || loaded.truncated };
}

/**
 * Exposure score 0–10: weighted share of the address's flows reaching (or coming from) risky categories.
 * `runTrace` gives the three-hop haircut traces (default: over the Bitcoin ledger).
 */
export async function exposureScore(
  db: Db,
  actor: Actor,
  addressIds: number[],
  runTrace: (direction: TraceDirection) => Promise<TraceResult> = (direction) =>
    trace(db, actor, { source: { addressIds }, direction, model: 'haircut', hops: 3 }),
): Promise<{
  score: number;
  reasons: string[];
  exposure: { forward: Record<string, number>; backward: Record<string, number> };
}> {
  const names = await store.addressNames(db, addressIds);
  const own = await categoriesFor(db, actor, addressIds, names);
  const reasons: string[] = [];
  let score = 0;
  for (const [name, c] of own) {
    const w = RISK_WEIGHT[c] ?? 0;
    if (w > 0) reasons.push(`${name} is tagged ${c}`);
    score = Math.max(score, 10 * w);
  }
  const fwd = await runTrace('forward');
  const bwd = await runTrace('backward');
  const part = (r: TraceResult, label: string): number => {
    if (r.sourceAmount <= 0) return 0;
    let s = 0;
    for (const [c, v] of Object.entries(r.exposure)) {
      const share = v / r.sourceAmount;
      const w = RISK_WEIGHT[c] ?? 0;
      if (w > 0 && share > 0)
        reasons.push(`${(share * 100).toFixed(1)}% of the value ${label} ${c} within 3 hops`);
      s += w * share;
    }
    return s;
  };
  const indirect = 10 * Math.min(1, part(fwd, 'sent reached') + part(bwd, 'received came from'));
  score = Math.round(Math.min(10, Math.max(score, indirect)) * 10) / 10;
  if (!reasons.length) reasons.push('no exposure to tagged risky categories within 3 hops');
  return { score, reasons, exposure: { forward: fwd.exposure, backward: bwd.exposure } };
}

export async function pathsBetween(
  db: Db,
  from: number[],
  to: number[],
  hops: number,
): Promise<PathSearchResult & { truncated: boolean }> {
  const loaded = await loadSubgraph(db, { addressIds: from }, 'forward', hops, { maxTxs: 5000 });
  const name = (ids: number[]) =>
    ids
      .map((a) => loaded.names.get(a))
      .filter((n): n is string => n !== undefined && loaded.graph.addressIdOf(n) !== undefined);
  const extra = await store.addressNames(db, to);
  const fromNames = name(from);
  const toNames = to
    .map((a) => extra.get(a))
    .filter((n): n is string => n !== undefined && loaded.graph.addressIdOf(n) !== undefined);
  if (!fromNames.length || !toNames.length) return { hops: null, paths: [], truncated: loaded.truncated };
  const r = findPaths(loaded.graph, fromNames, toNames, { maxHops: hops });
  return { ...r, truncated: r.truncated || loaded.truncated };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function traceToCsv(r: TraceResult): string {
  const lines = ['from,to,txid,time,hop,value,tainted'];
  for (const e of r.edges)
    lines.push([e.from, e.to, e.txid, e.time, e.hop, e.value, e.tainted].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

export function traceToGraphml(r: TraceResult): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '<key id="kind" for="node" attr.name="kind" attr.type="string"/>',
    '<key id="hop" for="node" attr.name="hop" attr.type="int"/>',
    '<key id="ntainted" for="node" attr.name="tainted" attr.type="double"/>',
    '<key id="category" for="node" attr.name="category" attr.type="string"/>',
    '<key id="txid" for="edge" attr.name="txid" attr.type="string"/>',
    '<key id="time" for="edge" attr.name="time" attr.type="long"/>',
    '<key id="value" for="edge" attr.name="value" attr.type="double"/>',
    '<key id="etainted" for="edge" attr.name="tainted" attr.type="double"/>',
    // Only on edges followed through likely one-time change (includeChange): the link's confidence.
    '<key id="change" for="edge" attr.name="changeConfidence" attr.type="double"/>',
    `<graph id="trace" edgedefault="directed">`,
  ];
  for (const n of r.nodes) {
    out.push(
      `<node id="${esc(n.key)}"><data key="kind">${n.kind}</data><data key="hop">${n.hop}</data><data key="ntainted">${n.tainted}</data>${n.category ? `<data key="category">${esc(n.category)}</data>` : ''}</node>`,
    );
  }
  r.edges.forEach((e, i) => {
    out.push(
      `<edge id="e${i}" source="${esc(e.from)}" target="${esc(e.to)}"><data key="txid">${esc(e.txid)}</data>${e.time === null ? '' : `<data key="time">${e.time}</data>`}<data key="value">${e.value}</data><data key="etainted">${e.tainted}</data>${e.viaChange ? `<data key="change">${e.changeConfidence}</data>` : ''}</edge>`,
    );
  });
  out.push('</graph>', '</graphml>');
  return `${out.join('\n')}\n`;
}
