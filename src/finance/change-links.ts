/**
 * The one-time-change heuristic over stored blocks, batch by batch, with a confidence per link.
 *
 * Rule (Meiklejohn et al. 2013, "A Fistful of Bitcoins", IMC '13, Heuristic 2, §4.3; the same rule as
 * AddressClusterer's `changeHeuristic`): in a transaction that is not a coinbase and not CoinJoin-like,
 * with at least two outputs, an output address is the spender's one-time change when
 *   (1) it appears on the chain for the first time (it never received before),
 *   (2) no output pays back to one of the inputs' addresses (no self-change), and
 *   (3) it is the only output address appearing for the first time.
 * The change address is linked to the transaction's first input address (the spender; all inputs are
 * one cluster by the multi-input heuristic). Their false-positive refinement is applied as blocks arrive:
 * when a "one-time" change address receives again later, its link is revoked (kept, with the revoking
 * transaction), as it was evidently not one-time change.
 *
 * "First appearance" is judged in import order, which is chain order when blocks are imported in order
 * (blk files, a node, the fixtures): the state a batch needs is which of its output addresses already
 * have stored outputs and which have an active link, both read from the ledger tables, so importing
 * block by block gives the same links as one batch.
 *
 * CONFIDENCE (ordinal, 0..1, not a calibrated probability; version CHANGE_HEURISTIC):
 * - base 0.8 for a two-output transaction (payment + change, the classic shape), 0.6 with three or more
 *   outputs (batch payments weaken the signal) — the AddressClusterer constants;
 * - round numbers (BlockSci's "power of ten" change heuristic, Kalodner et al. 2017, §5.3; Androulaki et
 *   al. 2013, "Evaluating User Privacy in Bitcoin", FC '13): payments tend to be round amounts and change
 *   the remainder. Another output a multiple of 0.001 BTC (100 000 sat) while the change is not: +0.1
 *   ("round-payment"); the change round while no other output is: −0.2 ("round-change");
 * - address type (BlockSci's "address type" heuristic; Nick 2015, "Data-Driven De-Anonymization in
 *   Bitcoin", ETH Zürich): wallets create change of their own script type. The change's script type
 *   equal to the inputs' while every other output differs: +0.1 ("script-type-match"); the change's type
 *   none of the inputs' while another output's is: −0.2 ("script-type-mismatch").
 * The result is clamped to [0.05, 0.95] and rounded to two decimals; the criteria that matched are stored
 * with the link.
 */
import { CHANGE_CONFIDENCE_MANY_OUTPUTS, CHANGE_CONFIDENCE_TWO_OUTPUTS } from './clustering.ts';

/** Name and version of the rule and its confidence, stored with each link. */
export const CHANGE_HEURISTIC = 'meiklejohn-h2/1';

/** A round amount: a multiple of 0.001 BTC. */
export const ROUND_SATOSHIS = 100_000;

export interface ChangeTxInput {
  addressId: number | null;
  /** Script type of the spent output, when known. */
  scriptType: string | null;
}

export interface ChangeTxOutput {
  addressId: number | null;
  value: number;
  scriptType: string;
}

export interface ChangeTx {
  txid: string;
  height: number;
  coinbase: boolean;
  coinjoin: boolean;
  inputs: readonly ChangeTxInput[];
  outputs: readonly ChangeTxOutput[];
}

export interface NewChangeLink {
  changeAddressId: number;
  spenderAddressId: number;
  txid: string;
  height: number;
  confidence: number;
  criteria: string[];
  revokedTxid: string | null;
  revokedHeight: number | null;
}

export interface ChangeRevocation {
  changeAddressId: number;
  txid: string;
  height: number;
}

/** What a batch needs from earlier batches, for its own output addresses. */
export interface ChangeState {
  /** Addresses that already received (have a stored output). */
  seen: ReadonlySet<number>;
  /** Change addresses whose link is still active. */
  active: ReadonlySet<number>;
}

const isRound = (v: number) => v > 0 && v % ROUND_SATOSHIS === 0;

/** Confidence of one link and the criteria that matched (see the file comment). */
export function changeConfidence(
  tx: Pick<ChangeTx, 'inputs' | 'outputs'>,
  changeAddressId: number,
): { confidence: number; criteria: string[] } {
  const two = tx.outputs.length === 2;
  const criteria = ['one-time-change', two ? 'two-outputs' : 'many-outputs'];
  let c = two ? CHANGE_CONFIDENCE_TWO_OUTPUTS : CHANGE_CONFIDENCE_MANY_OUTPUTS;
  const change = tx.outputs.filter((o) => o.addressId === changeAddressId);
  const others = tx.outputs.filter((o) => o.addressId !== changeAddressId);
  const changeRound = change.some((o) => isRound(o.value));
  const otherRound = others.some((o) => isRound(o.value));
  if (otherRound && !changeRound) {
    c += 0.1;
    criteria.push('round-payment');
  } else if (changeRound && !otherRound) {
    c -= 0.2;
    criteria.push('round-change');
  }
  const inputTypes = new Set(tx.inputs.map((i) => i.scriptType).filter((s): s is string => s !== null));
  if (inputTypes.size > 0) {
    const changeMatches = change.some((o) => inputTypes.has(o.scriptType));
    const otherMatches = others.some((o) => inputTypes.has(o.scriptType));
    if (changeMatches && !otherMatches && others.length > 0) {
      c += 0.1;
      criteria.push('script-type-match');
    } else if (!changeMatches && otherMatches) {
      c -= 0.2;
      criteria.push('script-type-mismatch');
    }
  }
  const confidence = Math.round(Math.min(0.95, Math.max(0.05, c)) * 100) / 100;
  return { confidence, criteria };
}

/**
 * Runs the heuristic over a batch of transactions in chain order. Returns the links found in the batch
 * (revoked already when the batch itself reuses the address) and the revocations of earlier links.
 */
export function detectChangeLinks(
  txs: readonly ChangeTx[],
  state: ChangeState,
): { links: NewChangeLink[]; revocations: ChangeRevocation[] } {
  const seen = new Set(state.seen);
  const active = new Set(state.active);
  const links: NewChangeLink[] = [];
  const linkOf = new Map<number, NewChangeLink>();
  const revocations: ChangeRevocation[] = [];
  for (const t of txs) {
    const inputIds = new Set<number>();
    let spender: number | null = null;
    if (!t.coinbase)
      for (const i of t.inputs) {
        if (i.addressId === null) continue;
        inputIds.add(i.addressId);
        if (spender === null) spender = i.addressId;
      }
    const fresh = new Set<number>();
    let selfChange = false;
    for (const o of t.outputs) {
      const a = o.addressId;
      if (a === null) continue;
      if (inputIds.has(a)) selfChange = true;
      if (!seen.has(a)) {
        fresh.add(a);
        continue;
      }
      // Received again: it was not one-time change after all.
      const own = linkOf.get(a);
      if (own && own.revokedTxid === null) {
        own.revokedTxid = t.txid;
        own.revokedHeight = t.height;
      } else if (active.has(a)) {
        active.delete(a);
        revocations.push({ changeAddressId: a, txid: t.txid, height: t.height });
      }
    }
    const eligible = !t.coinbase && t.inputs.length > 0 && !t.coinjoin && t.outputs.length >= 2;
    if (eligible && spender !== null && fresh.size === 1 && !selfChange) {
      const change = fresh.values().next().value!;
      const link: NewChangeLink = {
        changeAddressId: change,
        spenderAddressId: spender,
        txid: t.txid,
        height: t.height,
        ...changeConfidence(t, change),
        revokedTxid: null,
        revokedHeight: null,
      };
      links.push(link);
      linkOf.set(change, link);
    }
    for (const a of inputIds) seen.add(a);
    for (const o of t.outputs) if (o.addressId !== null) seen.add(o.addressId);
  }
  return { links, revocations };
}
