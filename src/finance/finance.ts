/**
 * FinanceService: ledgers, clusters, tags, watches and alerts on the node's database.
 *
 * WHO MAY DO WHAT (DESIGN rule 2; decided here, checked in every method):
 * - Ledger data (blocks, transactions, transfers, addresses, clusters, traces) is public blockchain data:
 *   any user with `items:read` may read it. Importing ledger data changes what everybody sees and needs
 *   `items:write`; it is audited as a collection.
 * - Tags are shared intelligence: each has a marking, an owner organisation, an author and a distribution
 *   (access.writeDistribution) and is read only through access.visibleTo, like an item. A tag the actor
 *   may not see is absent from every answer (lookups, traces, exposure, exports).
 * - Watches and alerts belong to the watching organisation. Another organisation's watch or alert answers
 *   404 exactly like a missing one.
 */

import { sql } from 'kysely';
import {
  type Actor,
  checkDistribution,
  type Distribution,
  emptyDistribution,
  type Marking,
  writeDistribution,
} from '../access/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { subjectOf } from '../audit/index.ts';
import type { PriceOutlierQuery } from '../cargo/index.ts';
import { normalizeCompanyName, validateCryptoAddress, validateIban } from '../identifiers/index.ts';
import { requirePermission } from '../identity/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/database.ts';
import { AppError, type ErrorDetail, notFound } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import type { EventBus, ItemInput } from '../sharing/index.ts';
import { traceAccount } from './account-tracing.ts';
import { type ParsedBlock, parseBlock, readBlocksFromBlkFile } from './block-parser.ts';
import { CHANGE_HEURISTIC, type ChangeTx, detectChangeLinks } from './change-links.ts';
import { isCoinJoinLike } from './clustering.ts';
import type { TraceInput } from './finance.schema.ts';
import * as store from './finance.store.ts';
import { bip34Height } from './inspect-block.ts';
import { parsePayments } from './payments.ts';
import { parseTagPack, type TagPackHeader, toTagPackYaml } from './tagpack.ts';
import type { TraceResult } from './taint.ts';
import { type PriceChecks, tbmlPayments, tbmlView } from './tbml.ts';
import * as tracing from './tracing.ts';
import { parseTransfers } from './transfers.ts';

/** A block as the importer needs it: parsed raw blocks and hand-built test ledgers both map to this. */
export interface LedgerBlock {
  hash: string;
  prevHash: string;
  /** Unix seconds. */
  time: number;
  /** Height when known without the chain (BIP34 coinbase height); else derived from the previous block. */
  heightHint: number | null;
  size: number;
  weight: number;
  transactions: LedgerTx[];
}

export interface LedgerTx {
  txid: string;
  coinbase: boolean;
  inputs: { prevTxid: string; vout: number }[];
  outputs: { address: string | null; value: number; scriptType: string }[];
}

export interface BlockImportReport {
  blocks: number;
  skipped: number;
  transactions: number;
  inputs: number;
  outputs: number;
  newAddresses: number;
  merges: number;
  coinjoins: number;
  /** One-time-change links found (change-links.ts), and earlier ones revoked, in this batch. */
  changeLinks: number;
  changeRevoked: number;
  alerts: number;
  heights: number[];
}

export interface FinanceAlertEvent {
  orgId: string;
  alertId: string;
}

/** An alert raised in an import transaction, with what delivery needs once that transaction committed. */
interface NewAlert extends FinanceAlertEvent {
  watch: store.WatchMatch;
  addressId: number;
  direction: 'inbound' | 'outbound';
  chain: store.Chain;
  txid: string;
  height: number | null;
  amount: string;
}

/**
 * What finance needs of other modules to deliver alerts; the node wires it (server/context.ts). Without
 * it alerts are stored and listed but neither pushed live nor shared.
 */
export interface AlertDelivery {
  events: EventBus;
  /** The actor of a user (a watch's author), or null when that user is gone. */
  actorForUser(userId: string): Promise<Actor | null>;
  /** Publishes a sharing item as that actor; returns the item id. */
  publishItem(actor: Actor, input: ItemInput): Promise<string>;
  /** A sharing item could not be published (the alert itself stands). */
  onError?(err: unknown, alertId: string): void;
  /** Shared items the actor may see that name any of these addresses as crypto observables. */
  itemsMentioning?(actor: Actor, addresses: string[]): Promise<SharedMention[]>;
  /** The cargo module's price checks, for the trade-based money-laundering view. */
  priceChecks?: PriceChecks;
}

export interface SharedMention {
  itemId: string;
  kind: string;
  /** Null for personal-data items: their title is read with a justification, on the item. */
  title: string | null;
  value: string;
  createdAt: string;
}

/** How many of a cluster's addresses are looked up in shared items. */
const MENTION_ADDRESSES = 5000;

const GENESIS = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';
const ZERO_HASH = '0'.repeat(64);

export function ledgerBlockOf(block: ParsedBlock): LedgerBlock {
  return {
    hash: block.header.hash,
    prevHash: block.header.prevHash,
    time: block.header.time,
    // BIP34 (coinbase height) holds from block version 2 on; earlier coinbases carry arbitrary bytes.
    heightHint: block.header.version >= 2 ? bip34Height(block) : null,
    size: block.size,
    weight: block.weight,
    transactions: block.transactions.map((tx) => {
      const coinbase = tx.inputs.length === 1 && tx.inputs[0]!.coinbase;
      return {
        txid: tx.txid,
        coinbase,
        inputs: tx.inputs.map((i) => ({ prevTxid: i.prevTxid, vout: i.vout })),
        outputs: tx.outputs.map((o) => ({
          address: o.address,
          value: Number(o.value),
          scriptType: o.scriptType,
        })),
      };
    }),
  };
}

/**
 * Parses raw blocks: a Buffer holding one block, a blk*.dat file (records with network magic) or hex
 * text. Any corrupt block fails the whole batch with IMPORT_FAILED naming the block and byte offset.
 */
export function parseBlockInputs(inputs: readonly (Buffer | string)[]): ParsedBlock[] {
  const out: ParsedBlock[] = [];
  inputs.forEach((input, n) => {
    try {
      if (typeof input === 'string') {
        out.push(parseBlock(hexOrFail(input)));
      } else if (input.length >= 4 && input.readUInt32LE(0) === 0xd9b4bef9) {
        for (const b of readBlocksFromBlkFile(input)) out.push(b);
      } else if (looksLikeHex(input)) {
        out.push(parseBlock(hexOrFail(input.toString('latin1'))));
      } else {
        out.push(parseBlock(input));
      }
    } catch (err) {
      if (err instanceof AppError) {
        throw new AppError(
          'IMPORT_FAILED',
          `block ${n + 1}: ${err.message}`,
          err.details.map((d) => ({ ...d, path: `blocks.${n}: ${d.path}` })),
        );
      }
      throw err;
    }
  });
  return out;
}

function looksLikeHex(buf: Buffer): boolean {
  const n = Math.min(buf.length, 200);
  for (let i = 0; i < n; i++) {
    const c = buf[i]!;
    const hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 10 || c === 13;
    if (!hex) return false;
  }
  return n > 0;
}

function hexOrFail(text: string): Buffer {
  const s = text.trim();
  const bad = /[^0-9a-fA-F]/.exec(s);
  if (bad || s.length % 2 !== 0) {
    const at = bad ? bad.index : s.length;
    throw new AppError('IMPORT_FAILED', `not hex at character offset ${at}`, [
      { path: `byte ${Math.floor(at / 2)}`, message: 'not hex' },
    ]);
  }
  return Buffer.from(s, 'hex');
}

/** Union-find over cluster ids where the root is always the smallest id (the stable cluster id). */
class MinUnion {
  readonly parent = new Map<number, number>();
  find(x: number): number {
    let r = x;
    for (;;) {
      const p = this.parent.get(r);
      if (p === undefined || p === r) break;
      r = p;
    }
    let y = x;
    while (y !== r) {
      const p = this.parent.get(y)!;
      this.parent.set(y, r);
      y = p;
    }
    return r;
  }
  union(a: number, b: number): { survivor: number; absorbed: number } | null {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return null;
    const survivor = Math.min(ra, rb);
    const absorbed = Math.max(ra, rb);
    this.parent.set(absorbed, survivor);
    if (!this.parent.has(survivor)) this.parent.set(survivor, survivor);
    return { survivor, absorbed };
  }
}

export interface TagImportReport {
  title: string;
  stored: number;
  quarantined: ErrorDetail[];
}

export class FinanceService {
  private readonly listeners = new Set<(e: FinanceAlertEvent) => void>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly delivery: AlertDelivery | null = null,
  ) {}

  /** Live alert notifications (in-process listeners; /api/events gets them through AlertDelivery.events). */
  onAlert(fn: (e: FinanceAlertEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Parses and imports raw blocks as one batch (see importLedgerBlocks). */
  async importBlocks(actor: Actor, inputs: readonly (Buffer | string)[]): Promise<BlockImportReport> {
    requirePermission(actor, 'items:write');
    return this.importLedgerBlocks(actor, parseBlockInputs(inputs).map(ledgerBlockOf));
  }

  /**
   * Stores a batch of blocks in ONE transaction, in the order given (a block's parent must be earlier in
   * the batch or already stored, unless its height is known from the coinbase). Blocks already stored are
   * skipped. Clusters are updated incrementally with the multi-input heuristic (CoinJoin-like
   * transactions skipped, as AddressClusterer does); alerts are raised for watches whose address or
   * cluster receives or spends in the batch.
   */
  async importLedgerBlocks(actor: Actor, blocks: readonly LedgerBlock[]): Promise<BlockImportReport> {
    requirePermission(actor, 'items:write');
    const now = this.clock.now();
    const newAlerts: NewAlert[] = [];
    const report = await this.db.transaction().execute(async (tx) => {
      await store.lockLedger(tx);
      const known = await store.blocksByHash(tx, [
        ...blocks.map((b) => b.hash),
        ...blocks.map((b) => b.prevHash),
      ]);
      const heights = new Map<string, number>(known);
      const todo: { block: LedgerBlock; height: number }[] = [];
      let skipped = 0;
      const seen = new Set<string>();
      blocks.forEach((b, n) => {
        if (known.has(b.hash) || seen.has(b.hash)) {
          skipped++;
          return;
        }
        seen.add(b.hash);
        const prev = heights.get(b.prevHash);
        let height: number | null = prev === undefined ? b.heightHint : prev + 1;
        if (prev === undefined && b.prevHash === GENESIS) height = 1;
        if (prev === undefined && b.prevHash === ZERO_HASH) height = 0;
        if (height === null) {
          throw new AppError('IMPORT_FAILED', `block ${n + 1} (${b.hash}): height unknown`, [
            { path: `blocks.${n}`, message: 'parent not imported and no BIP34 height in the coinbase' },
          ]);
        }
        heights.set(b.hash, height);
        todo.push({ block: b, height });
      });

      // Addresses in order of first appearance (outputs), so ids grow with the chain.
      const addrList: { chain: store.Chain; address: string }[] = [];
      for (const { block } of todo)
        for (const t of block.transactions)
          for (const o of t.outputs)
            if (o.address !== null) addrList.push({ chain: 'btc', address: o.address });
      const { ids, created } = await store.internAddresses(tx, addrList);
      const idOf = (a: string | null) => (a === null ? null : ids.get(`btc:${a}`)!);

      // Outputs of this batch, by outpoint.
      const batchOut = new Map<string, store.OutputRow>();
      const txRows: store.TxRow[] = [];
      const outRows: store.OutputRow[] = [];
      for (const { block, height } of todo) {
        block.transactions.forEach((t, txIndex) => {
          t.outputs.forEach((o, vout) => {
            const row: store.OutputRow = {
              height,
              txid: t.txid,
              vout,
              addressId: idOf(o.address),
              value: o.value,
              scriptType: o.scriptType,
              spentHeight: null,
              spentTxid: null,
              spentVin: null,
            };
            outRows.push(row);
            batchOut.set(`${t.txid}:${vout}`, row);
          });
          txRows.push({
            height,
            txid: t.txid,
            txIndex,
            time: block.time,
            inputCount: t.inputs.length,
            outputCount: t.outputs.length,
            coinbase: t.coinbase,
            coinjoin: false,
          });
        });
      }
      // Spent outputs stored by earlier batches: txid → height (global index), then one probe per partition.
      const external = new Set<string>();
      for (const { block } of todo)
        for (const t of block.transactions)
          if (!t.coinbase)
            for (const i of t.inputs) if (!batchOut.has(`${i.prevTxid}:${i.vout}`)) external.add(i.prevTxid);
      const prevHeights = await store.txHeights(tx, [...external]);
      const probes: { height: number; txid: string; vout: number }[] = [];
      for (const { block } of todo)
        for (const t of block.transactions)
          if (!t.coinbase)
            for (const i of t.inputs) {
              const h = prevHeights.get(i.prevTxid);
              if (h !== undefined && !batchOut.has(`${i.prevTxid}:${i.vout}`))
                probes.push({ height: h, txid: i.prevTxid, vout: i.vout });
            }
      const stored = new Map<
        string,
        { height: number; address_id: number | null; value: number; script_type: string }
      >();
      for (const o of await store.outputsAt(tx, probes)) stored.set(`${o.txid}:${o.vout}`, o);

      const inRows: store.InputRow[] = [];
      const spentStored: Parameters<typeof store.markSpent>[1][number][] = [];
      // Clustering state: current cluster of every input address, from the database.
      const inputAddressIds = new Set<number>();
      const resolved: {
        t: LedgerTx;
        height: number;
        row: store.TxRow;
        addrs: (number | null)[];
        /** Script type of each input's spent output, when known (change confidence). */
        scripts: (string | null)[];
      }[] = [];
      let k = 0;
      for (const { block, height } of todo) {
        for (const t of block.transactions) {
          const row = txRows[k++]!;
          const addrs: (number | null)[] = [];
          const scripts: (string | null)[] = [];
          t.inputs.forEach((i, vin) => {
            if (t.coinbase) {
              inRows.push({
                height,
                txid: t.txid,
                vin,
                prevTxid: i.prevTxid,
                prevVout: i.vout,
                prevHeight: null,
                addressId: null,
                value: null,
                coinbase: true,
              });
              return;
            }
            const key = `${i.prevTxid}:${i.vout}`;
            const local = batchOut.get(key);
            const ext = stored.get(key);
            const prev = local
              ? { height: local.height, value: local.value }
              : ext
                ? { height: ext.height, value: ext.value }
                : undefined;
            const addressId = local ? local.addressId : (ext?.address_id ?? null);
            if (local) {
              local.spentHeight = height;
              local.spentTxid = t.txid;
              local.spentVin = vin;
            } else if (ext) {
              spentStored.push({
                height: ext.height,
                txid: i.prevTxid,
                vout: i.vout,
                spentHeight: height,
                spentTxid: t.txid,
                spentVin: vin,
              });
            }
            if (addressId !== null) inputAddressIds.add(addressId);
            addrs.push(addressId);
            scripts.push(local ? local.scriptType : (ext?.script_type ?? null));
            inRows.push({
              height,
              txid: t.txid,
              vin,
              prevTxid: i.prevTxid,
              prevVout: i.vout,
              prevHeight: prev ? prev.height : null,
              addressId,
              value: prev ? prev.value : null,
              coinbase: false,
            });
          });
          resolved.push({ t, height, row, addrs, scripts });
        }
      }

      // Multi-input heuristic over cluster ids (root = smallest id, so ids are stable).
      const current = await store.clustersOf(tx, [...inputAddressIds]);
      const uf = new MinUnion();
      const merges: { survivor: number; absorbed: number; height: number | null; txid: string | null }[] = [];
      let coinjoins = 0;
      for (const { t, height, row, addrs } of resolved) {
        if (t.coinbase || t.inputs.length === 0) continue;
        if (t.inputs.length >= 2) {
          const values = Float64Array.from(t.outputs.map((o) => o.value));
          if (isCoinJoinLike(t.inputs.length, values, 0, values.length)) {
            row.coinjoin = true;
            coinjoins++;
            continue;
          }
        }
        let first: number | null = null;
        for (const a of addrs) {
          if (a === null) continue;
          const c = current.get(a) ?? a;
          if (first === null) first = c;
          else {
            const m = uf.union(first, c);
            if (m) merges.push({ ...m, height, txid: t.txid });
          }
        }
      }
      // One-time-change links (kept apart from the clusters), from the state stored by earlier batches.
      const changeTxs: ChangeTx[] = resolved.map(({ t, height, row, addrs, scripts }) => ({
        txid: t.txid,
        height,
        coinbase: t.coinbase,
        coinjoin: row.coinjoin,
        inputs: t.coinbase ? [] : addrs.map((a, k) => ({ addressId: a, scriptType: scripts[k] ?? null })),
        outputs: t.outputs.map((o) => ({
          addressId: idOf(o.address),
          value: o.value,
          scriptType: o.scriptType,
        })),
      }));
      const change = detectChangeLinks(
        changeTxs,
        await store.changeState(
          tx,
          outRows.flatMap((o) => (o.addressId === null ? [] : [o.addressId])),
        ),
      );
      const renames = new Map<number, number>();
      for (const c of uf.parent.keys()) {
        const r = uf.find(c);
        if (r !== c) renames.set(c, r);
      }

      await store.insertBlocks(
        tx,
        todo.map(({ block, height }) => ({
          height,
          hash: block.hash,
          prevHash: block.prevHash,
          time: block.time,
          txCount: block.transactions.length,
          size: block.size,
          weight: block.weight,
        })),
        now,
      );
      await store.insertTransactions(tx, txRows);
      await store.insertOutputs(tx, outRows);
      await store.insertInputs(tx, inRows);
      await store.markSpent(tx, spentStored);
      await store.applyMerges(tx, renames, merges, now);
      await store.insertChangeLinks(tx, change.links, CHANGE_HEURISTIC, now);
      await store.revokeChangeLinks(tx, change.revocations);

      // Alerts: watched addresses/clusters with new inbound (outputs) or outbound (inputs) flows.
      const flows: {
        direction: 'inbound' | 'outbound';
        addressId: number;
        txid: string;
        height: number;
        amount: number;
      }[] = [];
      for (const o of outRows)
        if (o.addressId !== null)
          flows.push({
            direction: 'inbound',
            addressId: o.addressId,
            txid: o.txid,
            height: o.height,
            amount: o.value,
          });
      for (const i of inRows)
        if (i.addressId !== null)
          flows.push({
            direction: 'outbound',
            addressId: i.addressId,
            txid: i.txid,
            height: i.height,
            amount: i.value ?? 0,
          });
      await this.raiseAlerts(tx, 'btc', flows, now, newAlerts);
      const alerts = await this.auditAlerts(tx, actor, newAlerts);

      await this.audit.append(tx, subjectOf(actor), {
        action: 'collection',
        objectType: 'btc_blocks',
        objectId: todo[0]?.block.hash ?? null,
        details: {
          blocks: todo.length,
          skipped,
          transactions: txRows.length,
          heights: todo.map((b) => String(b.height)),
          merges: merges.length,
          changeLinks: change.links.length,
          alerts,
        },
      });
      return {
        blocks: todo.length,
        skipped,
        transactions: txRows.length,
        inputs: inRows.length,
        outputs: outRows.length,
        newAddresses: created,
        merges: merges.length,
        coinjoins,
        changeLinks: change.links.length,
        changeRevoked: change.revocations.length,
        alerts,
        heights: todo.map((b) => b.height),
      };
    });
    await this.deliver(newAlerts);
    return report;
  }

  /**
   * The importer may not learn who watches what: its report and its audit record count only the alerts of
   * its own organisation; each other watching organisation gets an audit record of its own.
   */
  private async auditAlerts(tx: Db, actor: Actor, alerts: readonly NewAlert[]): Promise<number> {
    const byOrg = new Map<string, number>();
    for (const a of alerts) byOrg.set(a.orgId, (byOrg.get(a.orgId) ?? 0) + 1);
    for (const [orgId, n] of byOrg) {
      if (orgId === actor.orgId) continue;
      await this.audit.append(
        tx,
        { userId: null, orgId },
        { action: 'collection', objectType: 'finance_alert', objectId: null, details: { alerts: n } },
      );
    }
    return byOrg.get(actor.orgId) ?? 0;
  }

  /**
   * After the import committed: tells the in-process listeners and the live event bus (the watching
   * organisation's users only), then publishes a sharing item for each alert whose watch asks for one, as
   * the watch's author on behalf of the watching organisation.
   */
  private async deliver(alerts: readonly NewAlert[]): Promise<void> {
    if (!alerts.length) return;
    for (const a of alerts) {
      const e = { orgId: a.orgId, alertId: a.alertId };
      for (const fn of this.listeners) fn(e);
      this.delivery?.events.publish({ type: 'finance-alert', alertId: a.alertId, orgId: a.orgId });
    }
    const delivery = this.delivery;
    const shared = alerts.filter((a) => a.watch.share_tlp !== null);
    if (!delivery || !shared.length) return;
    const names = await store.addressNames(
      this.db,
      shared.map((a) => a.addressId),
    );
    const actors = new Map<string, Actor | null>();
    for (const a of shared) {
      try {
        const by = a.watch.created_by;
        if (!actors.has(by)) actors.set(by, await delivery.actorForUser(by));
        const author = actors.get(by);
        if (!author || author.orgId !== a.orgId)
          throw new AppError('NOT_FOUND', 'watch author not available');
        const address = names.get(a.addressId)!;
        const itemId = await delivery.publishItem(author, alertItem(a, address));
        await store
          .t(this.db)
          .updateTable('finance_alerts')
          .set({ item_id: itemId })
          .where('id', '=', a.alertId)
          .execute();
      } catch (err) {
        delivery.onError?.(err, a.alertId);
      }
    }
  }

  /** One alert per (watch, transaction, direction), amounts summed. Returns the number raised. */
  private async raiseAlerts(
    tx: Db,
    chain: store.Chain,
    flows: {
      direction: 'inbound' | 'outbound';
      addressId: number;
      txid: string;
      height: number;
      amount: number | string;
    }[],
    now: Date,
    out: NewAlert[],
  ): Promise<number> {
    if (!flows.length) return 0;
    const addressIds = [...new Set(flows.map((f) => f.addressId))];
    const clusters = await store.clustersOf(tx, addressIds);
    const watches = await store.watchesFor(tx, addressIds, [...new Set(clusters.values())]);
    if (!watches.length) return 0;
    const rows = new Map<string, store.FinanceTables['finance_alerts']>();
    const watchOf = new Map<string, store.WatchMatch>();
    for (const f of flows) {
      const cluster = clusters.get(f.addressId);
      for (const w of watches) {
        if (w.address_id !== f.addressId && (w.cluster_id === null || w.cluster_id !== cluster)) continue;
        const key = `${w.id}|${f.txid}|${f.direction}`;
        watchOf.set(key, w);
        const r = rows.get(key);
        if (r) r.amount = addDecimal(r.amount, String(f.amount));
        else
          rows.set(key, {
            id: newId(),
            org_id: w.org_id,
            watch_id: w.id,
            direction: f.direction,
            chain,
            address_id: f.addressId,
            txid: f.txid,
            height: f.height,
            amount: String(f.amount),
            created_at: now,
            item_id: null,
          });
      }
    }
    const list = [...rows.values()];
    for (let i = 0; i < list.length; i += 2000) {
      await store
        .t(tx)
        .insertInto('finance_alerts')
        .values(list.slice(i, i + 2000))
        .execute();
    }
    for (const [key, r] of rows)
      out.push({
        orgId: r.org_id,
        alertId: r.id,
        watch: watchOf.get(key)!,
        addressId: r.address_id,
        direction: r.direction,
        chain,
        txid: r.txid,
        height: r.height,
        amount: r.amount,
      });
    return list.length;
  }

  /**
   * Imports account-chain transfers (CSV with a header line, or JSON Lines). Bad rows are quarantined with
   * row number, field and reason; good rows are stored in one transaction (already stored transfers are
   * counted as duplicates); watched addresses raise alerts.
   */
  async importTransfers(actor: Actor, text: string) {
    requirePermission(actor, 'items:write');
    const { rows, quarantined } = parseTransfers(text);
    const now = this.clock.now();
    const newAlerts: NewAlert[] = [];
    const result = await this.db.transaction().execute(async (tx) => {
      await store.lockLedger(tx);
      const { ids } = await store.internAddresses(
        tx,
        rows.flatMap((r) => [
          { chain: r.chain, address: r.from },
          { chain: r.chain, address: r.to },
        ]),
      );
      const inserted = await store.insertTransfers(
        tx,
        rows.map((r) => ({
          chain: r.chain,
          block: r.block,
          hash: r.hash,
          logIndex: r.logIndex,
          fromId: ids.get(`${r.chain}:${r.from}`)!,
          toId: ids.get(`${r.chain}:${r.to}`)!,
          token: r.token,
          amount: r.amount,
          time: r.time,
        })),
        now,
      );
      for (const chain of ['eth', 'tron'] as const) {
        const mine = inserted.filter((r) => r.chain === chain);
        await this.raiseAlerts(
          tx,
          chain,
          mine.flatMap((r) => [
            {
              direction: 'inbound' as const,
              addressId: r.toId,
              txid: r.hash,
              height: r.block,
              amount: r.amount,
            },
            {
              direction: 'outbound' as const,
              addressId: r.fromId,
              txid: r.hash,
              height: r.block,
              amount: r.amount,
            },
          ]),
          now,
          newAlerts,
        );
      }
      const alerts = await this.auditAlerts(tx, actor, newAlerts);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'collection',
        objectType: 'account_transfers',
        objectId: null,
        details: {
          stored: inserted.length,
          duplicates: rows.length - inserted.length,
          quarantined: quarantined.length,
        },
      });
      return { stored: inserted.length, duplicates: rows.length - inserted.length, alerts };
    });
    await this.deliver(newAlerts);
    return { ...result, quarantined };
  }

  // -------------------------------------------------------------------------------------------------
  // Addresses and clusters

  /** Canonical chain and form of a user-given address; INVALID_IDENTIFIER when it does not validate. */
  canonical(raw: string, path = 'address'): { chain: store.Chain; address: string } {
    const n = validateCryptoAddress(raw);
    if (!n.ok)
      throw new AppError('INVALID_IDENTIFIER', n.message, [{ path, message: n.message, code: n.code }]);
    const chain: store.Chain = n.kind === 'eth' ? 'eth' : n.kind === 'tron' ? 'tron' : 'btc';
    return { chain, address: n.value };
  }

  /** Address, its cluster (id and size) and the tags on it visible to the actor. Unknown address: 404. */
  async address(actor: Actor, raw: string) {
    requirePermission(actor, 'items:read');
    const { chain, address } = this.canonical(raw);
    const row = await store.findAddress(this.db, chain, address);
    if (!row) throw notFound('address');
    const sizeOf = store.clusterSize(this.db, row.cluster_id);
    const [size, tags, links, sharedItems] = await Promise.all([
      sizeOf,
      store.tagsFor(this.db, actor, [row.id]),
      row.chain === 'btc' ? store.changeLinksOf(this.db, row.id, 200) : Promise.resolve([]),
      sizeOf.then((n) => this.sharedMentions(actor, row.address, n > 1 ? row.cluster_id : null)),
    ]);
    return {
      address: row.address,
      chain: row.chain,
      addressId: row.id,
      clusterId: row.cluster_id,
      clusterSize: size,
      tags: tags.map(tagOut),
      // Shared items (visible to the actor) naming this address or another of its cluster.
      sharedItems,
      // One-time-change links (heuristic, not part of the cluster): this address as the change of a
      // spender, or as the spender whose change went to the other address.
      changeLinks: links.map((l) => ({
        txid: l.txid,
        height: l.height,
        role: l.changeAddressId === row.id ? ('change' as const) : ('spender' as const),
        otherAddress: l.other,
        confidence: l.confidence,
        criteria: l.criteria,
        revoked: l.revokedTxid === null ? null : { txid: l.revokedTxid, height: l.revokedHeight },
      })),
    };
  }

  /**
   * Items naming the address or, for an address clustered with others (`clusterId` given), any
   * address of its cluster.
   */
  private async sharedMentions(
    actor: Actor,
    address: string,
    clusterId: number | null,
  ): Promise<SharedMention[]> {
    const lookup = this.delivery?.itemsMentioning;
    if (!lookup) return [];
    const addresses =
      clusterId === null
        ? [address]
        : (await store.clusterMemberPage(this.db, clusterId, 0, MENTION_ADDRESSES)).map((m) => m.address);
    return lookup(actor, [...new Set([address, ...addresses])]);
  }

  /** Resolves an address, `cluster:<id>` or a numeric cluster id to address ids (bounded). */
  async resolveSource(raw: string, limit = 5000): Promise<{ addressIds: number[]; chain: store.Chain }> {
    const m = /^(?:cluster:)?(\d+)$/.exec(raw.trim());
    if (m) {
      const ids = await store.clusterMembers(this.db, Number(m[1]), limit);
      if (!ids.length) throw notFound('cluster');
      return { addressIds: ids, chain: 'btc' };
    }
    const { chain, address } = this.canonical(raw, 'from');
    const row = await store.findAddress(this.db, chain, address);
    if (!row) throw notFound('address');
    return { addressIds: [row.id], chain };
  }

  // -------------------------------------------------------------------------------------------------
  // Tracing (ledger data: items:read; categories come only from tags visible to the actor)

  async trace(actor: Actor, input: TraceInput): Promise<{ result: TraceResult; text: string | null }> {
    requirePermission(actor, 'items:read');
    const from = input.from.trim();
    const resolved = /^[0-9a-fA-F]{64}$/.test(from) ? null : await this.resolveSource(from);
    const result =
      resolved && resolved.chain !== 'btc'
        ? await traceAccount(this.db, actor, {
            addressIds: resolved.addressIds,
            direction: input.direction,
            model: input.model,
            hops: input.hops,
            token: input.token,
          })
        : await tracing.trace(this.db, actor, {
            source: resolved ? { addressIds: resolved.addressIds } : { txid: from.toLowerCase() },
            direction: input.direction,
            model: input.model,
            hops: input.hops,
            includeChange: input.includeChange ?? false,
          });
    const text =
      input.format === 'csv'
        ? tracing.traceToCsv(result)
        : input.format === 'graphml'
          ? tracing.traceToGraphml(result)
          : null;
    return { result, text };
  }

  async exposure(actor: Actor, raw: string) {
    requirePermission(actor, 'items:read');
    const { addressIds, chain } = await this.resolveSource(raw);
    if (chain === 'btc') return tracing.exposureScore(this.db, actor, addressIds);
    return tracing.exposureScore(this.db, actor, addressIds, (direction) =>
      traceAccount(this.db, actor, { addressIds, direction, model: 'haircut', hops: 3 }),
    );
  }

  async paths(actor: Actor, from: string, to: string, hops: number) {
    requirePermission(actor, 'items:read');
    const a = await this.resolveSource(from);
    const b = await this.resolveSource(to);
    return tracing.pathsBetween(this.db, a.addressIds, b.addressIds, hops);
  }

  /**
   * A cluster: size, chain, first and last activity, the tags on it or its addresses visible to the actor,
   * and one page of member addresses. Ledger data (items:read); an unknown cluster answers 404.
   */
  async cluster(actor: Actor, clusterId: number, page: { offset?: number; limit?: number } = {}) {
    requirePermission(actor, 'items:read');
    const size = await store.clusterSize(this.db, clusterId);
    if (size === 0) throw notFound('cluster');
    const offset = Math.max(0, page.offset ?? 0);
    const limit = Math.min(Math.max(1, page.limit ?? 100), 1000);
    const [members, seen, tags] = await Promise.all([
      store.clusterMemberPage(this.db, clusterId, offset, limit),
      store.clusterActivity(this.db, clusterId),
      store.clusterTags(this.db, actor, clusterId, 500),
    ]);
    const iso = (s: number | null) => (s === null ? null : new Date(s * 1000).toISOString());
    return {
      clusterId,
      size,
      chain:
        (offset === 0 ? members : await store.clusterMemberPage(this.db, clusterId, 0, 1))[0]?.chain ?? null,
      firstSeen: { time: iso(seen.firstTime), height: seen.firstHeight },
      lastSeen: { time: iso(seen.lastTime), height: seen.lastHeight },
      tags: tags.map(tagOut),
      members: {
        offset,
        limit,
        total: size,
        addresses: members.map((m) => ({ address: m.address, chain: m.chain })),
      },
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Tags

  async importTagPack(
    actor: Actor,
    yaml: string,
    sharing: { marking: Marking; distribution: Distribution } = {
      marking: { tlp: 'AMBER', handlingCode: null, sourceReliability: null, infoCredibility: null },
      distribution: emptyDistribution(),
    },
  ): Promise<TagImportReport> {
    requirePermission(actor, 'items:write');
    checkDistribution(sharing.marking, sharing.distribution);
    const pack = parseTagPack(yaml);
    const quarantined: ErrorDetail[] = [];
    const good: { tag: (typeof pack.tags)[number]; chain: store.Chain; address: string }[] = [];
    pack.tags.forEach((tag, i) => {
      const n = validateCryptoAddress(tag.address);
      if (!n.ok) {
        quarantined.push({
          path: `tags.${i}.address`,
          message: `${tag.address}: ${n.message}`,
          code: n.code,
        });
        return;
      }
      const chain: store.Chain = n.kind === 'eth' ? 'eth' : n.kind === 'tron' ? 'tron' : 'btc';
      good.push({ tag, chain, address: n.value });
    });
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      await store.lockLedger(tx);
      const { ids } = await store.internAddresses(
        tx,
        good.map((g) => ({ chain: g.chain, address: g.address })),
      );
      const rows: store.FinanceTables['finance_tags'][] = good.map((g) => ({
        id: newId(),
        address_id: ids.get(`${g.chain}:${g.address}`)!,
        cluster_id: null,
        label: g.tag.label,
        category: g.tag.category ?? (g.tag.abuse ? 'abuse' : null),
        abuse: g.tag.abuse,
        source: g.tag.source,
        confidence: g.tag.confidence,
        is_cluster_definer: g.tag.isClusterDefiner,
        context: g.tag.context,
        lastmod: g.tag.lastmod,
        tagpack: pack.header.title,
        owner_org_id: actor.orgId,
        author_id: actor.userId,
        tlp: sharing.marking.tlp,
        handling_code: sharing.marking.handlingCode,
        created_at: now,
      }));
      for (let i = 0; i < rows.length; i += 2000) {
        await store
          .t(tx)
          .insertInto('finance_tags')
          .values(rows.slice(i, i + 2000))
          .execute();
      }
      for (const r of rows) await writeDistribution(tx, r.id, sharing.distribution);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'collection',
        objectType: 'finance_tagpack',
        objectId: null,
        details: {
          title: pack.header.title,
          tags: rows.length,
          quarantined: quarantined.length,
          tlp: sharing.marking.tlp,
        },
      });
    });
    return { title: pack.header.title, stored: good.length, quarantined };
  }

  /** One tag on an address or a cluster. */
  async addTag(
    actor: Actor,
    input: {
      address?: string | undefined;
      clusterId?: number | undefined;
      label: string;
      category: string | null;
      source: string | null;
      confidence: string | null;
      marking: Marking;
      distribution: Distribution;
    },
  ) {
    requirePermission(actor, 'items:write');
    checkDistribution(input.marking, input.distribution);
    const id = newId();
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      let addressId: number | null = null;
      let clusterId: number | null = null;
      if (input.address !== undefined) {
        await store.lockLedger(tx);
        const c = this.canonical(input.address);
        addressId = (await store.internAddresses(tx, [c])).ids.get(`${c.chain}:${c.address}`)!;
      } else if (input.clusterId !== undefined) {
        if ((await store.clusterSize(tx, input.clusterId)) === 0) throw notFound('cluster');
        clusterId = input.clusterId;
      } else {
        throw new AppError('VALIDATION_FAILED', 'Name an address or a cluster', [
          { path: 'address', message: 'required unless clusterId is given' },
        ]);
      }
      await store
        .t(tx)
        .insertInto('finance_tags')
        .values({
          id,
          address_id: addressId,
          cluster_id: clusterId,
          label: input.label,
          category: input.category,
          abuse: null,
          source: input.source,
          confidence: input.confidence,
          is_cluster_definer: false,
          context: null,
          lastmod: null,
          tagpack: null,
          owner_org_id: actor.orgId,
          author_id: actor.userId,
          tlp: input.marking.tlp,
          handling_code: input.marking.handlingCode,
          created_at: now,
        })
        .execute();
      await writeDistribution(tx, id, input.distribution);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'collection',
        objectType: 'finance_tag',
        objectId: id,
        details: { label: input.label, category: input.category, tlp: input.marking.tlp },
      });
    });
    return this.tag(actor, id);
  }

  /** One tag; a tag the actor may not see answers 404 like a missing one. */
  async tag(actor: Actor, id: string) {
    requirePermission(actor, 'items:read');
    const row = isUuid(id) ? await store.findTagForActor(this.db, actor, id) : undefined;
    if (!row?.visible) throw notFound('tag');
    const views = await store.tagsFor(
      this.db,
      actor,
      row.address_id !== null ? [row.address_id] : await store.clusterMembers(this.db, row.cluster_id!, 1),
    );
    const v = views.find((x) => x.id === id);
    if (!v) throw notFound('tag');
    return tagOut(v);
  }

  /** Visible tags as a GraphSense TagPack (TLP:RED tags are never exported). */
  async exportTagPack(actor: Actor, title = 'PortShield export'): Promise<string> {
    requirePermission(actor, 'items:read');
    const tags = (await store.visibleTags(this.db, actor, 100_000)).filter(
      (t) => t.tlp !== 'RED' && t.address !== null,
    );
    const header: TagPackHeader = {
      title,
      creator: null,
      description: null,
      isPublic: false,
      label: null,
      category: null,
      abuse: null,
      source: null,
      currency: null,
      lastmod: null,
      confidence: null,
      context: null,
      isClusterDefiner: false,
    };
    return toTagPackYaml(
      header,
      tags.map((t) => ({
        address: t.address!,
        currency: t.address!.startsWith('0x') ? 'ETH' : t.address!.startsWith('T') ? 'TRX' : 'BTC',
        label: t.label,
        category: t.category,
        abuse: t.abuse,
        source: t.source,
        confidence: t.confidence,
        lastmod: t.lastmod,
        isClusterDefiner: t.is_cluster_definer,
        context: t.context,
      })),
    );
  }

  // -------------------------------------------------------------------------------------------------
  // Payment records (financial-intelligence data: only the importing organisation ever reads them)

  /**
   * Imports payment records (CSV or JSON Lines, see payments.ts): bad rows quarantined with row, field and
   * reason; good rows stored in ONE transaction for the actor's organisation. `onProgress` is told after
   * each stored chunk.
   */
  async importPayments(
    actor: Actor,
    text: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ batchId: string; stored: number; quarantined: ErrorDetail[] }> {
    requirePermission(actor, 'items:write');
    const { rows, quarantined } = parsePayments(text);
    const batchId = newId();
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        await store
          .t(tx)
          .insertInto('finance_payments')
          .values(
            chunk.map((r) => ({
              id: newId(),
              org_id: actor.orgId,
              batch_id: batchId,
              row_number: r.row,
              date: r.date,
              amount: r.amount,
              currency: r.currency,
              payer_name: r.payerName,
              payer_name_folded: r.payerNameFolded,
              payer_iban: r.payerIban,
              payee_name: r.payeeName,
              payee_name_folded: r.payeeNameFolded,
              payee_iban: r.payeeIban,
              reference: r.reference,
              imported_by: actor.userId,
              imported_at: now,
            })),
          )
          .execute();
        onProgress?.(i + chunk.length, rows.length);
      }
      await this.audit.append(tx, subjectOf(actor), {
        action: 'collection',
        objectType: 'finance_payments',
        objectId: batchId,
        details: { stored: rows.length, quarantined: quarantined.length },
      });
    });
    return { batchId, stored: rows.length, quarantined };
  }

  /**
   * The organisation's payment records where a party's folded name contains `party` (folded the same way)
   * or either IBAN equals `iban`; newest first, bounded. The query is audited as a consultation.
   */
  async payments(actor: Actor, q: { party?: string | undefined; iban?: string | undefined; limit?: number }) {
    requirePermission(actor, 'items:read');
    let iban: string | null = null;
    if (q.iban !== undefined) {
      const n = validateIban(q.iban);
      if (!n.ok)
        throw new AppError('INVALID_IDENTIFIER', n.message, [
          { path: 'iban', message: n.message, code: n.code },
        ]);
      iban = n.value;
    }
    let party: string | null = null;
    if (q.party !== undefined) {
      const n = normalizeCompanyName(q.party);
      if (!n.ok)
        throw new AppError('VALIDATION_FAILED', n.message, [
          { path: 'party', message: n.message, code: n.code },
        ]);
      party = `%${n.value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    const limit = Math.min(q.limit ?? 500, 5000);
    return this.db.transaction().execute(async (tx) => {
      const res = await sql<{
        id: string;
        batch_id: string;
        row_number: number;
        date: string;
        amount: string;
        currency: string;
        payer_name: string;
        payer_iban: string;
        payee_name: string;
        payee_iban: string;
        reference: string;
        imported_at: Date;
      }>`
        select id, batch_id, row_number, date::text as date, amount::text as amount, currency, payer_name,
          payer_iban, payee_name, payee_iban, reference, imported_at
        from finance_payments
        where org_id = ${actor.orgId}
          and (${iban}::text is null or payer_iban = ${iban}::text or payee_iban = ${iban}::text)
          and (${party}::text is null or payer_name_folded like ${party}::text or payee_name_folded like ${party}::text)
        order by date desc, imported_at desc, row_number
        limit ${limit}`.execute(tx);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'consultation',
        objectType: 'finance_payments',
        objectId: null,
        details: { party: q.party ?? null, iban, results: res.rows.length },
      });
      return res.rows.map((r) => ({
        id: r.id,
        date: r.date,
        amount: r.amount,
        currency: r.currency,
        payer: { name: r.payer_name, iban: r.payer_iban },
        payee: { name: r.payee_name, iban: r.payee_iban },
        reference: r.reference,
        batchId: r.batch_id,
        row: r.row_number,
        importedAt: r.imported_at.toISOString(),
      }));
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Trade-based money laundering (declarations of the actor's organisation, its own payment records)

  /** Over- and under-invoiced declarations with their linked-payment counts (see tbml.ts). */
  async tbml(actor: Actor, q: PriceOutlierQuery) {
    return tbmlView(this.db, this.audit, this.priceChecks(), actor, q);
  }

  private priceChecks(): PriceChecks {
    const checks = this.delivery?.priceChecks;
    if (!checks) throw new AppError('INTERNAL', 'The cargo price checks are not wired to this node');
    return checks;
  }

  /** A declaration's price check and the organisation's payments linked to its parties; 404 if not visible. */
  async tbmlPayments(actor: Actor, declarationId: string) {
    const r = await tbmlPayments(this.db, this.audit, this.priceChecks(), actor, declarationId);
    if (r === null) throw notFound('declaration');
    return r;
  }

  // -------------------------------------------------------------------------------------------------
  // Watches and alerts (organisation data)

  async watch(
    actor: Actor,
    input: {
      address?: string | undefined;
      clusterId?: number | undefined;
      note?: string;
      share?: WatchShare | undefined;
    },
  ) {
    requirePermission(actor, 'items:write');
    if (input.share) {
      // Checked now, so an import never meets a watch whose item could not be published.
      const c = input.share.communityId;
      if (c !== undefined && !actor.communityIds.includes(c)) throw notFound('community');
      const d = shareDistribution(input.share, actor.userId);
      checkDistribution(shareMarking(input.share), d);
    }
    const id = newId();
    const now = this.clock.now();
    let addressId: number | null = null;
    let clusterId: number | null = null;
    if (input.address !== undefined) {
      const c = this.canonical(input.address);
      await this.db.transaction().execute(async (tx) => {
        await store.lockLedger(tx);
        addressId = (await store.internAddresses(tx, [c])).ids.get(`${c.chain}:${c.address}`)!;
      });
    } else if (input.clusterId !== undefined) {
      if ((await store.clusterSize(this.db, input.clusterId)) === 0) throw notFound('cluster');
      clusterId = input.clusterId;
    } else {
      throw new AppError('VALIDATION_FAILED', 'Name an address or a cluster', [
        { path: 'address', message: 'required unless clusterId is given' },
      ]);
    }
    const row = {
      id,
      org_id: actor.orgId,
      created_by: actor.userId,
      address_id: addressId,
      cluster_id: clusterId,
      note: input.note ?? '',
      created_at: now,
      share_tlp: input.share?.tlp ?? null,
      share_community_id: input.share?.communityId ?? null,
    };
    await this.db.transaction().execute(async (tx) => {
      await store.t(tx).insertInto('finance_watches').values(row).execute();
      await this.audit.append(tx, subjectOf(actor), {
        action: 'collection',
        objectType: 'finance_watch',
        objectId: id,
        details: { addressId, clusterId, share: input.share?.tlp ?? null },
      });
    });
    return this.getWatch(actor, id);
  }

  async getWatch(actor: Actor, id: string) {
    requirePermission(actor, 'items:read');
    const row = isUuid(id)
      ? await store
          .t(this.db)
          .selectFrom('finance_watches as w')
          .leftJoin('addresses as a', 'a.id', 'w.address_id')
          .select([
            'w.id',
            'w.org_id',
            'w.address_id',
            'w.cluster_id',
            'w.note',
            'w.created_at',
            'w.share_tlp',
            'w.share_community_id',
            'a.address',
          ])
          .where('w.id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!row || row.org_id !== actor.orgId) throw notFound('watch');
    return watchOut(row);
  }

  async listWatches(actor: Actor) {
    requirePermission(actor, 'items:read');
    const rows = await store
      .t(this.db)
      .selectFrom('finance_watches as w')
      .leftJoin('addresses as a', 'a.id', 'w.address_id')
      .select([
        'w.id',
        'w.org_id',
        'w.address_id',
        'w.cluster_id',
        'w.note',
        'w.created_at',
        'w.share_tlp',
        'w.share_community_id',
        'a.address',
      ])
      .where('w.org_id', '=', actor.orgId)
      .orderBy('w.created_at', 'desc')
      .limit(1000)
      .execute();
    return rows.map(watchOut);
  }

  async unwatch(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'items:write');
    await this.db.transaction().execute(async (tx) => {
      const res = isUuid(id)
        ? await store
            .t(tx)
            .deleteFrom('finance_watches')
            .where('id', '=', id)
            .where('org_id', '=', actor.orgId)
            .executeTakeFirst()
        : undefined;
      if (!res || Number(res.numDeletedRows) === 0) throw notFound('watch');
      await this.audit.append(tx, subjectOf(actor), {
        action: 'erasure',
        objectType: 'finance_watch',
        objectId: id,
      });
    });
  }

  async listAlerts(actor: Actor, limit = 200) {
    requirePermission(actor, 'items:read');
    const rows = await store
      .t(this.db)
      .selectFrom('finance_alerts as al')
      .innerJoin('addresses as a', 'a.id', 'al.address_id')
      .select([
        'al.id',
        'al.watch_id',
        'al.direction',
        'al.chain',
        'al.txid',
        'al.height',
        sql<string>`al.amount::text`.as('amount'),
        'al.created_at',
        'al.item_id',
        'a.address',
      ])
      .where('al.org_id', '=', actor.orgId)
      .orderBy('al.created_at', 'desc')
      .orderBy('al.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      watchId: r.watch_id,
      direction: r.direction,
      chain: r.chain,
      address: r.address,
      txid: r.txid,
      height: r.height,
      amount: String(r.amount),
      createdAt: r.created_at.toISOString(),
      itemId: r.item_id,
    }));
  }

  async getAlert(actor: Actor, id: string) {
    requirePermission(actor, 'items:read');
    const all = isUuid(id)
      ? await store
          .t(this.db)
          .selectFrom('finance_alerts')
          .select(['id', 'org_id'])
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!all || all.org_id !== actor.orgId) throw notFound('alert');
    const list = await this.listAlerts(actor, 100_000);
    const a = list.find((x) => x.id === id);
    if (!a) throw notFound('alert');
    return a;
  }
}

function watchOut(r: {
  id: string;
  address_id: number | null;
  cluster_id: number | null;
  note: string;
  created_at: Date;
  share_tlp: WatchShare['tlp'] | null;
  share_community_id: string | null;
  address: string | null;
}) {
  return {
    id: r.id,
    address: r.address,
    clusterId: r.cluster_id,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    share: r.share_tlp ? { tlp: r.share_tlp, communityId: r.share_community_id } : null,
  };
}

/** A watch's request for a sharing item per alert. */
export interface WatchShare {
  tlp: Marking['tlp'];
  communityId?: string | undefined;
}

function shareMarking(s: { tlp: Marking['tlp'] }): Marking {
  return { tlp: s.tlp, handlingCode: null, sourceReliability: null, infoCredibility: null };
}

/** The community when one is named; else the watching organisation only (TLP:RED: the watch's author). */
function shareDistribution(
  s: { tlp: Marking['tlp']; communityId?: string | null | undefined },
  author: string,
) {
  return {
    orgs: [],
    users: s.tlp === 'RED' ? [author] : [],
    communities: s.communityId ? [s.communityId] : [],
    node: false,
  } satisfies Distribution;
}

/** The sharing item of an alert: the moving address as a crypto observable, no word of the watch itself. */
function alertItem(a: NewAlert, address: string): ItemInput {
  const moved = a.direction === 'inbound' ? 'received' : 'sent';
  const unit = a.chain === 'btc' ? ' sat' : '';
  return {
    kind: 'alert',
    title: `Watched ${a.chain.toUpperCase()} address ${moved} funds`,
    body: [
      `Address \`${address}\` ${moved} ${a.amount}${unit} in transaction \`${a.txid}\``,
      a.height === null ? '' : ` (${a.chain === 'btc' ? 'height' : 'block'} ${a.height})`,
      '.',
    ].join(''),
    marking: shareMarking({ tlp: a.watch.share_tlp! }),
    distribution: shareDistribution(
      { tlp: a.watch.share_tlp!, communityId: a.watch.share_community_id },
      a.watch.created_by,
    ),
    personalData: null,
    observables: [{ type: 'crypto', value: address }],
    addressees: [],
    deadline: null,
  };
}

export function tagOut(t: store.TagView) {
  return {
    id: t.id,
    address: t.address,
    clusterId: t.effective_cluster,
    label: t.label,
    category: t.category,
    abuse: t.abuse,
    source: t.source,
    confidence: t.confidence,
    isClusterDefiner: t.is_cluster_definer,
    tagpack: t.tagpack,
    ownerOrgId: t.owner_org_id,
    tlp: t.tlp,
    handlingCode: t.handling_code,
    createdAt: new Date(t.created_at).toISOString(),
  };
}

/** Sum of two non-negative decimal strings, exactly. */
export function addDecimal(a: string, b: string): string {
  const [ai, af = ''] = a.split('.');
  const [bi, bf = ''] = b.split('.');
  const scale = Math.max(af.length, bf.length);
  const x = BigInt(ai! + af.padEnd(scale, '0')) + BigInt(bi! + bf.padEnd(scale, '0'));
  if (scale === 0) return x.toString();
  const s = x.toString().padStart(scale + 1, '0');
  const frac = s.slice(-scale).replace(/0+$/, '');
  return frac ? `${s.slice(0, -scale)}.${frac}` : s.slice(0, -scale);
}
