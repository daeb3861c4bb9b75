/**
 * In-memory transaction graphs for tracing, in two shapes:
 * - UTXO (Bitcoin): transaction → outputs → the transaction that spends each output. Inputs point at the
 *   output they spend; value moves only through those links, which is what taint models need.
 * - Account (Ethereum/TRON token transfers): every transfer is an edge from → to of one token, ordered by
 *   (time, block, log index, order given). A balance mixes everything an address received earlier.
 *
 * Both are stored as typed-array columns with addresses interned to dense ids, so a graph built from the
 * 10 M-transaction synthetic ledger costs a few hundred bytes per transaction, not objects.
 */
import { AppError } from '../platform/errors.ts';
import type { ParsedBlock } from './block-parser.ts';
import type { UtxoLedger } from './utxo-ledger.ts';

export interface UtxoTransactionSpec {
  txid: string;
  /** Unix seconds (block time). */
  time?: number | null;
  /** Spent outputs; empty for a coinbase. `address`/`value` are used when the spent output is not in the graph. */
  inputs: readonly { txid: string; vout: number; address?: string | null; value?: number | bigint | null }[];
  outputs: readonly { address: string | null; value: number | bigint }[];
}

export interface AccountTransfer {
  from: string;
  to: string;
  /** Token symbol or contract ("ETH", "USDT", "0xdac1…"). Taint never flows between tokens. */
  token: string;
  /** In the token's base unit (wei, sun, …). Strings are parsed as decimal integers or decimals. */
  amount: number | bigint | string;
  /** Transaction hash. */
  hash: string;
  /** Unix seconds. */
  time: number;
  block?: number | null;
  /** Position inside the transaction (log index), to order several transfers of one transaction. */
  index?: number | null;
}

function importError(path: string, message: string): AppError {
  return new AppError('IMPORT_FAILED', `${path}: ${message}`, [{ path, message }]);
}

/** Address interning shared by both graph kinds. */
class AddressBook {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  get(name: string): number | undefined {
    return this.ids.get(name);
  }
}

/** CSR index: for each key 0..n-1, the item indices whose key is that, in increasing order. */
function buildIndex(
  keys: Int32Array,
  count: number,
  keySpace: number,
): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(keySpace + 1);
  for (let i = 0; i < count; i++) {
    const k = keys[i]!;
    if (k >= 0) start[k + 1]!++;
  }
  for (let k = 0; k < keySpace; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, keySpace);
  const items = new Int32Array(start[keySpace]!);
  for (let i = 0; i < count; i++) {
    const k = keys[i]!;
    if (k >= 0) items[fill[k]!++] = i;
  }
  return { start, items };
}

/** Largest t with starts[t] <= x (t in [0, n)). */
function owner(starts: Int32Array, n: number, x: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class UtxoGraph {
  readonly kind = 'utxo' as const;
  readonly unit = 'sat';
  readonly txCount: number;
  readonly addressCount: number;
  readonly txInputStart: Int32Array;
  readonly txOutputStart: Int32Array;
  /** Spent output (global index) per input; -1 when outside the graph. */
  readonly inputPrevOut: Int32Array;
  /** Address id per input; -1 when unknown. */
  readonly inputAddress: Int32Array;
  /** Value of inputs whose spent output is outside the graph (NaN when unknown); null if there are none. */
  readonly inputExternalValue: Float64Array | null;
  readonly outputAddress: Int32Array;
  readonly outputValue: Float64Array;
  /** Input (global index) spending each output; -1 while unspent. */
  readonly outputSpentBy: Int32Array;
  /** Unix seconds per transaction; NaN when unknown. */
  readonly txTime: Float64Array;
  private readonly txids: readonly string[] | null;
  private txidIndex: Map<string, number> | null = null;
  private readonly book: AddressBook | null;
  private readonly nameOf: ((id: number) => string) | null;
  private receivedIndex: { start: Int32Array; items: Int32Array } | null = null;
  private spentIndex: { start: Int32Array; items: Int32Array } | null = null;

  constructor(parts: {
    txCount: number;
    addressCount: number;
    txInputStart: Int32Array;
    txOutputStart: Int32Array;
    inputPrevOut: Int32Array;
    inputAddress: Int32Array;
    inputExternalValue: Float64Array | null;
    outputAddress: Int32Array;
    outputValue: Float64Array;
    outputSpentBy: Int32Array;
    txTime: Float64Array;
    txids: readonly string[] | null;
    book: AddressBook | null;
    nameOf: ((id: number) => string) | null;
  }) {
    this.txCount = parts.txCount;
    this.addressCount = parts.addressCount;
    this.txInputStart = parts.txInputStart;
    this.txOutputStart = parts.txOutputStart;
    this.inputPrevOut = parts.inputPrevOut;
    this.inputAddress = parts.inputAddress;
    this.inputExternalValue = parts.inputExternalValue;
    this.outputAddress = parts.outputAddress;
    this.outputValue = parts.outputValue;
    this.outputSpentBy = parts.outputSpentBy;
    this.txTime = parts.txTime;
    this.txids = parts.txids;
    this.book = parts.book;
    this.nameOf = parts.nameOf;
  }

  txid(t: number): string {
    return this.txids ? this.txids[t]! : `tx#${t}`;
  }

  txIndexOf(txid: string): number | undefined {
    if (!this.txids) {
      const m = /^tx#(\d+)$/.exec(txid);
      const t = m ? Number(m[1]) : -1;
      return t >= 0 && t < this.txCount ? t : undefined;
    }
    if (!this.txidIndex) {
      const index = new Map<string, number>();
      for (let i = 0; i < this.txids.length; i++) index.set(this.txids[i]!, i);
      this.txidIndex = index;
    }
    return this.txidIndex.get(txid);
  }

  addressName(id: number): string {
    if (this.book) return this.book.names[id]!;
    return this.nameOf ? this.nameOf(id) : `addr#${id}`;
  }

  addressIdOf(name: string): number | undefined {
    if (this.book) return this.book.get(name);
    const m = /^addr#(\d+)$/.exec(name);
    const id = m ? Number(m[1]) : -1;
    return id >= 0 && id < this.addressCount ? id : undefined;
  }

  /** Value of input i (from the spent output, or as given for external inputs; NaN if unknown). */
  inputValue(i: number): number {
    const prev = this.inputPrevOut[i]!;
    if (prev >= 0) return this.outputValue[prev]!;
    return this.inputExternalValue ? this.inputExternalValue[i]! : Number.NaN;
  }

  txOfOutput(o: number): number {
    return owner(this.txOutputStart, this.txCount, o);
  }

  txOfInput(i: number): number {
    // The largest t with start[t] <= i also has start[t+1] > i, so transactions without inputs
    // (equal consecutive starts) are skipped by construction.
    return owner(this.txInputStart, this.txCount, i);
  }

  /** Outputs (global indices) received by an address, in chain order. */
  outputsOf(addressId: number): Int32Array {
    if (!this.receivedIndex) {
      this.receivedIndex = buildIndex(this.outputAddress, this.outputAddress.length, this.addressCount);
    }
    const { start, items } = this.receivedIndex;
    return items.subarray(start[addressId]!, start[addressId + 1]!);
  }

  /** Inputs (global indices) spending from an address, in chain order. */
  inputsOf(addressId: number): Int32Array {
    if (!this.spentIndex) {
      this.spentIndex = buildIndex(this.inputAddress, this.inputAddress.length, this.addressCount);
    }
    const { start, items } = this.spentIndex;
    return items.subarray(start[addressId]!, start[addressId + 1]!);
  }

  /** Builds the lazy address indexes now (to keep them out of a timed query). */
  prepare(): void {
    this.outputsOf(0);
    this.inputsOf(0);
  }
}

/**
 * Builds a UTXO graph from transactions in chain order (a spent output must come from an earlier
 * transaction of the list, or be outside it).
 */
export function buildUtxoGraph(txs: readonly UtxoTransactionSpec[]): UtxoGraph {
  const book = new AddressBook();
  const T = txs.length;
  const txInputStart = new Int32Array(T + 1);
  const txOutputStart = new Int32Array(T + 1);
  const txIndex = new Map<string, number>();
  for (let t = 0; t < T; t++) {
    const tx = txs[t]!;
    if (txIndex.has(tx.txid)) throw importError(`transactions.${t}.txid`, `duplicate txid ${tx.txid}`);
    txIndex.set(tx.txid, t);
    txInputStart[t + 1] = txInputStart[t]! + tx.inputs.length;
    txOutputStart[t + 1] = txOutputStart[t]! + tx.outputs.length;
  }
  const I = txInputStart[T]!;
  const O = txOutputStart[T]!;
  const outputAddress = new Int32Array(O);
  const outputValue = new Float64Array(O);
  const outputSpentBy = new Int32Array(O).fill(-1);
  const inputPrevOut = new Int32Array(I);
  const inputAddress = new Int32Array(I);
  const inputExternalValue = new Float64Array(I).fill(Number.NaN);
  const txTime = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const tx = txs[t]!;
    txTime[t] = tx.time ?? Number.NaN;
    tx.outputs.forEach((out, j) => {
      const o = txOutputStart[t]! + j;
      outputAddress[o] = out.address === null ? -1 : book.intern(out.address);
      outputValue[o] = toAmount(out.value, `transactions.${t}.outputs.${j}.value`);
    });
  }
  for (let t = 0; t < T; t++) {
    const tx = txs[t]!;
    tx.inputs.forEach((inp, k) => {
      const i = txInputStart[t]! + k;
      const path = `transactions.${t}.inputs.${k}`;
      const prevTx = txIndex.get(inp.txid);
      if (prevTx === undefined) {
        inputPrevOut[i] = -1;
        inputAddress[i] = inp.address ? book.intern(inp.address) : -1;
        if (inp.value !== undefined && inp.value !== null)
          inputExternalValue[i] = toAmount(inp.value, `${path}.value`);
        return;
      }
      if (prevTx >= t) throw importError(path, `spends ${inp.txid} which is not earlier in the list`);
      const nOut = txOutputStart[prevTx + 1]! - txOutputStart[prevTx]!;
      if (!Number.isInteger(inp.vout) || inp.vout < 0 || inp.vout >= nOut) {
        throw importError(path, `output ${inp.vout} does not exist in ${inp.txid}`);
      }
      const o = txOutputStart[prevTx]! + inp.vout;
      if (outputSpentBy[o]! >= 0) throw importError(path, `double spend of ${inp.txid}:${inp.vout}`);
      outputSpentBy[o] = i;
      inputPrevOut[i] = o;
      inputAddress[i] = outputAddress[o]!;
    });
  }
  return new UtxoGraph({
    txCount: T,
    addressCount: book.names.length,
    txInputStart,
    txOutputStart,
    inputPrevOut,
    inputAddress,
    inputExternalValue,
    outputAddress,
    outputValue,
    outputSpentBy,
    txTime,
    txids: txs.map((t) => t.txid),
    book,
    nameOf: null,
  });
}

/**
 * Builds a UTXO graph from parsed blocks in chain order. Outputs without a standard address get none
 * (they show up as `txid:vout` in traces); inputs spending outputs of earlier blocks not given are
 * external, with unknown value and address.
 */
export function utxoGraphFromBlocks(blocks: readonly ParsedBlock[]): UtxoGraph {
  const specs: UtxoTransactionSpec[] = [];
  for (const block of blocks) {
    for (const tx of block.transactions) {
      specs.push({
        txid: tx.txid,
        time: block.header.time,
        inputs: tx.inputs.filter((i) => !i.coinbase).map((i) => ({ txid: i.prevTxid, vout: i.vout })),
        outputs: tx.outputs.map((o) => ({ address: o.address, value: o.value })),
      });
    }
  }
  return buildUtxoGraph(specs);
}

/**
 * Wraps ledger columns without copying them (only the spent-by index is built). Addresses are named
 * `addr#<id>` unless `addressName` is given; transactions `tx#<index>`.
 */
export function utxoGraphFromLedger(
  ledger: UtxoLedger,
  options: { addressName?: (id: number) => string } = {},
): UtxoGraph {
  const prev = ledger.inputPrevOut;
  if (!prev) throw importError('ledger.inputPrevOut', 'tracing needs the spent output of every input');
  const outputSpentBy = new Int32Array(ledger.outputCount).fill(-1);
  for (let i = 0; i < ledger.inputCount; i++) {
    const o = prev[i]!;
    if (o >= 0) outputSpentBy[o] = i;
  }
  return new UtxoGraph({
    txCount: ledger.txCount,
    addressCount: ledger.addressCount,
    txInputStart: ledger.txInputStart,
    txOutputStart: ledger.txOutputStart,
    inputPrevOut: prev.subarray(0, ledger.inputCount),
    inputAddress: ledger.inputAddress.subarray(0, ledger.inputCount),
    inputExternalValue: null,
    outputAddress: ledger.outputAddress.subarray(0, ledger.outputCount),
    outputValue: ledger.outputValue.subarray(0, ledger.outputCount),
    outputSpentBy,
    txTime: ledger.txTime ?? new Float64Array(ledger.txCount).fill(Number.NaN),
    txids: null,
    book: null,
    nameOf: options.addressName ?? null,
  });
}

function toAmount(v: number | bigint | string, path: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < 0) throw importError(path, `invalid amount ${String(v)}`);
  return n;
}

export class AccountGraph {
  readonly kind = 'account' as const;
  readonly transferCount: number;
  readonly addressCount: number;
  /** Columns in time order: position p is the p-th transfer chronologically. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly token: Int32Array;
  readonly amount: Float64Array;
  readonly time: Float64Array;
  readonly hash: readonly string[];
  readonly tokens: readonly string[];
  private readonly book: AddressBook;
  readonly outIndex: { start: Int32Array; items: Int32Array };
  readonly inIndex: { start: Int32Array; items: Int32Array };
  private hashIndex: Map<string, number[]> | null = null;

  constructor(transfers: readonly AccountTransfer[]) {
    const n = transfers.length;
    const order = transfers.map((_, i) => i);
    const key = (t: AccountTransfer): [number, number, number] => [t.time, t.block ?? 0, t.index ?? 0];
    transfers.forEach((t, i) => {
      if (!Number.isFinite(t.time)) throw importError(`transfers.${i}.time`, 'time must be unix seconds');
    });
    order.sort((a, b) => {
      const ka = key(transfers[a]!);
      const kb = key(transfers[b]!);
      return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || a - b;
    });
    this.book = new AddressBook();
    const tokenIds = new Map<string, number>();
    const tokens: string[] = [];
    this.from = new Int32Array(n);
    this.to = new Int32Array(n);
    this.token = new Int32Array(n);
    this.amount = new Float64Array(n);
    this.time = new Float64Array(n);
    const hash: string[] = new Array(n);
    order.forEach((src, p) => {
      const t = transfers[src]!;
      this.from[p] = this.book.intern(t.from);
      this.to[p] = this.book.intern(t.to);
      let tk = tokenIds.get(t.token);
      if (tk === undefined) {
        tk = tokens.length;
        tokenIds.set(t.token, tk);
        tokens.push(t.token);
      }
      this.token[p] = tk;
      this.amount[p] = toAmount(t.amount, `transfers.${src}.amount`);
      this.time[p] = t.time;
      hash[p] = t.hash;
    });
    this.hash = hash;
    this.tokens = tokens;
    this.transferCount = n;
    this.addressCount = this.book.names.length;
    this.outIndex = buildIndex(this.from, n, this.addressCount);
    this.inIndex = buildIndex(this.to, n, this.addressCount);
  }

  addressName(id: number): string {
    return this.book.names[id]!;
  }

  addressIdOf(name: string): number | undefined {
    return this.book.get(name);
  }

  /** Positions of outgoing transfers of an address, chronological. */
  outgoing(addressId: number): Int32Array {
    return this.outIndex.items.subarray(this.outIndex.start[addressId]!, this.outIndex.start[addressId + 1]!);
  }

  /** Positions of incoming transfers of an address, chronological. */
  incoming(addressId: number): Int32Array {
    return this.inIndex.items.subarray(this.inIndex.start[addressId]!, this.inIndex.start[addressId + 1]!);
  }

  /** Positions of the transfers of a transaction hash. */
  transfersOf(hash: string): readonly number[] {
    if (!this.hashIndex) {
      this.hashIndex = new Map();
      this.hash.forEach((h, p) => {
        const list = this.hashIndex!.get(h);
        if (list) list.push(p);
        else this.hashIndex!.set(h, [p]);
      });
    }
    return this.hashIndex.get(hash) ?? [];
  }
}

export function buildAccountGraph(transfers: readonly AccountTransfer[]): AccountGraph {
  return new AccountGraph(transfers);
}

export type TxGraph = UtxoGraph | AccountGraph;
