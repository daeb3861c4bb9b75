/**
 * Offline check of a stored audit log against itself and against a saved tree head.
 *
 * The caller streams the log in index order, giving for each record the leaf hash
 * stored with it and the leaf hash recomputed from its content now (recordLeafHash).
 * Memory stays O(log n): the root is built with a MerkleAccumulator.
 *
 * What each kind of tampering looks like:
 * - a record edited in place, stored hash left alone → LEAF_MISMATCH at that index
 *   (and ROOT_MISMATCH, since the root is built from content);
 * - a record edited and its stored hash recomputed → ROOT_MISMATCH against any head
 *   signed before the edit (RFC 9162 §2.1: the root commits to every leaf);
 * - a record deleted, or records reordered or duplicated → INDEX_GAP; if whole rows
 *   (index included) were swapped, the indices look fine and ROOT_MISMATCH catches it;
 * - the newest records deleted → TRUNCATED (fewer records than the saved head covers).
 */
import { HASH_LENGTH, MerkleAccumulator } from './merkle.ts';

export interface StoredLeaf {
  /** Position of the record in the log, as stored. */
  index: number;
  /** Leaf hash stored with the record when it was appended. */
  leafHash: Uint8Array;
  /** Leaf hash recomputed from the record's current content. */
  computedLeafHash: Uint8Array;
}

/** The part of a (previously verified, signed) tree head that the log is checked against. */
export interface SavedHead {
  treeSize: number;
  rootHash: string;
}

export type LogProblemCode = 'LEAF_MISMATCH' | 'INDEX_GAP' | 'TRUNCATED' | 'ROOT_MISMATCH';

export interface LogProblem {
  /** The log index concerned, or null when the problem is not about one record. */
  index: number | null;
  code: LogProblemCode;
  message: string;
}

export interface LogVerification {
  /** True when no problem was found. */
  ok: boolean;
  /** Number of records read. */
  treeSize: number;
  /** MTH over the recomputed leaf hashes of all records read, in the order read (hex). */
  rootHash: string;
  problems: LogProblem[];
}

const HEX_64 = /^[0-9a-f]{64}$/i;

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/**
 * Checks a log given in index order. With `savedHead`, also checks that the log
 * still holds at least `savedHead.treeSize` records and that the root over the first
 * `savedHead.treeSize` of them is `savedHead.rootHash` — i.e. that nothing the head
 * committed to has changed. Records beyond the saved head are allowed (the log grew).
 *
 * The root is computed over the *recomputed* leaf hashes, in the order the records
 * arrive, so it describes the log's content as it is now; when everything is fine
 * the stored and recomputed hashes agree anyway, and the result can be compared
 * with, or signed as, a new tree head.
 */
export function verifyLog(records: Iterable<StoredLeaf>, savedHead?: SavedHead): LogVerification {
  if (savedHead !== undefined && (!Number.isSafeInteger(savedHead.treeSize) || savedHead.treeSize < 0)) {
    throw new RangeError(`saved tree size must be a non-negative integer, got ${savedHead.treeSize}`);
  }
  const problems: LogProblem[] = [];
  const accumulator = new MerkleAccumulator();
  // The next index we expect: one past the highest index seen so far. Tracking the
  // highest (rather than the last) index reports a moved record once, not at every
  // record after it.
  let expected = 0;
  let rootAtSavedSize: Buffer | null = savedHead?.treeSize === 0 ? accumulator.root() : null;

  for (const record of records) {
    const { index, leafHash, computedLeafHash } = record;
    if (!(computedLeafHash instanceof Uint8Array) || computedLeafHash.length !== HASH_LENGTH) {
      throw new TypeError(`computedLeafHash of record ${index} must be a ${HASH_LENGTH}-byte hash`);
    }
    const position = accumulator.size;

    if (!Number.isSafeInteger(index)) {
      problems.push({
        index: null,
        code: 'INDEX_GAP',
        message: `record at position ${position} has no valid index (${String(index)})`,
      });
    } else if (index > expected) {
      const missing =
        index === expected + 1 ? `record ${expected} is` : `records ${expected}..${index - 1} are`;
      const where = expected === 0 ? 'first' : `after ${expected - 1}`;
      // Report the first missing index: that is the record to look for in backups.
      problems.push({
        index: expected,
        code: 'INDEX_GAP',
        message: `${missing} missing (found ${index} ${where})`,
      });
      expected = index + 1;
    } else if (index < expected) {
      problems.push({
        index,
        code: 'INDEX_GAP',
        message: `record ${index} is out of order or duplicated (found after ${expected - 1})`,
      });
    } else {
      expected = index + 1;
    }

    if (!(leafHash instanceof Uint8Array) || !bytesEqual(leafHash, computedLeafHash)) {
      problems.push({
        index: Number.isSafeInteger(index) ? index : null,
        code: 'LEAF_MISMATCH',
        message: `record ${index} no longer matches its stored leaf hash: its content was changed`,
      });
    }

    accumulator.append(computedLeafHash);
    if (savedHead !== undefined && accumulator.size === savedHead.treeSize)
      rootAtSavedSize = accumulator.root();
  }

  if (savedHead !== undefined) {
    if (accumulator.size < savedHead.treeSize) {
      problems.push({
        index: accumulator.size,
        code: 'TRUNCATED',
        message: `the log has ${accumulator.size} records but the saved tree head covers ${savedHead.treeSize}`,
      });
    } else if (!HEX_64.test(savedHead.rootHash)) {
      problems.push({
        index: null,
        code: 'ROOT_MISMATCH',
        message: 'the saved tree head has a malformed root hash',
      });
    } else if (
      rootAtSavedSize !== null &&
      rootAtSavedSize.toString('hex') !== savedHead.rootHash.toLowerCase()
    ) {
      problems.push({
        index: null,
        code: 'ROOT_MISMATCH',
        message: `the first ${savedHead.treeSize} records do not hash to the saved root ${savedHead.rootHash}`,
      });
    }
  }

  return {
    ok: problems.length === 0,
    treeSize: accumulator.size,
    rootHash: accumulator.root().toString('hex'),
    problems,
  };
}
