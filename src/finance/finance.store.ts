/**
 * All SQL of the finance module. Bulk writes go through `unnest` of typed arrays (one statement per
 * column set, no bind-parameter limit) so a block of thousands of inputs costs a few round trips.
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { type Actor, visibleTo } from '../access/index.ts';
import type { Db } from '../platform/database.ts';

export type Chain = 'btc' | 'eth' | 'tron';

export type FinanceTables = {
  addresses: { id: number; chain: Chain; address: string };
  address_clusters: { address_id: number; cluster_id: number };
  finance_tags: {
    id: string;
    address_id: number | null;
    cluster_id: number | null;
    label: string;
    category: string | null;
    abuse: string | null;
    source: string | null;
    confidence: string | null;
    is_cluster_definer: boolean;
    context: string | null;
    lastmod: string | null;
    tagpack: string | null;
    owner_org_id: string;
    author_id: string;
    tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
    handling_code: 'H0' | 'H1' | 'H2' | 'H3' | null;
    created_at: Date;
  };
  finance_watches: {
    id: string;
    org_id: string;
    created_by: string;
    address_id: number | null;
    cluster_id: number | null;
    note: string;
    created_at: Date;
    share_tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED' | null;
    share_community_id: string | null;
  };
  finance_alerts: {
    id: string;
    org_id: string;
    watch_id: string;
    direction: 'inbound' | 'outbound';
    chain: string;
    address_id: number;
    txid: string;
    height: number | null;
    amount: string;
    created_at: Date;
    item_id: string | null;
  };
  finance_payments: {
    id: string;
    org_id: string;
    batch_id: string;
    row_number: number;
    date: string;
    amount: string;
    currency: string;
    payer_name: string;
    payer_name_folded: string;
    payer_iban: string;
    payee_name: string;
    payee_name_folded: string;
    payee_iban: string;
    reference: string;
    imported_by: string;
    imported_at: Date;
  };
};

export function t(db: Db): Kysely<FinanceTables> {
  return db.withTables<FinanceTables>();
}

/** Serialises ledger writers (imports), so address ids stay dense and cluster updates never interleave. */
export async function lockLedger(tx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(5000451)`.execute(tx);
}

/** Ids of the given addresses, allocating dense new ids (in the order given) for unknown ones. */
export async function internAddresses(
  tx: Db,
  list: readonly { chain: Chain; address: string }[],
): Promise<{ ids: Map<string, number>; created: number }> {
  const ids = new Map<string, number>();
  if (!list.length) return { ids, created: 0 };
  const key = (c: string, a: string) => `${c}:${a}`;
  const unique = new Map<string, { chain: Chain; address: string }>();
  for (const x of list) unique.set(key(x.chain, x.address), x);
  const all = [...unique.values()];
  const found = await sql<{ id: number; chain: string; address: string }>`
    select a.id, a.chain, a.address from unnest(${all.map((x) => x.chain)}::text[], ${all.map((x) => x.address)}::text[]) q(chain, address)
    join addresses a on a.chain = q.chain and a.address = q.address`.execute(tx);
  for (const r of found.rows) ids.set(key(r.chain, r.address), r.id);
  const fresh = all.filter((x) => !ids.has(key(x.chain, x.address)));
  if (!fresh.length) return { ids, created: 0 };
  const next = await sql<{ n: number }>`select coalesce(max(id) + 1, 0)::int as n from addresses`.execute(tx);
  let id = next.rows[0]?.n ?? 0;
  const newIds: number[] = [];
  for (const x of fresh) {
    ids.set(key(x.chain, x.address), id);
    newIds.push(id++);
  }
  await sql`insert into addresses (id, chain, address)
    select * from unnest(${newIds}::int[], ${fresh.map((x) => x.chain)}::text[], ${fresh.map((x) => x.address)}::text[])`.execute(
    tx,
  );
  await sql`insert into address_clusters (address_id, cluster_id) select x, x from unnest(${newIds}::int[]) x`.execute(
    tx,
  );
  return { ids, created: fresh.length };
}

export async function findAddress(db: Db, chain: Chain, address: string) {
  return t(db)
    .selectFrom('addresses as a')
    .innerJoin('address_clusters as c', 'c.address_id', 'a.id')
    .select(['a.id', 'a.chain', 'a.address', 'c.cluster_id'])
    .where('a.chain', '=', chain)
    .where('a.address', '=', address)
    .executeTakeFirst();
}

export async function addressNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (!ids.length) return out;
  const res = await sql<{ id: number; address: string }>`
    select id, address from addresses where id = any(${[...ids]}::int[])`.execute(db);
  for (const r of res.rows) out.set(r.id, r.address);
  return out;
}

export async function clustersOf(db: Db, ids: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!ids.length) return out;
  const res = await sql<{ address_id: number; cluster_id: number }>`
    select address_id, cluster_id from address_clusters where address_id = any(${[...ids]}::int[])`.execute(
    db,
  );
  for (const r of res.rows) out.set(r.address_id, r.cluster_id);
  return out;
}

export async function clusterSize(db: Db, clusterId: number): Promise<number> {
  const res = await sql<{ n: number }>`
    select count(*)::int as n from address_clusters where cluster_id = ${clusterId}`.execute(db);
  return res.rows[0]?.n ?? 0;
}

export async function clusterMembers(db: Db, clusterId: number, limit: number): Promise<number[]> {
  const res = await sql<{ address_id: number }>`
    select address_id from address_clusters where cluster_id = ${clusterId} order by address_id limit ${limit}`.execute(
    db,
  );
  return res.rows.map((r) => r.address_id);
}

/** The whole partition (address id → cluster id), for tests and exports. */
export async function allClusters(db: Db): Promise<Map<number, number>> {
  const res = await sql<{ address_id: number; cluster_id: number }>`
    select address_id, cluster_id from address_clusters order by address_id`.execute(db);
  return new Map(res.rows.map((r) => [r.address_id, r.cluster_id]));
}

/**
 * Applies cluster renames (old cluster id → surviving id) to the partition and to everything keyed by a
 * cluster (tags, watches), and logs the merges.
 */
export async function applyMerges(
  tx: Db,
  renames: Map<number, number>,
  merges: readonly { survivor: number; absorbed: number; height: number | null; txid: string | null }[],
  at: Date,
): Promise<void> {
  if (renames.size) {
    const from = [...renames.keys()];
    const to = [...renames.values()];
    await sql`update address_clusters ac set cluster_id = q.n
      from unnest(${from}::int[], ${to}::int[]) q(o, n) where ac.cluster_id = q.o`.execute(tx);
    await sql`update finance_tags ft set cluster_id = q.n
      from unnest(${from}::int[], ${to}::int[]) q(o, n) where ft.cluster_id = q.o`.execute(tx);
    await sql`update finance_watches fw set cluster_id = q.n
      from unnest(${from}::int[], ${to}::int[]) q(o, n) where fw.cluster_id = q.o`.execute(tx);
  }
  if (merges.length) {
    await sql`insert into cluster_merges (survivor, absorbed, height, txid, merged_at)
      select s, a, h, t, ${at} from unnest(${merges.map((m) => m.survivor)}::int[], ${merges.map((m) => m.absorbed)}::int[],
        ${merges.map((m) => m.height)}::int[], ${merges.map((m) => m.txid)}::text[]) q(s, a, h, t)`.execute(
      tx,
    );
  }
}

export async function mergeLog(db: Db) {
  const res = await sql<{ survivor: number; absorbed: number; height: number | null; txid: string | null }>`
    select survivor, absorbed, height, txid from cluster_merges order by id`.execute(db);
  return res.rows;
}

// ---------------------------------------------------------------------------------------------------
// Bitcoin ledger

export interface BlockRow {
  height: number;
  hash: string;
  prevHash: string;
  time: number;
  txCount: number;
  size: number;
  weight: number;
}

export async function blocksByHash(db: Db, hashes: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!hashes.length) return out;
  const res = await sql<{ hash: string; height: number }>`
    select hash, height from btc_blocks where hash = any(${[...hashes]}::text[])`.execute(db);
  for (const r of res.rows) out.set(r.hash, r.height);
  return out;
}

export async function insertBlocks(tx: Db, rows: readonly BlockRow[], at: Date): Promise<void> {
  if (!rows.length) return;
  await sql`insert into btc_blocks (height, hash, prev_hash, time, tx_count, size, weight, imported_at)
    select h, hs, p, tm, c, s, w, ${at} from unnest(${rows.map((r) => r.height)}::int[], ${rows.map((r) => r.hash)}::text[],
      ${rows.map((r) => r.prevHash)}::text[], ${rows.map((r) => r.time)}::bigint[], ${rows.map((r) => r.txCount)}::int[],
      ${rows.map((r) => r.size)}::int[], ${rows.map((r) => r.weight)}::int[]) q(h, hs, p, tm, c, s, w)`.execute(
    tx,
  );
}

export interface TxRow {
  height: number;
  txid: string;
  txIndex: number;
  time: number;
  inputCount: number;
  outputCount: number;
  coinbase: boolean;
  coinjoin: boolean;
}

export interface InputRow {
  height: number;
  txid: string;
  vin: number;
  prevTxid: string;
  prevVout: number;
  prevHeight: number | null;
  addressId: number | null;
  value: number | null;
  coinbase: boolean;
}

export interface OutputRow {
  height: number;
  txid: string;
  vout: number;
  addressId: number | null;
  value: number;
  scriptType: string;
  spentHeight: number | null;
  spentTxid: string | null;
  spentVin: number | null;
}

const CHUNK = 20_000;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export async function insertTransactions(tx: Db, rows: readonly TxRow[]): Promise<void> {
  for (const c of chunks(rows)) {
    await sql`insert into btc_transactions (height, txid, tx_index, time, input_count, output_count, coinbase, coinjoin)
      select * from unnest(${c.map((r) => r.height)}::int[], ${c.map((r) => r.txid)}::text[], ${c.map((r) => r.txIndex)}::int[],
        ${c.map((r) => r.time)}::bigint[], ${c.map((r) => r.inputCount)}::int[], ${c.map((r) => r.outputCount)}::int[],
        ${c.map((r) => r.coinbase)}::boolean[], ${c.map((r) => r.coinjoin)}::boolean[])`.execute(tx);
    await sql`insert into btc_tx_heights (txid, height)
      select * from unnest(${c.map((r) => r.txid)}::text[], ${c.map((r) => r.height)}::int[])`.execute(tx);
  }
}

export async function insertInputs(tx: Db, rows: readonly InputRow[]): Promise<void> {
  for (const c of chunks(rows)) {
    await sql`insert into btc_inputs (height, txid, vin, prev_txid, prev_vout, prev_height, address_id, value, coinbase)
      select * from unnest(${c.map((r) => r.height)}::int[], ${c.map((r) => r.txid)}::text[], ${c.map((r) => r.vin)}::int[],
        ${c.map((r) => r.prevTxid)}::text[], ${c.map((r) => r.prevVout)}::bigint[], ${c.map((r) => r.prevHeight)}::int[],
        ${c.map((r) => r.addressId)}::int[], ${c.map((r) => r.value)}::bigint[], ${c.map((r) => r.coinbase)}::boolean[])`.execute(
      tx,
    );
  }
}

export async function insertOutputs(tx: Db, rows: readonly OutputRow[]): Promise<void> {
  for (const c of chunks(rows)) {
    await sql`insert into btc_outputs (height, txid, vout, address_id, value, script_type, spent_height, spent_txid, spent_vin)
      select * from unnest(${c.map((r) => r.height)}::int[], ${c.map((r) => r.txid)}::text[], ${c.map((r) => r.vout)}::int[],
        ${c.map((r) => r.addressId)}::int[], ${c.map((r) => r.value)}::bigint[], ${c.map((r) => r.scriptType)}::text[],
        ${c.map((r) => r.spentHeight)}::int[], ${c.map((r) => r.spentTxid)}::text[], ${c.map((r) => r.spentVin)}::int[])`.execute(
      tx,
    );
  }
}

export async function txHeights(db: Db, txids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!txids.length) return out;
  const res = await sql<{ txid: string; height: number }>`
    select txid, height from btc_tx_heights where txid = any(${[...new Set(txids)]}::text[])`.execute(db);
  for (const r of res.rows) out.set(r.txid, r.height);
  return out;
}

/** Stored outputs by outpoint; each probe names its partition (height). */
export async function outputsAt(
  db: Db,
  keys: readonly { height: number; txid: string; vout: number }[],
): Promise<
  {
    height: number;
    txid: string;
    vout: number;
    address_id: number | null;
    value: number;
    script_type: string;
  }[]
> {
  if (!keys.length) return [];
  const res = await sql<{
    height: number;
    txid: string;
    vout: number;
    address_id: number | null;
    value: number;
    script_type: string;
  }>`
    select o.height, o.txid, o.vout, o.address_id, o.value, o.script_type
    from unnest(${keys.map((k) => k.height)}::int[], ${keys.map((k) => k.txid)}::text[], ${keys.map((k) => k.vout)}::int[]) q(h, t, v)
    join btc_outputs o on o.height = q.h and o.txid = q.t and o.vout = q.v`.execute(db);
  return res.rows;
}

export async function markSpent(
  tx: Db,
  rows: readonly {
    height: number;
    txid: string;
    vout: number;
    spentHeight: number;
    spentTxid: string;
    spentVin: number;
  }[],
): Promise<void> {
  for (const c of chunks(rows)) {
    await sql`update btc_outputs o set spent_height = q.sh, spent_txid = q.st, spent_vin = q.sv
      from unnest(${c.map((r) => r.height)}::int[], ${c.map((r) => r.txid)}::text[], ${c.map((r) => r.vout)}::int[],
        ${c.map((r) => r.spentHeight)}::int[], ${c.map((r) => r.spentTxid)}::text[], ${c.map((r) => r.spentVin)}::int[]) q(h, t, v, sh, st, sv)
      where o.height = q.h and o.txid = q.t and o.vout = q.v`.execute(tx);
  }
}

export async function ledgerCounts(db: Db) {
  const res = await sql<{ blocks: number; txs: number; inputs: number; outputs: number; addresses: number }>`
    select (select count(*)::int from btc_blocks) as blocks, (select count(*)::int from btc_transactions) as txs,
      (select count(*)::int from btc_inputs) as inputs, (select count(*)::int from btc_outputs) as outputs,
      (select count(*)::int from addresses) as addresses`.execute(db);
  return res.rows[0]!;
}

export interface LoadedTx {
  height: number;
  txid: string;
  tx_index: number;
  time: number;
  coinbase: boolean;
}

/** Full transactions (with inputs and outputs) by key; each key names its partition. */
export async function loadTransactions(db: Db, keys: readonly { height: number; txid: string }[]) {
  if (!keys.length) return { txs: [], inputs: [], outputs: [] };
  const h = keys.map((k) => k.height);
  const ids = keys.map((k) => k.txid);
  const txs = await sql<LoadedTx>`
    select t.height, t.txid, t.tx_index, t.time, t.coinbase
    from unnest(${h}::int[], ${ids}::text[]) q(h, t) join btc_transactions t on t.height = q.h and t.txid = q.t`.execute(
    db,
  );
  const inputs = await sql<{
    height: number;
    txid: string;
    vin: number;
    prev_txid: string;
    prev_vout: number;
    prev_height: number | null;
    address_id: number | null;
    value: number | null;
    coinbase: boolean;
  }>`
    select i.height, i.txid, i.vin, i.prev_txid, i.prev_vout, i.prev_height, i.address_id, i.value, i.coinbase
    from unnest(${h}::int[], ${ids}::text[]) q(h, t) join btc_inputs i on i.height = q.h and i.txid = q.t`.execute(
    db,
  );
  const outputs = await sql<{
    height: number;
    txid: string;
    vout: number;
    address_id: number | null;
    value: number;
    spent_height: number | null;
    spent_txid: string | null;
  }>`
    select o.height, o.txid, o.vout, o.address_id, o.value, o.spent_height, o.spent_txid
    from unnest(${h}::int[], ${ids}::text[]) q(h, t) join btc_outputs o on o.height = q.h and o.txid = q.t`.execute(
    db,
  );
  return { txs: txs.rows, inputs: inputs.rows, outputs: outputs.rows };
}

/** Transactions paying any of the addresses (bounded). */
export async function txsPaying(db: Db, addressIds: readonly number[], limit: number) {
  if (!addressIds.length) return [];
  const res = await sql<{ height: number; txid: string }>`
    select distinct height, txid from btc_outputs where address_id = any(${[...addressIds]}::int[])
    order by height, txid limit ${limit}`.execute(db);
  return res.rows;
}

/** Transactions spending from any of the addresses (bounded). */
export async function txsSpending(db: Db, addressIds: readonly number[], limit: number) {
  if (!addressIds.length) return [];
  const res = await sql<{ height: number; txid: string }>`
    select distinct height, txid from btc_inputs where address_id = any(${[...addressIds]}::int[])
    order by height, txid limit ${limit}`.execute(db);
  return res.rows;
}

// ---------------------------------------------------------------------------------------------------
// Account transfers

export interface TransferRow {
  chain: 'eth' | 'tron';
  block: number;
  hash: string;
  logIndex: number;
  fromId: number;
  toId: number;
  token: string;
  amount: string;
  time: Date;
}

/** Inserts transfers; already stored ones (same chain, block, hash, log index) are skipped. Returns the new ones. */
export async function insertTransfers(
  tx: Db,
  rows: readonly TransferRow[],
  at: Date,
): Promise<TransferRow[]> {
  const inserted: TransferRow[] = [];
  for (const c of chunks(rows)) {
    const res = await sql<{ chain: string; block: number; hash: string; log_index: number }>`
      insert into account_transfers (chain, block, hash, log_index, from_id, to_id, token, amount, time, imported_at)
      select c, b, h, l, f, t, tk, a, tm, ${at} from unnest(${c.map((r) => r.chain)}::text[], ${c.map((r) => r.block)}::bigint[],
        ${c.map((r) => r.hash)}::text[], ${c.map((r) => r.logIndex)}::int[], ${c.map((r) => r.fromId)}::int[],
        ${c.map((r) => r.toId)}::int[], ${c.map((r) => r.token)}::text[], ${c.map((r) => r.amount)}::numeric[],
        ${c.map((r) => r.time.toISOString())}::timestamptz[]) q(c, b, h, l, f, t, tk, a, tm)
      on conflict do nothing
      returning chain, block, hash, log_index`.execute(tx);
    const keys = new Set(res.rows.map((r) => `${r.chain}|${r.block}|${r.hash}|${r.log_index}`));
    for (const r of c) if (keys.has(`${r.chain}|${r.block}|${r.hash}|${r.logIndex}`)) inserted.push(r);
  }
  return inserted;
}

export async function transferCount(db: Db): Promise<number> {
  const res = await sql<{ n: number }>`select count(*)::int as n from account_transfers`.execute(db);
  return res.rows[0]?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------------
// Tags (shared data) and watches/alerts (organisation data)

const TAG_COLS = {
  id: 'tg.id',
  ownerOrg: 'tg.owner_org_id',
  author: 'tg.author_id',
  tlp: 'tg.tlp',
  handlingCode: 'tg.handling_code',
} as const;

/** The one access condition, bound to the `finance_tags as tg` alias. */
export function tagVisible(actor: Actor): RawBuilder<SqlBool> {
  return visibleTo(actor, TAG_COLS);
}

export interface TagView {
  id: string;
  address_id: number | null;
  cluster_id: number | null;
  address: string | null;
  /** Cluster of the tagged address (address tags) or the tagged cluster. */
  effective_cluster: number;
  label: string;
  category: string | null;
  abuse: string | null;
  source: string | null;
  confidence: string | null;
  is_cluster_definer: boolean;
  context: string | null;
  lastmod: string | null;
  tagpack: string | null;
  owner_org_id: string;
  author_id: string;
  tlp: string;
  handling_code: string | null;
  created_at: Date;
}

/**
 * Tags visible to the actor that apply to the given addresses: tags on the address itself, tags on its
 * cluster, and cluster-defining tags on any address of its cluster.
 */
export async function tagsFor(db: Db, actor: Actor, addressIds: readonly number[]): Promise<TagView[]> {
  if (!addressIds.length) return [];
  const res = await sql<TagView>`
    with target as (
      select distinct ac.cluster_id from address_clusters ac where ac.address_id = any(${[...addressIds]}::int[])
    )
    select tg.*, a.address, coalesce(tg.cluster_id, tac.cluster_id) as effective_cluster
    from finance_tags tg
    left join addresses a on a.id = tg.address_id
    left join address_clusters tac on tac.address_id = tg.address_id
    where ${tagVisible(actor)} and (
      tg.address_id = any(${[...addressIds]}::int[])
      or tg.cluster_id in (select cluster_id from target)
      or (tg.is_cluster_definer and tac.cluster_id in (select cluster_id from target))
    )
    order by tg.created_at, tg.id`.execute(db);
  return res.rows;
}

/** Tags visible to the actor (export), oldest first, bounded. */
export async function visibleTags(db: Db, actor: Actor, limit: number): Promise<TagView[]> {
  const res = await sql<TagView>`
    select tg.*, a.address, coalesce(tg.cluster_id, tac.cluster_id) as effective_cluster
    from finance_tags tg
    left join addresses a on a.id = tg.address_id
    left join address_clusters tac on tac.address_id = tg.address_id
    where ${tagVisible(actor)} order by tg.created_at, tg.id limit ${limit}`.execute(db);
  return res.rows;
}

export async function findTagForActor(db: Db, actor: Actor, id: string) {
  return t(db)
    .selectFrom('finance_tags as tg')
    .selectAll('tg')
    .select(tagVisible(actor).as('visible'))
    .where('tg.id', '=', id)
    .executeTakeFirst();
}

export interface WatchMatch {
  id: string;
  org_id: string;
  created_by: string;
  address_id: number | null;
  cluster_id: number | null;
  share_tlp: FinanceTables['finance_watches']['share_tlp'];
  share_community_id: string | null;
}

export async function watchesFor(
  db: Db,
  addressIds: readonly number[],
  clusterIds: readonly number[],
): Promise<WatchMatch[]> {
  if (!addressIds.length && !clusterIds.length) return [];
  const res = await sql<WatchMatch>`
    select id, org_id, created_by, address_id, cluster_id, share_tlp, share_community_id from finance_watches
    where address_id = any(${[...addressIds]}::int[]) or cluster_id = any(${[...clusterIds]}::int[])`.execute(
    db,
  );
  return res.rows;
}

// ---------------------------------------------------------------------------------------------------
// Account-chain tracing reads

export interface TransferEdgeRow {
  chain: 'eth' | 'tron';
  block: number;
  hash: string;
  log_index: number;
  from_id: number;
  to_id: number;
  token: string;
  amount: string;
  time: Date;
}

/** Transfers (of one token, when given) sent or received by any of the addresses, oldest first, bounded. */
export async function transfersTouching(
  db: Db,
  addressIds: readonly number[],
  token: string | null,
  limit: number,
): Promise<TransferEdgeRow[]> {
  if (!addressIds.length) return [];
  const ids = [...addressIds];
  const res = await sql<TransferEdgeRow>`
    select chain, block::float8 as block, hash, log_index, from_id, to_id, token, amount::text as amount, time
    from account_transfers
    where (from_id = any(${ids}::int[]) or to_id = any(${ids}::int[]))
      and (${token}::text is null or token = ${token}::text)
    order by time, block, log_index limit ${limit}`.execute(db);
  return res.rows.map((r) => ({ ...r, block: Number(r.block) }));
}

/** Tokens moved by the addresses, most transfers first. */
export async function tokensOf(
  db: Db,
  addressIds: readonly number[],
): Promise<{ token: string; n: number }[]> {
  if (!addressIds.length) return [];
  const ids = [...addressIds];
  const res = await sql<{ token: string; n: number }>`
    select token, count(*)::int as n from account_transfers
    where from_id = any(${ids}::int[]) or to_id = any(${ids}::int[])
    group by token order by count(*) desc, token`.execute(db);
  return res.rows;
}

// ---------------------------------------------------------------------------------------------------
// Cluster details

/** A page of a cluster's member addresses, by address id (stable across pages). */
export async function clusterMemberPage(
  db: Db,
  clusterId: number,
  offset: number,
  limit: number,
): Promise<{ id: number; chain: Chain; address: string }[]> {
  const res = await sql<{ id: number; chain: Chain; address: string }>`
    select a.id, a.chain, a.address from address_clusters ac join addresses a on a.id = ac.address_id
    where ac.cluster_id = ${clusterId} order by ac.address_id offset ${offset} limit ${limit}`.execute(db);
  return res.rows;
}

/**
 * First and last activity of a cluster's addresses: Bitcoin outputs and inputs (height and block time)
 * and account transfers (time). Times are epoch seconds; null when the cluster never moved funds.
 */
export async function clusterActivity(
  db: Db,
  clusterId: number,
): Promise<{
  firstTime: number | null;
  lastTime: number | null;
  firstHeight: number | null;
  lastHeight: number | null;
}> {
  const res = await sql<{
    first_height: number | null;
    last_height: number | null;
    first_at: number | null;
    last_at: number | null;
  }>`
    with m as (select address_id from address_clusters where cluster_id = ${clusterId}),
    h as (
      select height from btc_outputs where address_id in (select address_id from m)
      union all
      select height from btc_inputs where address_id in (select address_id from m)
    ),
    span as (select min(height) as lo, max(height) as hi from h),
    acct as (
      select min(time) as lo, max(time) as hi from account_transfers
      where from_id in (select address_id from m) or to_id in (select address_id from m)
    )
    select span.lo as first_height, span.hi as last_height,
      least((select min(time) from btc_blocks where height = span.lo)::float8, extract(epoch from acct.lo)::float8) as first_at,
      greatest((select max(time) from btc_blocks where height = span.hi)::float8, extract(epoch from acct.hi)::float8) as last_at
    from span, acct`.execute(db);
  const r = res.rows[0];
  const n = (x: number | null | undefined) => (x === null || x === undefined ? null : Number(x));
  return {
    firstHeight: n(r?.first_height),
    lastHeight: n(r?.last_height),
    firstTime: n(r?.first_at),
    lastTime: n(r?.last_at),
  };
}

/** Tags visible to the actor on the cluster itself or on any of its addresses, oldest first, bounded. */
export async function clusterTags(
  db: Db,
  actor: Actor,
  clusterId: number,
  limit: number,
): Promise<TagView[]> {
  const res = await sql<TagView>`
    select tg.*, a.address, coalesce(tg.cluster_id, tac.cluster_id) as effective_cluster
    from finance_tags tg
    left join addresses a on a.id = tg.address_id
    left join address_clusters tac on tac.address_id = tg.address_id
    where ${tagVisible(actor)} and (tg.cluster_id = ${clusterId} or tac.cluster_id = ${clusterId})
    order by tg.created_at, tg.id limit ${limit}`.execute(db);
  return res.rows;
}

// ---------------------------------------------------------------------------------------------------
// One-time-change links (change-links.ts)

/** Heuristic state for a batch: which of these addresses already received, which have an active link. */
export async function changeState(
  tx: Db,
  addressIds: readonly number[],
): Promise<{ seen: Set<number>; active: Set<number> }> {
  const ids = [...new Set(addressIds)];
  if (!ids.length) return { seen: new Set(), active: new Set() };
  const seen = await sql<{ id: number }>`
    select x as id from unnest(${ids}::int[]) x
    where exists (select 1 from btc_outputs o where o.address_id = x)`.execute(tx);
  const active = await sql<{ id: number }>`
    select change_address_id as id from finance_change_links
    where change_address_id = any(${ids}::int[]) and revoked_txid is null`.execute(tx);
  return { seen: new Set(seen.rows.map((r) => r.id)), active: new Set(active.rows.map((r) => r.id)) };
}

export interface ChangeLinkRow {
  changeAddressId: number;
  spenderAddressId: number;
  txid: string;
  height: number;
  confidence: number;
  criteria: string[];
  revokedTxid: string | null;
  revokedHeight: number | null;
}

export async function insertChangeLinks(
  tx: Db,
  rows: readonly ChangeLinkRow[],
  heuristic: string,
  at: Date,
): Promise<void> {
  for (const c of chunks(rows)) {
    // criteria travel as one text per link (a text[][] unnest would flatten them).
    await sql`insert into finance_change_links (change_address_id, spender_address_id, txid, height, confidence,
        criteria, heuristic, revoked_txid, revoked_height, found_at)
      select ch, sp, t, h, cf, string_to_array(cr, ','), ${heuristic}, rt, rh, ${at}
      from unnest(${c.map((r) => r.changeAddressId)}::int[], ${c.map((r) => r.spenderAddressId)}::int[],
        ${c.map((r) => r.txid)}::text[], ${c.map((r) => r.height)}::int[], ${c.map((r) => r.confidence)}::float8[],
        ${c.map((r) => r.criteria.join(','))}::text[], ${c.map((r) => r.revokedTxid)}::text[],
        ${c.map((r) => r.revokedHeight)}::int[]) q(ch, sp, t, h, cf, cr, rt, rh)`.execute(tx);
  }
}

export async function revokeChangeLinks(
  tx: Db,
  rows: readonly { changeAddressId: number; txid: string; height: number }[],
): Promise<void> {
  for (const c of chunks(rows)) {
    await sql`update finance_change_links l set revoked_txid = q.t, revoked_height = q.h
      from unnest(${c.map((r) => r.changeAddressId)}::int[], ${c.map((r) => r.txid)}::text[], ${c.map((r) => r.height)}::int[]) q(a, t, h)
      where l.change_address_id = q.a and l.revoked_txid is null`.execute(tx);
  }
}

interface ChangeLinkDbRow {
  change_address_id: number;
  spender_address_id: number;
  txid: string;
  height: number;
  confidence: number;
  criteria: string[];
  revoked_txid: string | null;
  revoked_height: number | null;
}

function changeLinkOut(r: ChangeLinkDbRow): ChangeLinkRow {
  return {
    changeAddressId: r.change_address_id,
    spenderAddressId: r.spender_address_id,
    txid: r.txid,
    height: r.height,
    confidence: Number(r.confidence),
    criteria: r.criteria,
    revokedTxid: r.revoked_txid,
    revokedHeight: r.revoked_height,
  };
}

/** Every link, in order of discovery (tests and exports). */
export async function allChangeLinks(db: Db): Promise<ChangeLinkRow[]> {
  const res = await sql<ChangeLinkDbRow>`
    select change_address_id, spender_address_id, txid, height, confidence, criteria, revoked_txid, revoked_height
    from finance_change_links order by height, change_address_id`.execute(db);
  return res.rows.map(changeLinkOut);
}

/** Links where the address is the change or the spender, newest first, with the other address's name. */
export async function changeLinksOf(
  db: Db,
  addressId: number,
  limit: number,
): Promise<(ChangeLinkRow & { other: string })[]> {
  const res = await sql<ChangeLinkDbRow & { other: string }>`
    select l.change_address_id, l.spender_address_id, l.txid, l.height, l.confidence, l.criteria,
      l.revoked_txid, l.revoked_height, a.address as other
    from finance_change_links l
    join addresses a on a.id = case when l.change_address_id = ${addressId} then l.spender_address_id
      else l.change_address_id end
    where l.change_address_id = ${addressId} or l.spender_address_id = ${addressId}
    order by l.height desc, l.txid limit ${limit}`.execute(db);
  return res.rows.map((r) => ({ ...changeLinkOut(r), other: r.other }));
}

/** Active links found in the given transactions: `${txid}|${change address id}` → confidence. */
export async function activeChangeOutputs(db: Db, txids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!txids.length) return out;
  const res = await sql<{ txid: string; change_address_id: number; confidence: number }>`
    select txid, change_address_id, confidence from finance_change_links
    where txid = any(${[...new Set(txids)]}::text[]) and revoked_txid is null`.execute(db);
  for (const r of res.rows) out.set(`${r.txid}|${r.change_address_id}`, Number(r.confidence));
  return out;
}
