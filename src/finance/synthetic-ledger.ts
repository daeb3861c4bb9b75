/**
 * Deterministic synthetic UTXO ledger for benchmarks and the demo world, as typed-array columns (see
 * utxo-ledger.ts): 10 M transactions must not mean tens of millions of JS objects.
 *
 * The world, with ground truth (owner entity of every address):
 * - users with power-law activity: the user of rank r (0-based, among U) is drawn with density
 *   ∝ (r/U)^(-2/3) (r = U·u³ for uniform u), so a few users are very active and most rarely act;
 *   payments use fresh addresses 70 % of the time, change goes to a fresh address, the last address,
 *   or back to an input address (self-change);
 * - exchanges with a hot wallet: per-user deposit addresses, batch withdrawals to users, and periodic
 *   consolidations sweeping many deposit coins into the hot wallet (the large multi-input transactions);
 * - a mining pool receiving the coinbase of every block and paying out in batches;
 * - a CoinJoin coordinator: transactions with k participants, k equal-valued outputs, one change each and a
 *   coordinator fee output (they match clustering.ts's CoinJoin rule);
 * - peel chains: a large coin repeatedly split into a small payment and a remainder sent to a fresh
 *   address of the same owner;
 * - a planted trafficking network (PLANTED_ADDRESSES): street-level distributors receive many small
 *   customer payments on published addresses, sweep them to a broker, who pays the supplier and cashes out
 *   the rest through a peel chain into exchange deposit addresses.
 * An exchange that cannot fund a withdrawal receives a coinbase-like infusion: it stands in for the
 * market, which this model does not simulate.
 *
 * Determinism: a single xoshiro128** generator (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2018) seeded through the splitmix32/murmur3 finaliser; same options ⇒ same bytes.
 */
import { AppError } from '../platform/errors.ts';
import type { UtxoLedger } from './utxo-ledger.ts';

/** Small seeded PRNG (xoshiro128**). Not for cryptography. */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      // splitmix32: golden-ratio increment, then the murmur3 32-bit finaliser.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextU32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export const ENTITY_KIND = { user: 0, exchange: 1, pool: 2, coordinator: 3, planted: 4 } as const;
export const TX_KIND = {
  coinbase: 0,
  payment: 1,
  withdrawal: 2,
  consolidation: 3,
  coinjoin: 4,
  peel: 5,
  planted: 6,
  poolPayout: 7,
} as const;

/**
 * The planted network of the demo world. Address ids equal entity ids for these roles, and they are
 * fixed whatever the options: supplier 0, broker 1, distributors 2..6. The broker's peel-chain change
 * addresses are fresh ids owned by entity 1.
 */
export const PLANTED_ADDRESSES = {
  supplier: 0,
  broker: 1,
  distributors: [2, 3, 4, 5, 6],
} as const;

export interface SyntheticLedgerOptions {
  transactions: number;
  seed?: number;
  /** Default: max(200, transactions / 8). */
  users?: number;
  /** Default 4. */
  exchanges?: number;
  /** Transactions per block (one coinbase each). Default 2000. */
  txPerBlock?: number;
  /** Time of the first block, unix seconds. Default 2023-01-01T00:00:00Z. */
  startTime?: number;
}

export interface SyntheticLedger extends UtxoLedger {
  inputPrevOut: Int32Array;
  txTime: Float64Array;
  /** TX_KIND per transaction. */
  txKind: Uint8Array;
  /** Ground truth: owning entity of each address. */
  addressOwner: Int32Array;
  entityCount: number;
  /** ENTITY_KIND per entity. */
  entityKind: Uint8Array;
  /** Entity ids of the exchanges. */
  exchangeEntities: number[];
  poolEntity: number;
  coordinatorEntity: number;
}

const COIN = 100_000_000;
const DUST = 546;
const PLANTED_COUNT = 7;

class GrowI32 {
  a: Int32Array;
  n = 0;
  constructor(cap: number) {
    this.a = new Int32Array(Math.max(16, Math.ceil(cap)));
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(Math.ceil(this.a.length * 1.5));
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  view(): Int32Array {
    return this.a.subarray(0, this.n);
  }
}

class GrowF64 {
  a: Float64Array;
  n = 0;
  constructor(cap: number) {
    this.a = new Float64Array(Math.max(16, Math.ceil(cap)));
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(Math.ceil(this.a.length * 1.5));
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  view(): Float64Array {
    return this.a.subarray(0, this.n);
  }
}

interface PeelChain {
  entity: number;
  utxo: number;
  stepsLeft: number;
  /** Pays exchange deposits (cash-out) rather than users. */
  cashOut: boolean;
}

class Builder {
  readonly rng: Prng;
  readonly txCount: number;
  readonly txInputStart: Int32Array;
  readonly txOutputStart: Int32Array;
  readonly txTime: Float64Array;
  readonly txKind: Uint8Array;
  t = 0;
  readonly inAddr: GrowI32;
  readonly inPrev: GrowI32;
  readonly outAddr: GrowI32;
  readonly outVal: GrowF64;
  /** Next coin in the owner's unspent list (LIFO linked list through output indices). */
  readonly outNext: GrowI32;
  readonly addrOwner: GrowI32;

  readonly entityCount: number;
  readonly entityKind: Uint8Array;
  readonly head: Int32Array;
  readonly coins: Int32Array;
  readonly balance: Float64Array;
  readonly lastAddress: Int32Array;
  /** Deposit address per (entity, exchange index), -1 until first used. */
  readonly deposit: Int32Array;

  readonly users: number;
  readonly firstUser: number;
  readonly exchanges: number[];
  readonly pool: number;
  readonly coordinator: number;
  readonly chains: PeelChain[] = [];
  readonly txPerBlock: number;
  readonly startTime: number;

  constructor(o: SyntheticLedgerOptions) {
    this.txCount = o.transactions;
    this.rng = new Prng(o.seed ?? 1);
    const nEx = o.exchanges ?? 4;
    this.users = o.users ?? Math.max(200, Math.floor(o.transactions / 8));
    this.txPerBlock = o.txPerBlock ?? 2000;
    this.startTime = o.startTime ?? 1_672_531_200;
    const T = this.txCount;
    this.txInputStart = new Int32Array(T + 1);
    this.txOutputStart = new Int32Array(T + 1);
    this.txTime = new Float64Array(T);
    this.txKind = new Uint8Array(T);
    // Measured averages are ~2.45 inputs, ~3.07 outputs and ~2.33 addresses per transaction: start a
    // little above, so a 10 M ledger does not pay for a doubling (and its memory peak).
    this.inAddr = new GrowI32(T * 2.55 + 1024);
    this.inPrev = new GrowI32(T * 2.55 + 1024);
    this.outAddr = new GrowI32(T * 3.15 + 1024);
    this.outVal = new GrowF64(T * 3.15 + 1024);
    this.outNext = new GrowI32(T * 3.15 + 1024);
    this.addrOwner = new GrowI32(T * 2.4 + 1024);

    this.exchanges = [];
    for (let i = 0; i < nEx; i++) this.exchanges.push(PLANTED_COUNT + i);
    this.pool = PLANTED_COUNT + nEx;
    this.coordinator = this.pool + 1;
    this.firstUser = this.coordinator + 1;
    this.entityCount = this.firstUser + this.users;
    const E = this.entityCount;
    this.entityKind = new Uint8Array(E);
    this.head = new Int32Array(E).fill(-1);
    this.coins = new Int32Array(E);
    this.balance = new Float64Array(E);
    this.lastAddress = new Int32Array(E).fill(-1);
    this.deposit = new Int32Array(E * nEx).fill(-1);
    for (let e = 0; e < PLANTED_COUNT; e++) {
      this.entityKind[e] = ENTITY_KIND.planted;
      this.newAddress(e); // address id e: the fixed PLANTED_ADDRESSES
    }
    for (const x of this.exchanges) {
      this.entityKind[x] = ENTITY_KIND.exchange;
      this.newAddress(x); // hot wallet address, reused
    }
    this.entityKind[this.pool] = ENTITY_KIND.pool;
    this.newAddress(this.pool);
    this.entityKind[this.coordinator] = ENTITY_KIND.coordinator;
    this.newAddress(this.coordinator);
  }

  newAddress(entity: number): number {
    const id = this.addrOwner.n;
    this.addrOwner.push(entity);
    this.lastAddress[entity] = id;
    return id;
  }

  /** Receiving address of a user: fresh with probability pFresh, else the last one. */
  userAddress(user: number, pFresh: number): number {
    const last = this.lastAddress[user]!;
    return last < 0 || this.rng.float() < pFresh ? this.newAddress(user) : last;
  }

  depositAddress(entity: number, exIndex: number): number {
    const k = entity * this.exchanges.length + exIndex;
    let a = this.deposit[k]!;
    if (a < 0) {
      a = this.addrOwner.n;
      this.addrOwner.push(this.exchanges[exIndex]!);
      this.deposit[k] = a;
    }
    return a;
  }

  pickUser(): number {
    const u = this.rng.float();
    return this.firstUser + Math.floor(this.users * u * u * u);
  }

  fee(): number {
    return 1000 + this.rng.int(9000);
  }

  begin(kind: number): void {
    const t = this.t;
    this.txInputStart[t] = this.inAddr.n;
    this.txOutputStart[t] = this.outAddr.n;
    this.txTime[t] = this.startTime + Math.floor(t / this.txPerBlock) * 600;
    this.txKind[t] = kind;
  }

  end(): void {
    this.t++;
    this.txInputStart[this.t] = this.inAddr.n;
    this.txOutputStart[this.t] = this.outAddr.n;
  }

  spend(o: number): number {
    this.inAddr.push(this.outAddr.a[o]!);
    this.inPrev.push(o);
    return this.outVal.a[o]!;
  }

  /** Pops the owner's most recent coin; -1 if none. */
  pop(entity: number): number {
    const o = this.head[entity]!;
    if (o < 0) return -1;
    this.head[entity] = this.outNext.a[o]!;
    this.coins[entity]!--;
    this.balance[entity]! -= this.outVal.a[o]!;
    return o;
  }

  /** Adds an output; listed under `wallet`'s unspent coins unless wallet < 0 (held by a peel chain). */
  output(address: number, value: number, wallet: number): number {
    const o = this.outAddr.n;
    this.outAddr.push(address);
    this.outVal.push(value);
    if (wallet >= 0) {
      this.outNext.push(this.head[wallet]!);
      this.head[wallet] = o;
      this.coins[wallet]!++;
      this.balance[wallet]! += value;
    } else {
      this.outNext.push(-1);
    }
    return o;
  }

  /** Spends the entity's coins until `target` is covered (at most maxInputs); returns the sum spent. */
  gather(entity: number, target: number, maxInputs: number): number {
    let sum = 0;
    for (let k = 0; k < maxInputs && sum < target; k++) {
      const o = this.pop(entity);
      if (o < 0) break;
      sum += this.spend(o);
    }
    return sum;
  }

  full(): boolean {
    return this.t >= this.txCount;
  }

  coinbase(address: number, wallet: number, value: number): void {
    this.begin(TX_KIND.coinbase);
    this.output(address, value, wallet);
    this.end();
  }

  // --- transaction shapes -------------------------------------------------------------------------

  payment(): void {
    const payer = this.pickUser();
    if (this.balance[payer]! < 50_000) {
      this.withdrawal(payer);
      return;
    }
    const r = this.rng;
    const amount = Math.max(10_000, Math.floor(this.balance[payer]! * (0.05 + 0.6 * r.float())));
    const fee = this.fee();
    this.begin(TX_KIND.payment);
    const inStart = this.inAddr.n;
    const sum = this.gather(payer, amount + fee, 200);
    const [pay, change] = split(sum, amount, fee);
    let to: number;
    let toWallet: number;
    if (r.float() < 0.2) {
      const ex = r.int(this.exchanges.length);
      to = this.depositAddress(payer, ex);
      toWallet = this.exchanges[ex]!;
    } else {
      let payee = this.pickUser();
      if (payee === payer) payee = this.firstUser + ((payee - this.firstUser + 1) % this.users);
      to = this.userAddress(payee, 0.7);
      toWallet = payee;
    }
    const changeFirst = r.float() < 0.5;
    if (change > 0 && changeFirst) this.output(this.changeAddress(payer, inStart), change, payer);
    this.output(to, pay, toWallet);
    if (change > 0 && !changeFirst) this.output(this.changeAddress(payer, inStart), change, payer);
    this.end();
  }

  changeAddress(owner: number, inStart: number): number {
    const x = this.rng.float();
    if (x < 0.75) return this.newAddress(owner);
    if (x < 0.85 && this.lastAddress[owner]! >= 0) return this.lastAddress[owner]!;
    return this.inAddr.a[inStart]!; // self-change to the first input's address
  }

  /** A service (exchange or pool) pays a batch; `firstPayee` (a user) is always among the payees. */
  withdrawal(firstPayee: number, service = this.exchanges[this.rng.int(this.exchanges.length)]!): void {
    const r = this.rng;
    const batch = 1 + Math.floor(r.float() * r.float() * 15);
    const payees: number[] = [firstPayee];
    for (let i = 1; i < batch; i++) payees.push(this.pickUser());
    const amounts = payees.map(() => Math.floor(COIN * 10 ** (-3 + 3 * r.float())));
    const total = amounts.reduce((s, v) => s + v, 0);
    const fee = this.fee() * 2;
    if (this.balance[service]! < total + fee) {
      // The market stands behind the service: an infusion of fresh coins.
      this.coinbase(this.lastAddress[service]!, service, Math.max(total * 4, 50 * COIN));
      if (this.full()) return;
    }
    this.begin(service === this.pool ? TX_KIND.poolPayout : TX_KIND.withdrawal);
    const sum = this.gather(service, total + fee, 200);
    if (sum < total + fee) {
      // Not enough even after the infusion (coins held up in >200 small inputs): pay what we have.
      this.output(this.userAddress(firstPayee, 0.8), sum - Math.min(fee, sum - DUST), firstPayee);
      this.end();
      return;
    }
    for (let i = 0; i < payees.length; i++) {
      const p = payees[i]!;
      this.output(this.userAddress(p, 0.8), amounts[i]!, p);
    }
    const change = sum - total - fee;
    if (change >= DUST) this.output(this.lastAddress[service]!, change, service);
    this.end();
  }

  consolidation(): boolean {
    const ex = this.exchanges[this.rng.int(this.exchanges.length)]!;
    if (this.coins[ex]! < 20) return false;
    this.begin(TX_KIND.consolidation);
    const n = Math.min(this.coins[ex]!, 20 + this.rng.int(80));
    let sum = 0;
    for (let k = 0; k < n; k++) sum += this.spend(this.pop(ex));
    this.output(this.lastAddress[ex]!, sum - Math.min(this.fee() * 4, sum - DUST), ex);
    this.end();
    return true;
  }

  coinjoin(): boolean {
    const r = this.rng;
    const k = 3 + r.int(6);
    const denom = [COIN / 100, COIN / 10, COIN][r.int(3)]!;
    const participants: number[] = [];
    for (let tries = 0; tries < k * 4 && participants.length < k; tries++) {
      const u = this.pickUser();
      if (this.balance[u]! >= denom + 20_000 && !participants.includes(u)) participants.push(u);
    }
    if (participants.length < 3) return false;
    this.begin(TX_KIND.coinjoin);
    const coordFee = 5000 * participants.length;
    const outs: [number, number, number][] = [];
    for (const p of participants) {
      const fee = this.fee();
      // Unlimited inputs: the participant's balance covers the target, so this always succeeds.
      const sum = this.gather(p, denom + fee + 5000, Number.POSITIVE_INFINITY);
      outs.push([this.newAddress(p), denom, p]);
      const change = sum - denom - fee - 5000;
      if (change >= DUST) outs.push([this.newAddress(p), change, p]);
    }
    outs.push([this.lastAddress[this.coordinator]!, coordFee, this.coordinator]);
    // Shuffle (Fisher–Yates) so positions do not reveal who is who.
    for (let i = outs.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      const tmp = outs[i]!;
      outs[i] = outs[j]!;
      outs[j] = tmp;
    }
    for (const [a, v, w] of outs) this.output(a, v, w);
    this.end();
    return true;
  }

  /** Starts a peel chain from a rich user's coins, or advances one. */
  peel(): boolean {
    const r = this.rng;
    if (this.chains.length < 50 && r.float() < 0.1) {
      const u = this.pickUser();
      if (this.balance[u]! < 0.5 * COIN) return false;
      this.begin(TX_KIND.peel);
      const sum = this.gather(u, this.balance[u]!, 50);
      const o = this.output(this.newAddress(u), sum - this.fee(), -1);
      this.end();
      this.chains.push({ entity: u, utxo: o, stepsLeft: 20 + r.int(80), cashOut: false });
      return true;
    }
    if (this.chains.length === 0) return false;
    const i = r.int(this.chains.length);
    this.peelStep(i);
    return true;
  }

  peelStep(i: number): void {
    const c = this.chains[i]!;
    const r = this.rng;
    this.begin(c.cashOut && c.entity < PLANTED_COUNT ? TX_KIND.planted : TX_KIND.peel);
    const value = this.spend(c.utxo);
    const fee = this.fee();
    const pay = Math.floor(value * (0.02 + 0.08 * r.float()));
    let to: number;
    let toWallet: number;
    if (c.cashOut || r.float() < 0.3) {
      const ex = r.int(this.exchanges.length);
      to = this.depositAddress(c.entity, ex);
      toWallet = this.exchanges[ex]!;
    } else {
      const payee = this.pickUser();
      to = this.userAddress(payee, 0.7);
      toWallet = payee;
    }
    this.output(to, pay, toWallet);
    const rest = value - pay - fee;
    c.stepsLeft--;
    if (c.stepsLeft <= 0 || rest < COIN / 100) {
      if (rest >= DUST) this.output(this.newAddress(c.entity), rest, c.entity);
      this.chains[i] = this.chains[this.chains.length - 1]!;
      this.chains.pop();
    } else {
      c.utxo = this.output(this.newAddress(c.entity), rest, -1);
    }
    this.end();
  }

  /** The planted network: customer payments, distributor sweeps, broker payouts. */
  planted(): void {
    const r = this.rng;
    const x = r.float();
    const { supplier, broker, distributors } = PLANTED_ADDRESSES;
    if (x < 0.8) {
      const customer = this.pickUser();
      if (this.balance[customer]! < 500_000) {
        this.withdrawal(customer);
        return;
      }
      const d = distributors[r.int(distributors.length)]!;
      const price = Math.floor(COIN * (0.001 + 0.02 * r.float()));
      const fee = this.fee();
      this.begin(TX_KIND.planted);
      const inStart = this.inAddr.n;
      const sum = this.gather(customer, price + fee, 200);
      const [pay, change] = split(sum, price, fee);
      this.output(d, pay, d);
      if (change > 0) this.output(this.changeAddress(customer, inStart), change, customer);
      this.end();
    } else if (x < 0.93) {
      const d = distributors[r.int(distributors.length)]!;
      if (this.coins[d]! < 5) return;
      this.begin(TX_KIND.planted);
      const sum = this.gather(d, Number.POSITIVE_INFINITY, this.coins[d]!);
      this.output(broker, sum - this.fee(), broker);
      this.end();
    } else {
      if (this.balance[broker]! < COIN / 10 || this.chains.some((c) => c.entity === broker)) return;
      this.begin(TX_KIND.planted);
      const sum = this.gather(broker, Number.POSITIVE_INFINITY, this.coins[broker]!);
      const fee = this.fee();
      const toSupplier = Math.floor(sum * 0.6);
      this.output(supplier, toSupplier, supplier);
      const o = this.output(this.newAddress(broker), sum - toSupplier - fee, -1);
      this.end();
      this.chains.push({ entity: broker, utxo: o, stepsLeft: 30, cashOut: true });
    }
  }

  step(): void {
    if (this.t % this.txPerBlock === 0) {
      this.coinbase(this.lastAddress[this.pool]!, this.pool, 625_000_000 + this.rng.int(50_000_000));
      return;
    }
    const x = this.rng.float();
    if (x < 0.02 && this.balance[this.pool]! > 10 * COIN) this.withdrawal(this.pickUser(), this.pool);
    else if (x < 0.06 && this.consolidation()) return;
    else if (x < 0.08 && this.coinjoin()) return;
    else if (x < 0.16 && this.peel()) return;
    else if (x < 0.17) this.planted();
    else if (x < 0.27) this.withdrawal(this.pickUser());
    else this.payment();
  }
}

/**
 * Splits `sum` spent coins into [payment, change] with at most `fee` to the miner: the payment shrinks if
 * the coins fall short, and change below the dust limit goes to the fee, as wallets do.
 */
function split(sum: number, amount: number, fee: number): [number, number] {
  const f = Math.min(fee, sum - DUST);
  const pay = Math.max(DUST, Math.min(amount, sum - f));
  const change = sum - pay - f;
  return change >= DUST ? [pay, change] : [pay, 0];
}

/** Generates a ledger of exactly `transactions` transactions. */
export function generateSyntheticLedger(options: SyntheticLedgerOptions): SyntheticLedger {
  if (!Number.isInteger(options.transactions) || options.transactions < 1) {
    throw new AppError('BAD_REQUEST', 'transactions must be a positive integer');
  }
  const b = new Builder(options);
  while (!b.full()) {
    const before = b.t;
    b.step();
    if (b.t === before && !b.full()) b.payment();
  }
  const inputAddress = b.inAddr.view();
  return {
    txCount: b.txCount,
    inputCount: inputAddress.length,
    outputCount: b.outAddr.n,
    addressCount: b.addrOwner.n,
    txInputStart: b.txInputStart,
    txOutputStart: b.txOutputStart,
    inputAddress,
    inputPrevOut: b.inPrev.view(),
    outputAddress: b.outAddr.view(),
    outputValue: b.outVal.view(),
    txTime: b.txTime,
    txKind: b.txKind,
    addressOwner: b.addrOwner.view(),
    entityCount: b.entityCount,
    entityKind: b.entityKind,
    exchangeEntities: [...b.exchanges],
    poolEntity: b.pool,
    coordinatorEntity: b.coordinator,
  };
}
