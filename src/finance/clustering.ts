/**
 * Address clustering with the multiple-input heuristic, incrementally, over dense integer address ids.
 *
 * Heuristic 1 of Meiklejohn et al. 2013 ("A Fistful of Bitcoins", IMC '13, §4.1; already in Reid &
 * Harrigan 2011): all inputs of a transaction are spent by one entity, which must hold all their keys,
 * so their addresses belong to one cluster. It is wrong for CoinJoin, where several people sign one
 * transaction, so CoinJoin-like transactions are skipped (rule below). Coinbase transactions have no
 * spent inputs and link nothing.
 *
 * Data structure: union-find (Tarjan 1975) in one interleaved Int32Array: slot 2x is x's parent, or at a
 * root the negated cluster size (union by size); slot 2x+1 is the cluster id (meaningful at roots). With
 * path halving this gives near-constant amortised cost per input without recursion, and a root's size and
 * id share a cache line, which matters once the arrays outgrow the CPU caches (tens of millions of
 * addresses). The array grows by doubling as new address ids appear.
 *
 * STABLE CLUSTER IDS. A cluster's id is the smallest address id it contains. That is a function of the
 * partition alone, and the partition after a set of transactions is the transitive closure of their
 * links, whatever the order or batching in which they were applied; so processing block by block, all at
 * once or in any order yields the same ids. When ids are allocated in order of first appearance (as
 * importers and the synthetic ledger do), the smallest id is also the cluster's oldest address. The root
 * of the union-find tree is an implementation detail (it depends on union order) and is never exposed.
 *
 * Optional change heuristic (Meiklejohn et al. 2013, Heuristic 2, §4.3), off by default. Its links are
 * weaker evidence and are kept apart, as an edge list with a confidence, never mixed into the
 * multi-input clusters; `clusterOfWithChange` gives the combined view on demand.
 */
import { AppError } from '../platform/errors.ts';
import type { UtxoLedger } from './utxo-ledger.ts';

export interface ClusterOutput {
  addressId: number;
  /** Satoshis. */
  value: number | bigint;
}

/** One union: the cluster `absorbed` (by id) became part of cluster `survivor` at transaction `txIndex`. */
export interface MergeRecord {
  survivor: number;
  absorbed: number;
  txIndex: number;
}

export interface ChangeLink {
  txIndex: number;
  changeAddressId: number;
  /** The first input address of the transaction: the change joins that spender's cluster. */
  inputAddressId: number;
  /** Ordinal strength of the guess (0..1), not a calibrated probability: see CHANGE_CONFIDENCE_*. */
  confidence: number;
  /** Transaction at which the address received again (it was not one-time change after all), or null. */
  revokedAtTx: number | null;
}

export type TxVerdict = 'coinbase' | 'coinjoin' | 'merged' | 'single';

/**
 * Decides whether a transaction looks like a CoinJoin. Gets the number of inputs and the output values
 * `values[start, end)` (satoshis).
 */
export type CoinJoinRule = (inputCount: number, values: Float64Array, start: number, end: number) => boolean;

export interface ClustererOptions {
  /** Record one-time-change links (Meiklejohn Heuristic 2). Default false. */
  changeHeuristic?: boolean;
  /** CoinJoin detector; null disables the check (every multi-input transaction merges). */
  coinJoinRule?: CoinJoinRule | null;
  /** Expected number of address ids, to avoid regrowing. */
  initialCapacity?: number;
}

/**
 * Default CoinJoin rule, after the equal-output criterion of Kalodner et al. 2017 ("BlockSci", used for
 * CoinJoin detection there) and Möser & Böhme 2017 ("Anonymous Alone? Measuring Bitcoin's Second-
 * Generation Anonymization Techniques", JoinMarket detection). Let k be the largest number of outputs
 * sharing one non-zero value. The transaction is CoinJoin-like when
 *   inputs ≥ 2, outputs ≥ 3, k ≥ 2,
 *   inputs ≥ k          (each of the k participants brings at least one input), and
 *   outputs ≤ 2k + 1    (each participant gets one mixed output and at most one change output, plus
 *                        possibly a coordinator fee output).
 * This catches Wasabi 1, Whirlpool and JoinMarket shapes. Erring towards "CoinJoin" only costs a missed
 * merge, while a missed CoinJoin would fuse unrelated users, so the rule is deliberately broad.
 */
export const isCoinJoinLike: CoinJoinRule = (inputCount, values, start, end) => {
  const nOut = end - start;
  if (inputCount < 2 || nOut < 3) return false;
  const k = maxEqualValueCount(values, start, end);
  return k >= 2 && inputCount >= k && nOut <= 2 * k + 1;
};

let sortScratch = new Float64Array(256);

/** Largest multiplicity of a non-zero value among values[start, end). */
export function maxEqualValueCount(values: Float64Array, start: number, end: number): number {
  const n = end - start;
  let best = 0;
  if (n <= 48) {
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      if (v === 0) continue;
      let c = 0;
      for (let j = start; j < end; j++) if (values[j] === v) c++;
      if (c > best) best = c;
    }
    return best;
  }
  if (sortScratch.length < n) sortScratch = new Float64Array(n * 2);
  const s = sortScratch.subarray(0, n);
  s.set(values.subarray(start, end));
  s.sort();
  let run = 0;
  for (let i = 0; i < n; i++) {
    run = i > 0 && s[i] === s[i - 1] ? run + 1 : 1;
    if (s[i] !== 0 && run > best) best = run;
  }
  return best;
}

/** Only fresh output among at least two, in a two-output transaction: the classic payment + change. */
export const CHANGE_CONFIDENCE_TWO_OUTPUTS = 0.8;
/** Only fresh output of a transaction with three or more outputs (batch payments weaken the signal). */
export const CHANGE_CONFIDENCE_MANY_OUTPUTS = 0.6;

function grow<T extends Int32Array | Float64Array | Uint8Array | Float32Array>(a: T, min: number): T {
  let cap = Math.max(16, a.length);
  while (cap < min) cap *= 2;
  if (cap === a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

export class AddressClusterer {
  /** uf[2x]: parent of x, or -size at a root; uf[2x+1]: cluster id (smallest address id) at a root. */
  private uf: Int32Array;
  private capacity: number;
  /** 1 + the largest address id registered so far. */
  private span = 0;
  private txCounter = 0;
  private inputsSeen = 0;
  private coinJoins = 0;
  private readonly rule: CoinJoinRule | null;

  private mergeSurvivor = new Int32Array(1024);
  private mergeAbsorbed = new Int32Array(1024);
  private mergeTx = new Int32Array(1024);
  private mergeN = 0;

  private readonly change: boolean;
  /** 1 once an address has appeared in any input or output (change heuristic only). */
  private seen: Uint8Array;
  /** Transaction stamp per address, to find self-change without a quadratic scan. */
  private stamp: Int32Array;
  /** Index of the active change link whose change address this is, else -1. */
  private linkOf: Int32Array;
  private linkTx = new Int32Array(256);
  private linkChange = new Int32Array(256);
  private linkInput = new Int32Array(256);
  private linkConfidence = new Float32Array(256);
  private linkRevoked = new Int32Array(256);
  private linkN = 0;
  private combined: { parent: Int32Array; minId: Int32Array } | null = null;

  private inScratch = new Int32Array(64);
  private outAddrScratch = new Int32Array(64);
  private outValScratch = new Float64Array(64);

  constructor(options: ClustererOptions = {}) {
    this.rule = options.coinJoinRule === undefined ? isCoinJoinLike : options.coinJoinRule;
    this.change = options.changeHeuristic ?? false;
    this.capacity = 0;
    this.uf = new Int32Array(0);
    this.seen = new Uint8Array(0);
    this.stamp = new Int32Array(0);
    this.linkOf = new Int32Array(0);
    this.reserve(Math.max(16, options.initialCapacity ?? 1024));
  }

  /** Registers address id `id` (ids up to it start as singletons). */
  private ensure(id: number): void {
    if (id >= this.capacity) {
      if (id < 0 || !Number.isInteger(id) || id > 0x7ffffffe) {
        throw new AppError('BAD_REQUEST', `address id ${id} is not a non-negative 31-bit integer`);
      }
      let cap = Math.max(16, this.capacity);
      while (cap <= id) cap *= 2;
      this.reserve(cap);
    }
    if (id >= this.span) this.span = id + 1;
  }

  private reserve(cap: number): void {
    const old = this.capacity;
    if (cap <= old) return;
    const uf = new Int32Array(cap * 2);
    uf.set(this.uf.subarray(0, old * 2));
    for (let i = old; i < cap; i++) {
      uf[2 * i] = -1;
      uf[2 * i + 1] = i;
    }
    this.uf = uf;
    if (this.change) {
      this.seen = grow(this.seen, cap);
      this.stamp = grow(this.stamp, cap);
      this.stamp.fill(-1, old);
      this.linkOf = grow(this.linkOf, cap);
      this.linkOf.fill(-1, old);
    }
    this.capacity = cap;
  }

  private find(x: number): number {
    const uf = this.uf;
    let px = uf[2 * x]!;
    if (px < 0) return x;
    let ppx = uf[2 * px]!;
    while (ppx >= 0) {
      uf[2 * x] = ppx; // path halving: point to the grandparent, then continue from it
      x = ppx;
      px = uf[2 * x]!;
      if (px < 0) return x;
      ppx = uf[2 * px]!;
    }
    return px;
  }

  /** Unites two distinct roots; returns the new root and logs the merge in cluster-id terms. */
  private link(ra: number, rb: number, tx: number): number {
    const uf = this.uf;
    let big = ra;
    let small = rb;
    // Sizes are stored negated at the roots: the more negative, the bigger.
    if (uf[2 * ra]! > uf[2 * rb]!) {
      big = rb;
      small = ra;
    }
    uf[2 * big]! += uf[2 * small]!;
    uf[2 * small] = big;
    const ma = uf[2 * ra + 1]!;
    const mb = uf[2 * rb + 1]!;
    const survivor = Math.min(ma, mb);
    uf[2 * big + 1] = survivor;
    const n = this.mergeN;
    if (n === this.mergeTx.length) {
      this.mergeSurvivor = grow(this.mergeSurvivor, n + 1);
      this.mergeAbsorbed = grow(this.mergeAbsorbed, n + 1);
      this.mergeTx = grow(this.mergeTx, n + 1);
    }
    this.mergeSurvivor[n] = survivor;
    this.mergeAbsorbed[n] = Math.max(ma, mb);
    this.mergeTx[n] = tx;
    this.mergeN = n + 1;
    return big;
  }

  /**
   * The shared core: inputs are inAddr[inS, inE), outputs outAddr/outVal[outS, outE). Negative address
   * ids (unknown or address-less scripts) are ignored.
   */
  private process(
    inAddr: Int32Array,
    inS: number,
    inE: number,
    outAddr: Int32Array,
    outVal: Float64Array,
    outS: number,
    outE: number,
  ): TxVerdict {
    const tx = this.txCounter++;
    const nIn = inE - inS;
    this.inputsSeen += nIn;
    let maxId = -1;
    for (let i = inS; i < inE; i++) if (inAddr[i]! > maxId) maxId = inAddr[i]!;
    for (let i = outS; i < outE; i++) if (outAddr[i]! > maxId) maxId = outAddr[i]!;
    if (maxId >= this.span) this.ensure(maxId);

    let verdict: TxVerdict;
    if (nIn === 0) {
      verdict = 'coinbase';
    } else if (this.rule !== null && nIn >= 2 && this.rule(nIn, outVal, outS, outE)) {
      verdict = 'coinjoin';
      this.coinJoins++;
    } else {
      verdict = 'single';
      let root = -1;
      for (let i = inS; i < inE; i++) {
        const a = inAddr[i]!;
        if (a < 0) continue;
        const r = this.find(a);
        if (root < 0) root = r;
        else if (r !== root) {
          root = this.link(root, r, tx);
          verdict = 'merged';
        }
      }
    }
    if (this.change) this.changeStep(tx, verdict, inAddr, inS, inE, outAddr, outS, outE);
    return verdict;
  }

  /**
   * Meiklejohn et al. 2013 Heuristic 2: an output address is one-time change when (1) this is its first
   * appearance, (2) the transaction is not a coinbase, (3) no output goes back to an input address
   * (self-change), and (4) it is the only output address appearing for the first time. We also require
   * at least two outputs and skip CoinJoins. Their refinement against false positives is applied
   * incrementally: a change address that later receives again loses its link (revokedAtTx).
   */
  private changeStep(
    tx: number,
    verdict: TxVerdict,
    inAddr: Int32Array,
    inS: number,
    inE: number,
    outAddr: Int32Array,
    outS: number,
    outE: number,
  ): void {
    const seen = this.seen;
    const stamp = this.stamp;
    let firstInput = -1;
    for (let i = inS; i < inE; i++) {
      const a = inAddr[i]!;
      if (a < 0) continue;
      stamp[a] = tx;
      if (firstInput < 0) firstInput = a;
    }
    let fresh = -1;
    let freshCount = 0;
    let selfChange = false;
    for (let i = outS; i < outE; i++) {
      const a = outAddr[i]!;
      if (a < 0) continue;
      if (stamp[a] === tx) selfChange = true;
      if (seen[a] === 0) {
        if (a !== fresh) freshCount++;
        fresh = a;
      } else {
        const l = this.linkOf[a]!;
        if (l >= 0 && this.linkRevoked[l]! < 0) {
          this.linkRevoked[l] = tx; // reused: it was not one-time change
          this.linkOf[a] = -1;
          this.combined = null;
        }
      }
    }
    const nOut = outE - outS;
    if (
      (verdict === 'single' || verdict === 'merged') &&
      firstInput >= 0 &&
      nOut >= 2 &&
      freshCount === 1 &&
      !selfChange
    ) {
      const n = this.linkN;
      if (n === this.linkTx.length) {
        this.linkTx = grow(this.linkTx, n + 1);
        this.linkChange = grow(this.linkChange, n + 1);
        this.linkInput = grow(this.linkInput, n + 1);
        this.linkConfidence = grow(this.linkConfidence, n + 1);
        this.linkRevoked = grow(this.linkRevoked, n + 1);
      }
      this.linkTx[n] = tx;
      this.linkChange[n] = fresh;
      this.linkInput[n] = firstInput;
      this.linkConfidence[n] = nOut === 2 ? CHANGE_CONFIDENCE_TWO_OUTPUTS : CHANGE_CONFIDENCE_MANY_OUTPUTS;
      this.linkRevoked[n] = -1;
      this.linkOf[fresh] = n;
      this.linkN = n + 1;
      this.combined = null;
    }
    for (let i = inS; i < inE; i++) if (inAddr[i]! >= 0) seen[inAddr[i]!] = 1;
    for (let i = outS; i < outE; i++) if (outAddr[i]! >= 0) seen[outAddr[i]!] = 1;
  }

  /**
   * Adds one transaction (chain order). `coinbase` marks a coinbase even if it lists inputs (they are
   * then ignored); a transaction without input addresses is treated as one anyway.
   */
  addTransaction(
    inputAddressIds: readonly number[],
    outputs: readonly ClusterOutput[],
    options: { coinbase?: boolean } = {},
  ): TxVerdict {
    const nIn = options.coinbase ? 0 : inputAddressIds.length;
    const nOut = outputs.length;
    if (this.inScratch.length < nIn) this.inScratch = new Int32Array(nIn * 2);
    if (this.outAddrScratch.length < nOut) {
      this.outAddrScratch = new Int32Array(nOut * 2);
      this.outValScratch = new Float64Array(nOut * 2);
    }
    for (let i = 0; i < nIn; i++) this.inScratch[i] = checkId(inputAddressIds[i]!);
    for (let i = 0; i < nOut; i++) {
      const o = outputs[i]!;
      this.outAddrScratch[i] = checkId(o.addressId);
      this.outValScratch[i] = Number(o.value);
    }
    return this.process(this.inScratch, 0, nIn, this.outAddrScratch, this.outValScratch, 0, nOut);
  }

  /** Adds ledger transactions [fromTx, toTx) straight from the columns (the fast path). */
  addLedger(ledger: UtxoLedger, fromTx = 0, toTx = ledger.txCount): void {
    const { txInputStart, txOutputStart, inputAddress, outputAddress, outputValue } = ledger;
    if (ledger.addressCount > 0) this.ensure(ledger.addressCount - 1);
    for (let t = fromTx; t < toTx; t++) {
      this.process(
        inputAddress,
        txInputStart[t]!,
        txInputStart[t + 1]!,
        outputAddress,
        outputValue,
        txOutputStart[t]!,
        txOutputStart[t + 1]!,
      );
    }
  }

  /** Stable cluster id: the smallest address id in the address's cluster (itself if never linked). */
  clusterOf(addressId: number): number {
    if (addressId < 0 || addressId >= this.capacity) return addressId;
    return this.uf[2 * this.find(addressId) + 1]!;
  }

  sameCluster(a: number, b: number): boolean {
    return this.clusterOf(a) === this.clusterOf(b);
  }

  clusterSize(addressId: number): number {
    if (addressId < 0 || addressId >= this.capacity) return 1;
    return -this.uf[2 * this.find(addressId)]!;
  }

  /** Cluster id of every address id 0 .. addressSpan-1. */
  partition(): Int32Array {
    const out = new Int32Array(this.span);
    for (let i = 0; i < this.span; i++) out[i] = this.uf[2 * this.find(i) + 1]!;
    return out;
  }

  /** Number of distinct clusters among address ids 0 .. addressSpan-1. */
  clusterCount(): number {
    let n = 0;
    for (let i = 0; i < this.span; i++) if (this.uf[2 * i]! < 0) n++;
    return n;
  }

  get addressSpan(): number {
    return this.span;
  }
  get transactionCount(): number {
    return this.txCounter;
  }
  get inputCount(): number {
    return this.inputsSeen;
  }
  get coinJoinCount(): number {
    return this.coinJoins;
  }
  get mergeCount(): number {
    return this.mergeN;
  }

  mergeAt(i: number): MergeRecord {
    if (i < 0 || i >= this.mergeN) throw new AppError('NOT_FOUND', `no merge ${i}`);
    return { survivor: this.mergeSurvivor[i]!, absorbed: this.mergeAbsorbed[i]!, txIndex: this.mergeTx[i]! };
  }

  /** The merge log, oldest first (materialised as objects: use mergeAt for very long logs). */
  merges(): MergeRecord[] {
    const out: MergeRecord[] = new Array(this.mergeN);
    for (let i = 0; i < this.mergeN; i++) out[i] = this.mergeAt(i);
    return out;
  }

  /** Change links found so far (empty unless the change heuristic is on). */
  changeLinks(): ChangeLink[] {
    const out: ChangeLink[] = new Array(this.linkN);
    for (let i = 0; i < this.linkN; i++) {
      const revoked = this.linkRevoked[i]!;
      out[i] = {
        txIndex: this.linkTx[i]!,
        changeAddressId: this.linkChange[i]!,
        inputAddressId: this.linkInput[i]!,
        confidence: Math.round(this.linkConfidence[i]! * 100) / 100,
        revokedAtTx: revoked < 0 ? null : revoked,
      };
    }
    return out;
  }

  /**
   * Cluster id in the combined view: multi-input clusters joined by the change links that are not
   * revoked and have at least `minConfidence`. Same id rule (smallest address id). Built on demand on a
   * copy, so the multi-input clusters are never altered.
   */
  clusterOfWithChange(addressId: number, minConfidence = 0): number {
    if (addressId < 0 || addressId >= this.span) return addressId;
    const view = this.combinedView(minConfidence);
    let x = addressId;
    while (view.parent[x] !== x) x = view.parent[x]!;
    return view.minId[x]!;
  }

  private combinedMin = -1;

  private combinedView(minConfidence: number): { parent: Int32Array; minId: Int32Array } {
    if (this.combined && this.combinedMin === minConfidence) return this.combined;
    const n = this.span;
    const parent = new Int32Array(n);
    const minId = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      parent[i] = r;
      minId[i] = this.uf[2 * r + 1]!;
    }
    const root = (x: number): number => {
      while (parent[x] !== x) {
        parent[x] = parent[parent[x]!]!;
        x = parent[x]!;
      }
      return x;
    };
    for (let l = 0; l < this.linkN; l++) {
      if (this.linkRevoked[l]! >= 0 || this.linkConfidence[l]! < minConfidence) continue;
      const a = root(this.linkChange[l]!);
      const b = root(this.linkInput[l]!);
      if (a === b) continue;
      const m = Math.min(minId[a]!, minId[b]!);
      parent[b] = a;
      minId[a] = m;
    }
    this.combined = { parent, minId };
    this.combinedMin = minConfidence;
    return this.combined;
  }
}

function checkId(id: number): number {
  if (!Number.isInteger(id) || id < -1 || id > 0x7ffffffe) {
    throw new AppError('BAD_REQUEST', `address id ${id} is not an integer in [-1, 2^31-2]`);
  }
  return id;
}

/** Clusters a whole ledger in one pass ("all at once"). */
export function clusterLedger(ledger: UtxoLedger, options: ClustererOptions = {}): AddressClusterer {
  const c = new AddressClusterer({ ...options, initialCapacity: Math.max(ledger.addressCount, 16) });
  c.addLedger(ledger);
  return c;
}
