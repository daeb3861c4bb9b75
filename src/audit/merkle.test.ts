import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  emptyRoot,
  HASH_LENGTH,
  inclusionProof,
  leafHash,
  MerkleAccumulator,
  MerkleTree,
  nodeHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const hexes = (bs: readonly Uint8Array[]): string[] => bs.map(hex);
const unhex = (h: string): Buffer => Buffer.from(h, 'hex');

/** A copy of `b` with one bit flipped at byte `at` (mod length). */
function flipped(b: Uint8Array, at: number, bit = 0): Buffer {
  const copy = Buffer.from(b);
  const i = at % copy.length;
  copy[i] = copy[i]! ^ (1 << (bit % 8));
  return copy;
}

/** `proof` with element `j` replaced by a copy with one flipped bit. */
function tamperedProof(proof: readonly Buffer[], j: number, at: number): Buffer[] {
  return proof.map((p, k) => (k === j ? flipped(p, at, j + at) : p));
}

/** Deterministic leaf hashes; prefixes of one list, so that trees of different sizes share leaves. */
const LEAVES: Buffer[] = Array.from({ length: 5000 }, (_, i) => leafHash(Buffer.from(`audit record ${i}`)));

/** ROOTS[n] = MTH of the first n leaves, for n = 0..5000 (via the accumulator; cross-checked below). */
const ROOTS: Buffer[] = (() => {
  const accumulator = new MerkleAccumulator();
  const roots = [accumulator.root()];
  for (const leaf of LEAVES) {
    accumulator.append(leaf);
    roots.push(accumulator.root());
  }
  return roots;
})();
const rootOf = (n: number): Buffer => ROOTS[n]!;

// ---------------------------------------------------------------------------
// An independent oracle written straight from the recursive definitions of
// RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1 (PROOF / SUBPROOF), over
// leaf hashes. Slow (it recomputes subtrees), so only used for small trees.

function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

function mth(d: readonly Buffer[]): Buffer {
  if (d.length === 0) return createHash('sha256').digest();
  if (d.length === 1) return d[0]!;
  const split = k(d.length);
  return nodeHash(mth(d.slice(0, split)), mth(d.slice(split)));
}

function path(m: number, d: readonly Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const split = k(d.length);
  return m < split
    ? [...path(m, d.slice(0, split)), mth(d.slice(split))]
    : [...path(m - split, d.slice(split)), mth(d.slice(0, split))];
}

function subproof(m: number, d: readonly Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const split = k(d.length);
  return m <= split
    ? [...subproof(m, d.slice(0, split), b), mth(d.slice(split))]
    : [...subproof(m - split, d.slice(split), false), mth(d.slice(0, split))];
}

// ---------------------------------------------------------------------------

describe('hashing (RFC 9162 §2.1.1)', () => {
  it('hashes the empty tree to SHA-256 of the empty string', () => {
    expect(hex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(rootFromLeafHashes([]))).toBe(hex(emptyRoot()));
    expect(hex(new MerkleAccumulator().root())).toBe(hex(emptyRoot()));
  });

  it('separates leaves (0x00) from interior nodes (0x01)', () => {
    const data = Buffer.from('abc');
    expect(hex(leafHash(data))).toBe(
      hex(
        createHash('sha256')
          .update(Buffer.of(0, ...data))
          .digest(),
      ),
    );
    const a = LEAVES[0]!;
    const b = LEAVES[1]!;
    expect(hex(nodeHash(a, b))).toBe(
      hex(
        createHash('sha256')
          .update(Buffer.concat([Buffer.of(1), a, b]))
          .digest(),
      ),
    );
    // The same 64 bytes hashed as a leaf and as a node must differ.
    expect(hex(leafHash(Buffer.concat([a, b])))).not.toBe(hex(nodeHash(a, b)));
  });

  it('rejects node children that are not 32-byte hashes', () => {
    expect(() => nodeHash(Buffer.alloc(31), Buffer.alloc(32))).toThrow(TypeError);
    expect(() => nodeHash(Buffer.alloc(32), Buffer.alloc(33))).toThrow(TypeError);
  });
});

describe('known-answer vectors (RFC 6962 reference tests, Certificate Transparency)', () => {
  const inputs = [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ].map((h) => leafHash(unhex(h)));
  // MTH(D[n]) for n = 1..8.
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];

  it('computes the published roots for sizes 1..8, in batch and incrementally', () => {
    const accumulator = new MerkleAccumulator();
    roots.forEach((expected, i) => {
      expect(hex(rootFromLeafHashes(inputs, i + 1))).toBe(expected);
      accumulator.append(inputs[i]!);
      expect(hex(accumulator.root())).toBe(expected);
      expect(hex(MerkleTree.fromLeafHashes(inputs, i + 1).root())).toBe(expected);
    });
  });

  it('produces the published inclusion proofs', () => {
    expect(hexes(inclusionProof(inputs, 0, 8))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(hexes(inclusionProof(inputs, 5, 8))).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(inclusionProof(inputs, 0, 1)).toEqual([]);
  });

  it('produces the published consistency proofs', () => {
    expect(hexes(consistencyProof(inputs, 1, 8))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(hexes(consistencyProof(inputs, 6, 8))).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(hexes(consistencyProof(inputs, 2, 5))).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
    expect(hexes(consistencyProof(inputs, 3, 8))).toEqual([
      '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
      '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    for (let m = 1; m <= 8; m++) {
      for (let n = m; n <= 8; n++) {
        const proof = consistencyProof(inputs, m, n);
        expect(verifyConsistency(m, n, unhex(roots[m - 1]!), unhex(roots[n - 1]!), proof)).toBe(true);
      }
    }
  });
});

describe('agreement with the recursive RFC 9162 definitions (all trees up to 64 leaves)', () => {
  it('MTH, PATH and PROOF match for every size, index and old size', () => {
    for (let n = 0; n <= 64; n++) {
      const d = LEAVES.slice(0, n);
      const tree = MerkleTree.fromLeafHashes(LEAVES, n);
      expect(hex(tree.root())).toBe(hex(mth(d)));
      expect(hex(rootFromLeafHashes(LEAVES, n))).toBe(hex(mth(d)));
      expect(hex(rootOf(n))).toBe(hex(mth(d)));
      for (let i = 0; i < n; i++) {
        expect(hexes(tree.inclusionProof(i))).toEqual(hexes(path(i, d)));
        expect(hex(tree.leafHash(i))).toBe(hex(d[i]!));
      }
      // RFC 9162 defines PROOF(m, D[n]) for 0 < m < n.
      for (let m = 1; m < n; m++) {
        expect(hexes(tree.consistencyProof(m))).toEqual(hexes(subproof(m, d, true)));
      }
    }
  });
});

describe('inclusion proofs (RFC 9162 §2.1.3), every index of every tree size 1..256', () => {
  // Hashing dominates the run time (about 1.4 µs per SHA-256 call through node:crypto),
  // so every (size, index) pair gets the valid proof plus one of each kind of tampering
  // — the flipped element and byte rotate across pairs — and trees up to 64 leaves get
  // every element flipped and several wrong sizes tried.
  it('verify, and fail when any byte, the index, the size, the leaf or the length is wrong', () => {
    const failures: string[] = [];
    let checks = 0;
    const expectVerdict = (expected: boolean, actual: boolean, n: number, i: number, what: string): void => {
      checks += 1;
      if (actual !== expected) failures.push(`n=${n} i=${i}: ${what}`);
    };
    for (let n = 1; n <= 256; n++) {
      const tree = MerkleTree.fromLeafHashes(LEAVES, n);
      const root = rootOf(n);
      const small = n <= 64;
      for (let i = 0; i < n; i++) {
        const leaf = LEAVES[i]!;
        const proof = tree.inclusionProof(i);
        const check = (expected: boolean, what: string, ...args: Parameters<typeof verifyInclusion>): void =>
          expectVerdict(expected, verifyInclusion(...args), n, i, what);

        check(true, 'valid proof rejected', leaf, i, n, proof, root);

        // A flipped byte in the proof.
        const elements = small ? proof.map((_, j) => j) : proof.length > 0 ? [(i + n) % proof.length] : [];
        for (const j of elements) {
          check(false, `element ${j} flipped`, leaf, i, n, tamperedProof(proof, j, i + 7 * n + j), root);
        }
        // A wrong index: every one (and two past the end) in trees up to 16 leaves.
        const indices = n <= 16 ? Array.from({ length: n + 2 }, (_, j) => j) : [(i + 1) % n];
        for (const j of indices) {
          if (j !== i) check(false, `accepted at index ${j}`, leaf, j, n, proof, root);
        }
        // A wrong size, with that size's root: a tree head carries both.
        const sizes = small ? [n - 1, n + 1, 2 * n, n + 17] : [i % 2 === 0 ? n + 1 : n - 1];
        for (const m of sizes) {
          if (m > i) check(false, `accepted as size ${m}`, leaf, i, m, proof, rootOf(m));
        }
        if (small) {
          check(false, 'flipped leaf', flipped(leaf, i), i, n, proof, root);
          check(false, 'flipped root', leaf, i, n, proof, flipped(root, n));
          check(false, 'another leaf', LEAVES[n]!, i, n, proof, root);
          check(false, 'size 0', leaf, i, 0, proof, rootOf(0));
          if (proof.length > 0) check(false, 'truncated proof', leaf, i, n, proof.slice(0, -1), root);
          check(false, 'extended proof', leaf, i, n, [...proof, LEAVES[0]!], root);
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(checks).toBeGreaterThan(100_000);
  });

  it('shows that the size is bound by the tree head, not by the proof', () => {
    // RFC 9162 §2.1.3.2 only checks that the path has the right shape for the claimed
    // size. For leaf 0, PATH(0, D[3]) = [h1, h2] has the shape of PATH(0, D[4]), so it
    // also "verifies" as size 4 against the size-3 root. Callers must therefore take
    // treeSize and root from the same signed tree head, never from the proof's sender.
    const proof = inclusionProof(LEAVES, 0, 3);
    expect(verifyInclusion(LEAVES[0]!, 0, 3, proof, rootOf(3))).toBe(true);
    expect(verifyInclusion(LEAVES[0]!, 0, 4, proof, rootOf(3))).toBe(true);
    expect(verifyInclusion(LEAVES[0]!, 0, 4, proof, rootOf(4))).toBe(false);
  });

  it('holds for random larger trees (1000..5000 leaves)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1000, max: 4999 })
          .chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1), fc.nat(), fc.nat(HASH_LENGTH - 1))),
        ([n, i, pick, at]) => {
          const leaf = LEAVES[i]!;
          const proof = inclusionProof(LEAVES, i, n);
          const root = rootOf(n);
          const otherSize = i < n - 1 ? n - 1 : n + 1;
          expect(verifyInclusion(leaf, i, n, proof, root)).toBe(true);
          expect(verifyInclusion(leaf, i, n, tamperedProof(proof, pick % proof.length, at), root)).toBe(
            false,
          );
          expect(verifyInclusion(leaf, (i + 1) % n, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, i, otherSize, proof, rootOf(otherSize))).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('consistency proofs (RFC 9162 §2.1.4), every pair 1 <= m <= n <= 256', () => {
  // As above: every pair is verified and tampered with once (the kind of tampering
  // rotates across pairs); pairs with n <= 64 get every kind, and every element flipped.
  it('verify, and fail when tampered with or checked against other sizes or roots', () => {
    const failures: string[] = [];
    let checks = 0;
    for (let n = 1; n <= 256; n++) {
      const tree = MerkleTree.fromLeafHashes(LEAVES, n);
      const newRoot = rootOf(n);
      const small = n <= 64;
      for (let m = 1; m <= n; m++) {
        const oldRoot = rootOf(m);
        const proof = tree.consistencyProof(m);
        const check = (
          expected: boolean,
          what: string,
          ...args: Parameters<typeof verifyConsistency>
        ): void => {
          checks += 1;
          if (verifyConsistency(...args) !== expected) failures.push(`m=${m} n=${n}: ${what}`);
        };

        check(true, 'valid proof rejected', m, n, oldRoot, newRoot, proof);
        if (m === n && proof.length !== 0)
          failures.push(`m=${m} n=${n}: proof between equal sizes is not empty`);

        const tamperings: (() => void)[] = [];
        const elements = small ? proof.map((_, j) => j) : proof.length > 0 ? [(m + n) % proof.length] : [];
        for (const j of elements) {
          tamperings.push(() =>
            check(false, `element ${j} flipped`, m, n, oldRoot, newRoot, tamperedProof(proof, j, m * 31 + n)),
          );
        }
        tamperings.push(() => check(false, 'flipped old root', m, n, flipped(oldRoot, m), newRoot, proof));
        tamperings.push(() => check(false, 'flipped new root', m, n, oldRoot, flipped(newRoot, n), proof));
        // Other sizes, each with its own genuine root, so that only the proof can tell them
        // apart. Excluded: m2 = 0 (every tree is consistent with the empty tree) and, from
        // m = n, the pairs m2 = n2 (equal trees are consistent through the empty proof).
        for (const [m2, n2] of [
          [m - 1, n],
          [m + 1, n],
          [m, n + 1],
          [m, n - 1],
          [m + 1, n + 1],
        ] as const) {
          if (m2 >= 1 && m2 <= n2 && !(m === n && m2 === n2)) {
            tamperings.push(() =>
              check(false, `accepted as ${m2}->${n2}`, m2, n2, rootOf(m2), rootOf(n2), proof),
            );
          }
        }
        if (proof.length > 0) {
          tamperings.push(() => check(false, 'truncated proof', m, n, oldRoot, newRoot, proof.slice(0, -1)));
        }
        tamperings.push(() => check(false, 'extended proof', m, n, oldRoot, newRoot, [...proof, LEAVES[0]!]));

        if (small) {
          for (const tamper of tamperings) tamper();
        } else {
          // The element flip (or, for the empty proof of m = n, a root flip), then one
          // other kind of tampering, rotating across pairs.
          tamperings[0]!();
          tamperings[1 + ((m * 7 + n) % (tamperings.length - 1))]!();
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(checks).toBeGreaterThan(90_000);
  });

  it('holds for random larger trees (1000..5000 leaves)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1000, max: 5000 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 }), fc.nat(), fc.nat(HASH_LENGTH - 1)),
          ),
        ([n, m, pick, at]) => {
          const proof = consistencyProof(LEAVES, m, n);
          expect(verifyConsistency(m, n, rootOf(m), rootOf(n), proof)).toBe(true);
          expect(
            verifyConsistency(m, n, rootOf(m), rootOf(n), tamperedProof(proof, pick % proof.length, at)),
          ).toBe(false);
          expect(verifyConsistency(m + 1, n, rootOf(m + 1), rootOf(n), proof)).toBe(false);
          expect(verifyConsistency(m, n, rootOf(m), rootOf(n), proof.slice(1))).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('treats the empty tree as consistent with every tree, with an empty proof', () => {
    expect(consistencyProof(LEAVES, 0, 10)).toEqual([]);
    expect(verifyConsistency(0, 10, emptyRoot(), rootOf(10), [])).toBe(true);
    expect(verifyConsistency(0, 0, emptyRoot(), emptyRoot(), [])).toBe(true);
    expect(verifyConsistency(0, 10, rootOf(1), rootOf(10), [])).toBe(false);
    expect(verifyConsistency(0, 0, rootOf(1), rootOf(1), [])).toBe(false);
    expect(verifyConsistency(0, 10, emptyRoot(), rootOf(10), [LEAVES[0]!])).toBe(false);
  });

  it('requires equal roots and an empty proof between equal sizes', () => {
    expect(verifyConsistency(7, 7, rootOf(7), rootOf(7), [])).toBe(true);
    expect(verifyConsistency(7, 7, rootOf(7), rootOf(6), [])).toBe(false);
    expect(verifyConsistency(7, 7, rootOf(7), rootOf(7), [rootOf(7)])).toBe(false);
  });
});

describe('index arithmetic beyond 32 bits', () => {
  // A tree whose leaves are all equal has MTH depending only on the size, so the RFC
  // definitions can be evaluated for astronomically large sizes in O(log n) steps.
  const leaf = LEAVES[0]!;
  const memo = new Map<number, Buffer>();
  const uniformMth = (n: number): Buffer => {
    if (n === 1) return leaf;
    let cached = memo.get(n);
    if (!cached) {
      cached = nodeHash(uniformMth(k(n)), uniformMth(n - k(n)));
      memo.set(n, cached);
    }
    return cached;
  };
  const uniformPath = (m: number, n: number): Buffer[] => {
    if (n <= 1) return [];
    const split = k(n);
    return m < split
      ? [...uniformPath(m, split), uniformMth(n - split)]
      : [...uniformPath(m - split, n - split), uniformMth(split)];
  };
  const uniformSubproof = (m: number, n: number, b: boolean): Buffer[] => {
    if (m === n) return b ? [] : [uniformMth(n)];
    const split = k(n);
    return m <= split
      ? [...uniformSubproof(m, split, b), uniformMth(n - split)]
      : [...uniformSubproof(m - split, n - split, false), uniformMth(split)];
  };

  it('verifies inclusion and consistency for sizes above 2^32', () => {
    const n = 2 ** 40 + 2 ** 33 + 12_345;
    for (const i of [0, 2 ** 32 + 1, 2 ** 40 - 1, 2 ** 40 + 2 ** 32 + 7, n - 1]) {
      const proof = uniformPath(i, n);
      expect(verifyInclusion(leaf, i, n, proof, uniformMth(n))).toBe(true);
      expect(verifyInclusion(leaf, i, n, tamperedProof(proof, 0, 3), uniformMth(n))).toBe(false);
    }
    for (const m of [1, 2 ** 32, 2 ** 32 + 3, 2 ** 40, 2 ** 40 + 5, n - 1]) {
      const proof = uniformSubproof(m, n, true);
      expect(verifyConsistency(m, n, uniformMth(m), uniformMth(n), proof)).toBe(true);
      expect(verifyConsistency(m, n, uniformMth(m), uniformMth(n), tamperedProof(proof, 0, 5))).toBe(false);
    }
  });
});

describe('input checking', () => {
  it('throws on bad arguments when building', () => {
    expect(() => rootFromLeafHashes(LEAVES.slice(0, 3), 4)).toThrow(RangeError);
    expect(() => rootFromLeafHashes(LEAVES, -1)).toThrow(RangeError);
    expect(() => rootFromLeafHashes(LEAVES, 1.5)).toThrow(RangeError);
    expect(() => rootFromLeafHashes([Buffer.alloc(31)])).toThrow(TypeError);
    expect(() => inclusionProof(LEAVES, 3, 3)).toThrow(RangeError);
    expect(() => inclusionProof(LEAVES, -1, 3)).toThrow(RangeError);
    expect(() => consistencyProof(LEAVES, 4, 3)).toThrow(RangeError);
    expect(() => new MerkleAccumulator().append(Buffer.alloc(16))).toThrow(TypeError);
  });

  it('accepts only the first `size` leaves and ignores the rest', () => {
    expect(hex(rootFromLeafHashes(LEAVES, 100))).toBe(hex(rootFromLeafHashes(LEAVES.slice(0, 100))));
  });

  it('returns false, never throws, on malformed proofs', () => {
    const proof = inclusionProof(LEAVES, 2, 10);
    const root = rootOf(10);
    const leaf = LEAVES[2]!;
    expect(verifyInclusion(leaf, 2, 10, proof, root)).toBe(true);
    for (const [index, size] of [
      [Number.NaN, 10],
      [-1, 10],
      [2.5, 10],
      [2, Number.POSITIVE_INFINITY],
      [2, 2 ** 60],
      [10, 10],
    ] as const) {
      expect(verifyInclusion(leaf, index, size, proof, root)).toBe(false);
    }
    expect(verifyInclusion(leaf, 2, 10, [proof[0]!, Buffer.alloc(31), proof[2]!, proof[3]!], root)).toBe(
      false,
    );
    expect(verifyInclusion(leaf, 2, 10, proof, Buffer.alloc(33))).toBe(false);
    expect(verifyInclusion(leaf.subarray(1), 2, 10, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 2, 10, 'not a proof' as unknown as Buffer[], root)).toBe(false);

    const cproof = consistencyProof(LEAVES, 3, 10);
    expect(verifyConsistency(3, 10, rootOf(3), root, cproof)).toBe(true);
    expect(verifyConsistency(10, 3, rootOf(3), root, cproof)).toBe(false);
    expect(verifyConsistency(-3, 10, rootOf(3), root, cproof)).toBe(false);
    expect(verifyConsistency(3.5, 10, rootOf(3), root, cproof)).toBe(false);
    expect(verifyConsistency(3, 10, rootOf(3), root, [Buffer.alloc(31), ...cproof.slice(1)])).toBe(false);
    expect(verifyConsistency(3, 10, rootOf(3), root, [])).toBe(false);
    expect(verifyConsistency(3, 10, rootOf(3).subarray(1), root, cproof)).toBe(false);
  });

  it('returns copies that cannot alter the tree', () => {
    const tree = MerkleTree.fromLeafHashes(LEAVES, 9);
    const before = hex(tree.root());
    tree.root().fill(0);
    tree.inclusionProof(3)[0]!.fill(0);
    tree.leafHash(3).fill(0);
    expect(hex(tree.root())).toBe(before);
    expect(verifyInclusion(LEAVES[3]!, 3, 9, tree.inclusionProof(3), tree.root())).toBe(true);
  });
});

describe('MerkleAccumulator', () => {
  it('agrees with rootFromLeafHashes for every size 0..300', () => {
    const accumulator = new MerkleAccumulator();
    for (let n = 0; n <= 300; n++) {
      expect(accumulator.size).toBe(n);
      expect(hex(accumulator.root())).toBe(hex(rootFromLeafHashes(LEAVES, n)));
      accumulator.append(LEAVES[n]!);
    }
  });

  it('keeps one hash per set bit of the size', () => {
    const accumulator = new MerkleAccumulator();
    for (let n = 1; n <= 1100; n++) {
      accumulator.append(LEAVES[n - 1]!);
      const bits = n.toString(2).replaceAll('0', '').length;
      expect(accumulator.toJSON().frontier).toHaveLength(bits);
    }
  });

  it('saves and resumes its frontier through JSON', () => {
    for (const cut of [0, 1, 2, 3, 7, 8, 100, 255, 256, 1023]) {
      const first = new MerkleAccumulator();
      for (let i = 0; i < cut; i++) first.append(LEAVES[i]!);
      const saved = JSON.parse(JSON.stringify(first)) as ReturnType<MerkleAccumulator['toJSON']>;
      const resumed = MerkleAccumulator.fromJSON(saved);
      expect(resumed.size).toBe(cut);
      expect(hex(resumed.root())).toBe(hex(rootOf(cut)));
      for (let i = cut; i < cut + 300; i++) resumed.append(LEAVES[i]!);
      expect(hex(resumed.root())).toBe(hex(rootOf(cut + 300)));
    }
  });

  it('rejects a frontier that does not fit its size', () => {
    const accumulator = new MerkleAccumulator();
    for (let i = 0; i < 5; i++) accumulator.append(LEAVES[i]!);
    const good = accumulator.toJSON();
    expect(() => MerkleAccumulator.fromJSON({ ...good, size: 7 })).toThrow(TypeError);
    expect(() => MerkleAccumulator.fromJSON({ ...good, size: -1 })).toThrow(TypeError);
    expect(() => MerkleAccumulator.fromJSON({ ...good, frontier: [good.frontier[0]!] })).toThrow(TypeError);
    expect(() => MerkleAccumulator.fromJSON({ ...good, frontier: [good.frontier[0]!, 'zz'] })).toThrow(
      TypeError,
    );
    expect(() =>
      MerkleAccumulator.fromJSON({ ...good, frontier: [good.frontier[0]!, good.frontier[1]!.toUpperCase()] }),
    ).toThrow(TypeError);
    expect(() => MerkleAccumulator.fromJSON(null as unknown as typeof good)).toThrow(TypeError);
  });
});

describe('scale', () => {
  it('builds the root of 2^16 + 3 leaves linearly, in batch and incrementally', () => {
    const n = 2 ** 16 + 3;
    const leaves = Array.from({ length: n }, (_, i) => LEAVES[i % LEAVES.length]!);
    const accumulator = new MerkleAccumulator();
    for (const l of leaves) accumulator.append(l);
    const tree = MerkleTree.fromLeafHashes(leaves);
    expect(hex(rootFromLeafHashes(leaves))).toBe(hex(accumulator.root()));
    expect(hex(tree.root())).toBe(hex(accumulator.root()));
    const i = n - 2;
    expect(verifyInclusion(leaves[i]!, i, n, tree.inclusionProof(i), tree.root())).toBe(true);
    const m = 2 ** 15 + 9;
    const oldRoot = rootFromLeafHashes(leaves, m);
    expect(verifyConsistency(m, n, oldRoot, tree.root(), tree.consistencyProof(m))).toBe(true);
  });
});
