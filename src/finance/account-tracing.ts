/**
 * Tracing over stored account-chain transfers (Ethereum, TRON), one token at a time.
 *
 * The account taint models (taint.ts) replay each balance in time order: a withdrawal's share of taint
 * depends on every deposit before it, tainted or not. So the loader takes, hop by hop, ALL transfers of
 * the token sent or received by each address the trace may pass through (not only the tainted ones):
 * level 0 is the source, level k the counterparties reached in k transfers. Addresses tagged as services
 * (for the actor) are not expanded: the trace stops there, as on the UTXO side. The last level's
 * addresses are only recipients (forward) or senders (backward) and need no history of their own.
 */
import type { Actor } from '../access/index.ts';
import type { Db } from '../platform/database.ts';
import { AppError } from '../platform/errors.ts';
import * as store from './finance.store.ts';
import { type TaintModel, type TraceDirection, type TraceResult, traceTaint } from './taint.ts';
import { categoriesFor, SERVICE_CATEGORIES } from './tracing.ts';
import { buildAccountGraph } from './tx-graph.ts';

export interface AccountTraceRequest {
  addressIds: number[];
  direction: TraceDirection;
  model: TaintModel;
  hops: number;
  /** The token to follow; default: the one the source moved most often. */
  token?: string | undefined;
  /** Most transfers loaded in all (default 20 000); the result says `truncated` when reached. */
  maxTransfers?: number;
}

/** The token a trace follows when none is named: the source's most frequent (ties: by name). */
export async function defaultToken(db: Db, addressIds: readonly number[]): Promise<string | null> {
  return (await store.tokensOf(db, addressIds))[0]?.token ?? null;
}

export async function traceAccount(db: Db, actor: Actor, req: AccountTraceRequest): Promise<TraceResult> {
  const token = req.token ?? (await defaultToken(db, req.addressIds));
  const empty: TraceResult = {
    model: req.model,
    direction: req.direction,
    maxHops: req.hops,
    unit: token ?? '',
    sourceAmount: 0,
    nodes: [],
    edges: [],
    exposure: {},
    stoppedAt: [],
    truncated: false,
  };
  if (token === null) return empty;
  const maxTransfers = req.maxTransfers ?? 20_000;

  const rows = new Map<string, store.TransferEdgeRow>();
  const names = new Map<number, string>();
  const categories = new Map<string, string>();
  const expanded = new Set<number>();
  let truncated = false;
  let frontier = [...new Set(req.addressIds)];
  for (let level = 0; level < req.hops && frontier.length; level++) {
    for (const a of frontier) expanded.add(a);
    const room = maxTransfers - rows.size;
    const got = await store.transfersTouching(db, frontier, token, room + 1);
    if (got.length > room) truncated = true;
    const inFrontier = new Set(frontier);
    const next = new Set<number>();
    for (const r of got.slice(0, Math.max(0, room))) {
      rows.set(`${r.chain}|${r.block}|${r.hash}|${r.log_index}`, r);
      if (req.direction === 'forward' && inFrontier.has(r.from_id)) next.add(r.to_id);
      if (req.direction === 'backward' && inFrontier.has(r.to_id)) next.add(r.from_id);
    }
    const fresh = [...next].filter((a) => !expanded.has(a));
    await nameAndTag(db, actor, fresh, names, categories);
    // Services end the trace: never load their (large, pooled) histories.
    frontier = fresh.filter((a) => !SERVICE_CATEGORIES.has(categories.get(names.get(a)!) ?? ''));
  }
  const all = new Set<number>(req.addressIds);
  for (const r of rows.values()) {
    all.add(r.from_id);
    all.add(r.to_id);
  }
  await nameAndTag(
    db,
    actor,
    [...all].filter((a) => !names.has(a)),
    names,
    categories,
  );
  if (!rows.size) return { ...empty, truncated };

  const graph = buildAccountGraph(
    [...rows.values()].map((r) => ({
      from: names.get(r.from_id)!,
      to: names.get(r.to_id)!,
      token: r.token,
      amount: r.amount,
      hash: r.hash,
      time: Math.floor(r.time.getTime() / 1000),
      block: r.block,
      index: r.log_index,
    })),
  );
  const sources = req.addressIds
    .map((a) => names.get(a))
    .filter((n): n is string => n !== undefined && graph.addressIdOf(n) !== undefined);
  if (!sources.length) return { ...empty, truncated };
  const result = traceTaint(
    graph,
    { addresses: sources },
    {
      model: req.model,
      direction: req.direction,
      maxHops: req.hops,
      token,
      isService: (name) => SERVICE_CATEGORIES.has(categories.get(name) ?? ''),
      tagOf: (name) => categories.get(name) ?? null,
    },
  );
  return { ...result, truncated: result.truncated || truncated };
}

async function nameAndTag(
  db: Db,
  actor: Actor,
  ids: readonly number[],
  names: Map<number, string>,
  categories: Map<string, string>,
): Promise<void> {
  if (!ids.length) return;
  const got = await store.addressNames(db, ids);
  for (const [id, n] of got) names.set(id, n);
  for (const [n, c] of await categoriesFor(db, actor, ids, got)) categories.set(n, c);
  for (const id of ids) if (!names.has(id)) throw new AppError('INTERNAL', `address ${id} has no name`);
}
