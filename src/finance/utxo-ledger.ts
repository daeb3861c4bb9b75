/**
 * Columnar layout of a UTXO ledger, shared by the synthetic generator, the clusterer and the transaction
 * graph. Column stores instead of one object per transaction so that tens of millions of transactions
 * fit in memory and loop at typed-array speed.
 *
 * Transaction t has inputs [txInputStart[t], txInputStart[t+1]) and outputs
 * [txOutputStart[t], txOutputStart[t+1]) in the input/output columns (CSR layout). A transaction with no
 * inputs is a coinbase (the null prevout is not represented). Transactions are in chain order: an input
 * only spends an output of an earlier transaction.
 */
import { AppError } from '../platform/errors.ts';

export interface UtxoLedger {
  txCount: number;
  inputCount: number;
  outputCount: number;
  /** Address ids are dense: 0 .. addressCount-1. */
  addressCount: number;
  /** length txCount + 1 */
  txInputStart: Int32Array;
  /** length txCount + 1 */
  txOutputStart: Int32Array;
  /** Address id of the output each input spends; -1 when unknown (non-standard script). */
  inputAddress: Int32Array;
  /** Global index of the output each input spends; -1 when outside the ledger. Optional for clustering. */
  inputPrevOut?: Int32Array;
  /** Address id per output; -1 for outputs without an address (OP_RETURN, bare multisig, …). */
  outputAddress: Int32Array;
  /** Satoshis (exact: every Bitcoin amount is below 2^53). */
  outputValue: Float64Array;
  /** Unix seconds per transaction (block time). */
  txTime?: Float64Array;
}

/** Checks the structural invariants; throws AppError IMPORT_FAILED naming the first violation. */
export function assertLedgerShape(ledger: UtxoLedger): void {
  const problems: string[] = [];
  const { txCount, inputCount, outputCount } = ledger;
  if (ledger.txInputStart.length < txCount + 1) problems.push('txInputStart shorter than txCount + 1');
  if (ledger.txOutputStart.length < txCount + 1) problems.push('txOutputStart shorter than txCount + 1');
  if (ledger.txInputStart[txCount] !== inputCount) problems.push('txInputStart[txCount] !== inputCount');
  if (ledger.txOutputStart[txCount] !== outputCount) problems.push('txOutputStart[txCount] !== outputCount');
  if (ledger.inputAddress.length < inputCount) problems.push('inputAddress shorter than inputCount');
  if (ledger.outputAddress.length < outputCount) problems.push('outputAddress shorter than outputCount');
  if (ledger.outputValue.length < outputCount) problems.push('outputValue shorter than outputCount');
  if (ledger.inputPrevOut && ledger.inputPrevOut.length < inputCount) problems.push('inputPrevOut too short');
  if (ledger.txTime && ledger.txTime.length < txCount) problems.push('txTime shorter than txCount');
  if (problems.length > 0) {
    throw new AppError(
      'IMPORT_FAILED',
      `malformed ledger: ${problems[0]}`,
      problems.map((message) => ({ path: 'ledger', message })),
    );
  }
}
