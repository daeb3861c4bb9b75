import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { parseBlockHex } from './block-parser.ts';
import { computeMerkleRoot, hashBytes, merkleRootFromTxids } from './merkle-root.ts';

const sha256d = (b: Buffer): Buffer =>
  createHash('sha256').update(createHash('sha256').update(b).digest()).digest();
const h = (n: number): Buffer => Buffer.alloc(32, n);

describe('merkle root', () => {
  for (const name of ['1', '300025', '482683']) {
    it(`block ${name}: root of the txids equals the header's`, () => {
      const b = parseBlockHex(readFileSync(`/work/shared/fixtures/bitcoin/${name}.hex`, 'utf8'));
      expect(merkleRootFromTxids(b.transactions.map((t) => t.txid))).toBe(b.header.merkleRoot);
      const { root, mutated } = computeMerkleRoot(b.transactions.map((t) => hashBytes(t.txid)));
      expect(Buffer.from(root).reverse().toString('hex')).toBe(b.header.merkleRoot);
      expect(mutated).toBe(false);
    });
  }

  it('one leaf is its own root', () => {
    expect(computeMerkleRoot([h(7)]).root).toEqual(h(7));
  });

  it('odd levels pair the last node with itself (checked by hand for 3 leaves)', () => {
    // level 1: H(a‖b), H(c‖c); root: H(H(a‖b) ‖ H(c‖c))
    const ab = sha256d(Buffer.concat([h(1), h(2)]));
    const cc = sha256d(Buffer.concat([h(3), h(3)]));
    const expected = sha256d(Buffer.concat([ab, cc]));
    expect(computeMerkleRoot([h(1), h(2), h(3)]).root).toEqual(expected);
  });

  it('flags the CVE-2012-2459 mutation: [a,b,c] and [a,b,c,c] share a root', () => {
    const three = computeMerkleRoot([h(1), h(2), h(3)]);
    const four = computeMerkleRoot([h(1), h(2), h(3), h(3)]);
    expect(four.root).toEqual(three.root);
    expect(three.mutated).toBe(false);
    expect(four.mutated).toBe(true);
  });

  it('rejects an empty list and malformed txids', () => {
    expect(() => computeMerkleRoot([])).toThrow(AppError);
    expect(() => merkleRootFromTxids(['abc'])).toThrow(/not 64 hex digits/);
  });
});
