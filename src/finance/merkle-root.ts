/**
 * Bitcoin merkle root (Bitcoin Core consensus/merkle.cpp, described in the Bitcoin developer guide):
 * leaves are txids in internal byte order; each level hashes the concatenation of consecutive pairs with
 * SHA256d; a level with an odd number of nodes pairs its last node with itself. A single leaf is its own
 * root.
 *
 * The duplication rule makes two different transaction lists share a root (CVE-2012-2459: repeating the
 * last transactions of a level). Core detects that "mutation"; we report it too, so a caller checking a
 * block's integrity can refuse such a list.
 */
import { hash as nodeHash } from 'node:crypto';
import { AppError } from '../platform/errors.ts';

function sha256d(data: Uint8Array): Buffer {
  return nodeHash('sha256', nodeHash('sha256', data, 'buffer'), 'buffer');
}

export interface MerkleResult {
  /** Root in internal byte order. */
  root: Buffer;
  /** True when some level had two identical adjacent nodes (CVE-2012-2459). */
  mutated: boolean;
}

/** Merkle root of 32-byte hashes given in internal byte order. */
export function computeMerkleRoot(hashes: readonly Uint8Array[]): MerkleResult {
  if (hashes.length === 0) throw new AppError('IMPORT_FAILED', 'merkle root of an empty transaction list');
  // One flat buffer per level, reduced in place: node i of the next level overwrites slot i.
  let n = hashes.length;
  const level = Buffer.allocUnsafe(n * 32);
  for (let i = 0; i < n; i++) {
    const h = hashes[i]!;
    if (h.length !== 32) throw new AppError('IMPORT_FAILED', `hash ${i} has ${h.length} bytes, expected 32`);
    level.set(h, i * 32);
  }
  const pair = Buffer.allocUnsafe(64);
  let mutated = false;
  while (n > 1) {
    let out = 0;
    for (let i = 0; i < n; i += 2) {
      const left = i * 32;
      const right = i + 1 < n ? left + 32 : left;
      if (right !== left && level.compare(level, right, right + 32, left, left + 32) === 0) mutated = true;
      level.copy(pair, 0, left, left + 32);
      level.copy(pair, 32, right, right + 32);
      sha256d(pair).copy(level, out * 32);
      out++;
    }
    n = out;
  }
  return { root: Buffer.from(level.subarray(0, 32)), mutated };
}

/** Internal-order bytes of a hash shown in display (byte-reversed) hex, such as a txid. */
export function hashBytes(displayHex: string): Buffer {
  return Buffer.from(displayHex, 'hex').reverse();
}

/** Merkle root of txids in display (byte-reversed) hex; the root is returned in display hex too. */
export function merkleRootFromTxids(txids: readonly string[]): string {
  const hashes = txids.map((id, i) => {
    if (!/^[0-9a-fA-F]{64}$/.test(id)) {
      throw new AppError('IMPORT_FAILED', `txid ${i} is not 64 hex digits`, [
        { path: `txids.${i}`, message: 'not 64 hex digits' },
      ]);
    }
    return hashBytes(id);
  });
  return Buffer.from(computeMerkleRoot(hashes).root).reverse().toString('hex');
}
