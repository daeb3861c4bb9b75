/**
 * Merkle Tree Hash, inclusion proofs and consistency proofs as defined in
 * RFC 9162 §2.1 (Certificate Transparency 2.0), with SHA-256.
 *
 * Everything here works on *leaf hashes* (32-byte `Buffer`s/`Uint8Array`s), not on
 * raw entries: the audit log stores each record's leaf hash next to the record, so
 * proofs and roots can be rebuilt without re-serialising records.
 *
 * Sizes and indices are plain `number`s. All index arithmetic uses division and
 * remainder rather than the bitwise operators, because JavaScript's bitwise
 * operators truncate to 32 bits and a long-lived log may pass 2^32 entries.
 */
import { createHash, hash } from 'node:crypto';

/** Length in bytes of every hash in the tree (SHA-256). */
export const HASH_LENGTH = 32;

// RFC 9162 §2.1.1: leaves and interior nodes are hashed with different one-byte
// prefixes (domain separation), so a leaf can never be passed off as a node
// (second-preimage attack on the tree shape).
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = 0x01;

/** MTH({}) — RFC 9162 §2.1.1: the hash of an empty list is the hash of the empty string. */
const EMPTY_ROOT = createHash('sha256').digest();

/** The root of the empty tree, SHA-256 of the empty string (a fresh copy). */
export function emptyRoot(): Buffer {
  return Buffer.from(EMPTY_ROOT);
}

/** RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0)). */
export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** RFC 9162 §2.1.1: interior node = HASH(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  assertHash(left, 'left');
  assertHash(right, 'right');
  return hashChildren(left, right);
}

// Scratch space for HASH(0x01 || left || right). Everything here is synchronous, so
// one module-level buffer is never used by two computations at once; reusing it
// saves an allocation per hash, which matters when building or checking many trees.
const NODE_INPUT = Buffer.alloc(1 + 2 * HASH_LENGTH);
NODE_INPUT[0] = NODE_PREFIX;

/** nodeHash without the argument checks, for callers that already guarantee 32-byte inputs. */
function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + HASH_LENGTH);
  return sha256(NODE_INPUT);
}

// One-shot `crypto.hash` (node:crypto, Node ≥ 20.12) is ~30-40 % faster than
// createHash().update().digest() for 65-byte inputs, which dominates the cost of
// building large trees (one call per interior node).
function sha256(input: Uint8Array): Buffer {
  return hash('sha256', input, 'buffer');
}

// ---------------------------------------------------------------------------
// Small integer helpers (exact for every safe integer, unlike `>>` and `&`).

const half = (x: number): number => Math.floor(x / 2);
const isOdd = (x: number): boolean => x % 2 === 1;

/** Largest power of two strictly less than n (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/** Smallest L with 2^L ≥ n (n ≥ 1): the level at which a subtree of n leaves has its root. */
function levelOf(n: number): number {
  let level = 0;
  let width = 1;
  while (width < n) {
    width *= 2;
    level += 1;
  }
  return level;
}

function isSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function assertHash(value: Uint8Array | undefined, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== HASH_LENGTH) {
    throw new TypeError(`${what} must be a ${HASH_LENGTH}-byte hash`);
  }
}

function assertTreeSize(leaves: readonly Uint8Array[], size: number): void {
  if (!isSize(size) || size > leaves.length) {
    throw new RangeError(`tree size must be an integer between 0 and ${leaves.length}, got ${size}`);
  }
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_LENGTH;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

// ---------------------------------------------------------------------------
// Building trees level by level.
//
// RFC 9162 §2.1.1 defines MTH recursively, splitting n leaves at the largest power of
// two k < n. The same tree is obtained bottom-up: hash adjacent pairs on each level
// and carry a lone last node up unchanged. (Node i of level L covers leaves
// [i·2^L, min((i+1)·2^L, n)); when that range has more than 2^(L-1) leaves, its left
// child covers exactly 2^(L-1) = k of them, as the recursion requires, and otherwise
// it is the carried copy of its only child.) Each level is one contiguous buffer, so
// the two children of a node are 64 adjacent bytes and the whole tree costs n-1
// hash calls.

/** Hashes `count` nodes of `source` (contiguous) pairwise into `target`; returns the new count. */
function reduceLevel(source: Buffer, count: number, target: Buffer): number {
  const pairs = Math.floor(count / 2);
  for (let i = 0; i < pairs; i++) {
    // Both children are adjacent: one 64-byte copy after the 0x01 prefix.
    source.copy(NODE_INPUT, 1, 2 * i * HASH_LENGTH, (2 * i + 2) * HASH_LENGTH);
    sha256(NODE_INPUT).copy(target, i * HASH_LENGTH);
  }
  if (isOdd(count)) {
    source.copy(target, pairs * HASH_LENGTH, (count - 1) * HASH_LENGTH, count * HASH_LENGTH);
  }
  return pairs + (count % 2);
}

/** Copies the first `size` leaf hashes into one contiguous buffer, checking each. */
function packLeaves(leaves: readonly Uint8Array[], size: number): Buffer {
  const packed = Buffer.allocUnsafe(size * HASH_LENGTH);
  for (let i = 0; i < size; i++) {
    const leaf = leaves[i];
    assertHash(leaf, `leaf hash ${i}`);
    packed.set(leaf, i * HASH_LENGTH);
  }
  return packed;
}

/**
 * MTH(D[size]) over the first `size` leaf hashes (RFC 9162 §2.1.1). O(size) hashing,
 * computed level by level in place (one copy of the leaves, no recursion).
 */
export function rootFromLeafHashes(leaves: readonly Uint8Array[], size: number = leaves.length): Buffer {
  assertTreeSize(leaves, size);
  if (size === 0) return emptyRoot();
  const level = packLeaves(leaves, size);
  let count = size;
  // Writing node i of the next level over node 2i of this one is safe: it has already been read.
  while (count > 1) count = reduceLevel(level, count, level);
  return Buffer.from(level.subarray(0, HASH_LENGTH));
}

/**
 * A complete tree of a fixed size with every level kept (about 2·size hashes of
 * memory), so that any number of inclusion and consistency proofs can be served
 * from one O(size) build in O(log size) each.
 */
export class MerkleTree {
  readonly size: number;
  /** levels[0] are the leaf hashes; levels[levels.length - 1] holds only the root. */
  readonly #levels: Buffer[];

  private constructor(size: number, levels: Buffer[]) {
    this.size = size;
    this.#levels = levels;
  }

  /** Builds the tree over the first `size` leaf hashes. */
  static fromLeafHashes(leaves: readonly Uint8Array[], size: number = leaves.length): MerkleTree {
    assertTreeSize(leaves, size);
    const levels = [packLeaves(leaves, size)];
    let count = size;
    while (count > 1) {
      const next = Buffer.allocUnsafe(Math.ceil(count / 2) * HASH_LENGTH);
      count = reduceLevel(levels[levels.length - 1]!, count, next);
      levels.push(next);
    }
    return new MerkleTree(size, levels);
  }

  /** MTH of the whole tree. */
  root(): Buffer {
    return this.size === 0 ? emptyRoot() : this.#node(0, this.size);
  }

  /** The stored leaf hash at `index`. */
  leafHash(index: number): Buffer {
    this.#assertIndex(index);
    return this.#node(index, index + 1);
  }

  /**
   * PATH(index, D[size]) — RFC 9162 §2.1.3.1: the sibling of every node on the way
   * from the leaf to the root, leaf's sibling first. Levels where the path node is
   * the carried lone last node have no sibling and contribute nothing, exactly as
   * the recursive definition descends into a right subtree without a partner.
   */
  inclusionProof(index: number): Buffer[] {
    this.#assertIndex(index);
    const proof: Buffer[] = [];
    let position = index;
    for (let level = 0; level < this.#levels.length - 1; level++) {
      const count = this.#levels[level]!.length / HASH_LENGTH;
      const sibling = isOdd(position) ? position - 1 : position + 1;
      if (sibling < count) proof.push(this.#at(level, sibling));
      position = half(position);
    }
    return proof;
  }

  /**
   * PROOF(first, D[size]) — RFC 9162 §2.1.4.1, SUBPROOF unrolled into a loop. Every
   * hash it names, MTH(D[a:b]), is a node of this tree. RFC 9162 defines the proof
   * for 0 < first < size only; for first = 0 or first = size it is empty (the empty
   * tree and the tree itself are trivially consistent), matching verifyConsistency.
   */
  consistencyProof(first: number): Buffer[] {
    if (!isSize(first) || first > this.size) {
      throw new RangeError(`first tree size must be an integer between 0 and ${this.size}, got ${first}`);
    }
    if (first === 0 || first === this.size) return [];
    // SUBPROOF appends its hash *after* the recursive part, so collect top-down and reverse.
    const topDown: Buffer[] = [];
    let start = 0;
    let end = this.size;
    let m = first; // the old size, relative to `start`
    let wholeOldTreeIsARoot = true; // the RFC's flag b
    for (;;) {
      const n = end - start;
      if (m === n) {
        // SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}.
        if (!wholeOldTreeIsARoot) topDown.push(this.#node(start, end));
        break;
      }
      const k = splitPoint(n);
      if (m <= k) {
        // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
        topDown.push(this.#node(start + k, end));
        end = start + k;
      } else {
        // SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
        topDown.push(this.#node(start, start + k));
        start += k;
        m -= k;
        wholeOldTreeIsARoot = false;
      }
    }
    return topDown.reverse();
  }

  #assertIndex(index: number): void {
    if (!isSize(index) || index >= this.size) {
      throw new RangeError(`leaf index must be an integer below the tree size ${this.size}, got ${index}`);
    }
  }

  /** MTH(D[start:end]) for a range that is a node of this tree (see the level layout above). */
  #node(start: number, end: number): Buffer {
    const level = levelOf(end - start);
    const width = 2 ** level;
    const position = start / width;
    // Guard against a caller asking for a range that is not a node of this tree.
    if (!Number.isInteger(position) || Math.min(start + width, this.size) !== end) {
      throw new Error(`internal error: [${start}, ${end}) is not a node of a tree of size ${this.size}`);
    }
    return this.#at(level, position);
  }

  #at(level: number, position: number): Buffer {
    const offset = position * HASH_LENGTH;
    // A copy, so callers can neither mutate the tree nor pin its level buffers in memory.
    return Buffer.from(this.#levels[level]!.subarray(offset, offset + HASH_LENGTH));
  }
}

/** PATH(index, D[treeSize]) (RFC 9162 §2.1.3.1) over the first `treeSize` leaf hashes. O(treeSize). */
export function inclusionProof(
  leaves: readonly Uint8Array[],
  index: number,
  treeSize: number = leaves.length,
): Buffer[] {
  return MerkleTree.fromLeafHashes(leaves, treeSize).inclusionProof(index);
}

/** PROOF(first, D[second]) (RFC 9162 §2.1.4.1) over the first `second` leaf hashes. O(second). */
export function consistencyProof(
  leaves: readonly Uint8Array[],
  first: number,
  second: number = leaves.length,
): Buffer[] {
  return MerkleTree.fromLeafHashes(leaves, second).consistencyProof(first);
}

// ---------------------------------------------------------------------------
// Verification. These take untrusted input (a proof fetched from a server), so they
// never throw: anything malformed is simply "not verified".

/**
 * RFC 9162 §2.1.3.2: recomputes the root from a leaf hash and its inclusion path and
 * compares it to `root`. Returns false for malformed input instead of throwing.
 *
 * Note that the tree size is authenticated by the signed tree head that `root` comes
 * from, not by the proof: check `treeSize` and `root` as a pair.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leafHash) || !isHash(root) || !Array.isArray(proof)) return false;
  if (!isSize(index) || !isSize(treeSize)) return false;
  // Step 1: the index must lie inside the tree.
  if (index >= treeSize) return false;
  // Step 2.
  let fn = index;
  let sn = treeSize - 1;
  // Step 3.
  let r: Buffer = Buffer.from(leafHash);
  // Step 4.
  for (const p of proof) {
    if (!isHash(p)) return false;
    // 4a: a longer path than the tree is tall cannot be valid.
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      // 4b: we are a right child (or the last node, whose sibling is on the left).
      r = hashChildren(p, r);
      // Skip the levels where this node was carried up without a sibling.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    // 4c.
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5: the whole path must have been used up, and must lead to the root.
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 §2.1.4.2: checks that the tree of size `second` with root `secondRoot`
 * is an append-only extension of the tree of size `first` with root `firstRoot`.
 * Returns false for malformed input instead of throwing.
 *
 * The RFC algorithm covers 0 < first < second. The two trivial cases are handled
 * the way consistencyProof produces them: first = second needs an empty proof and
 * equal roots; first = 0 needs an empty proof and the empty-tree root.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isHash(firstRoot) || !isHash(secondRoot) || !Array.isArray(proof)) return false;
  if (!isSize(first) || !isSize(second) || first > second) return false;
  if (first === 0) {
    const secondMatches = second > 0 || bytesEqual(secondRoot, EMPTY_ROOT);
    return proof.length === 0 && bytesEqual(firstRoot, EMPTY_ROOT) && secondMatches;
  }
  if (first === second) return proof.length === 0 && bytesEqual(firstRoot, secondRoot);
  // Step 1.
  if (proof.length === 0) return false;
  // Step 2: when the old tree is a complete subtree its root is not sent; it is the
  // starting point of both recomputations.
  const path: readonly Uint8Array[] = isPowerOfTwo(first) ? [firstRoot, ...proof] : proof;
  // Step 3.
  let fn = first - 1;
  let sn = second - 1;
  // Step 4: climb past the levels where the old tree's last node is a right child.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  const start = path[0];
  if (!isHash(start)) return false;
  let fr: Buffer = Buffer.from(start);
  let sr: Buffer = fr;
  // Step 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (!isHash(c)) return false;
    // 6a.
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      // 6b: a left sibling belongs to both trees.
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      // A right sibling exists only in the new tree.
      sr = hashChildren(sr, c);
    }
    // 6c.
    fn = half(fn);
    sn = half(sn);
  }
  // Step 7.
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

// ---------------------------------------------------------------------------
// Incremental root.

/** Persisted form of a MerkleAccumulator: the size and the hex frontier, largest subtree first. */
export interface MerkleFrontierJSON {
  size: number;
  frontier: string[];
}

/**
 * Appends leaf hashes one at a time and yields MTH of everything appended so far,
 * keeping only the "frontier": the roots of the complete subtrees that the tree of
 * the current size decomposes into (one per set bit of the size, largest first —
 * the left-to-right chain of k-splits of RFC 9162 §2.1.1). Append is amortised O(1)
 * and at worst O(log n) hashes; root() is O(log n); memory is O(log n).
 */
export class MerkleAccumulator {
  #size = 0;
  #frontier: Buffer[] = [];

  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash; returns the new size. */
  append(leaf: Uint8Array): number {
    assertHash(leaf, 'leaf hash');
    let node: Buffer = Buffer.from(leaf);
    // Like incrementing a binary counter: every trailing 1 bit of the old size is a
    // complete subtree of the same height as `node`, so the two merge.
    for (let s = this.#size; isOdd(s); s = half(s)) {
      node = hashChildren(this.#frontier.pop()!, node);
    }
    this.#frontier.push(node);
    this.#size += 1;
    return this.#size;
  }

  /** MTH of the leaves appended so far (SHA-256 of the empty string when there are none). */
  root(): Buffer {
    const last = this.#frontier.length - 1;
    if (last < 0) return emptyRoot();
    // MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with D[0:k] the largest
    // complete subtree, so fold the frontier from the right.
    let root: Buffer = Buffer.from(this.#frontier[last]!);
    for (let i = last - 1; i >= 0; i--) root = hashChildren(this.#frontier[i]!, root);
    return root;
  }

  toJSON(): MerkleFrontierJSON {
    return { size: this.#size, frontier: this.#frontier.map((h) => h.toString('hex')) };
  }

  /** Restores a saved frontier; throws if its shape does not match its size. */
  static fromJSON(json: MerkleFrontierJSON): MerkleAccumulator {
    if (typeof json !== 'object' || json === null || !isSize(json.size) || !Array.isArray(json.frontier)) {
      throw new TypeError('a Merkle frontier needs a size and a frontier array');
    }
    let bits = 0;
    for (let s = json.size; s > 0; s = half(s)) bits += s % 2;
    if (json.frontier.length !== bits) {
      throw new TypeError(`a frontier for size ${json.size} has ${bits} hashes, got ${json.frontier.length}`);
    }
    const frontier = json.frontier.map((h, i) => {
      if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) {
        throw new TypeError(`frontier hash ${i} must be 64 lowercase hex digits`);
      }
      return Buffer.from(h, 'hex');
    });
    const accumulator = new MerkleAccumulator();
    accumulator.#size = json.size;
    accumulator.#frontier = frontier;
    return accumulator;
  }
}
