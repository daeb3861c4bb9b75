/**
 * Integrity summary of one raw block, for `portshield finance inspect-block FILE`: does the header's
 * merkle root match the transactions, does the segwit commitment match the witnesses, does the hash meet
 * the header's own difficulty target, and which height does the coinbase claim.
 */
import { hash as nodeHash } from 'node:crypto';
import { AppError } from '../platform/errors.ts';
import { blkMagic, hexToBuffer, type ParsedBlock, parseBlock } from './block-parser.ts';
import { computeMerkleRoot, hashBytes } from './merkle-root.ts';

export interface BlockInspection {
  hash: string;
  /** BIP-34 height from the coinbase scriptSig; null before version 2 or when absent/malformed. */
  height: number | null;
  version: number;
  time: number;
  txCount: number;
  size: number;
  weight: number;
  headerMerkleRoot: string;
  computedMerkleRoot: string;
  /** Duplicate adjacent nodes in the merkle tree (CVE-2012-2459): the list is not the real one. */
  merkleMutated: boolean;
  /** BIP-141 witness commitment check; null when the block carries neither witnesses nor a commitment. */
  witnessCommitmentOk: boolean | null;
  /** Header hash ≤ the target encoded in `bits`. Reported, not part of `ok` (test networks, fixtures). */
  proofOfWorkOk: boolean;
  /** The first transaction, and only it, is a coinbase (one input with the null prevout). */
  coinbaseOk: boolean;
  /** Merkle root matches, tree not mutated, coinbase placement right, witness commitment (if any) matches. */
  ok: boolean;
}

/**
 * Inspects one block given as raw bytes, as hex text (string, or a Buffer holding hex text, as read
 * from a .hex file), or as a single blk*.dat record (magic + length + block). Parse errors throw
 * AppError IMPORT_FAILED with the byte offset; a block that parses but does not add up returns ok: false.
 */
export function inspectBlock(input: Buffer | Uint8Array | string): BlockInspection {
  const block = parseBlock(toBlockBytes(input));
  const header = block.header;
  const { root, mutated } = computeMerkleRoot(block.transactions.map((t) => hashBytes(t.txid)));
  const computedMerkleRoot = Buffer.from(root).reverse().toString('hex');
  const witnessCommitmentOk = checkWitnessCommitment(block);
  const merkleOk = computedMerkleRoot === header.merkleRoot && !mutated;
  const coinbaseOk = block.transactions.every((tx, i) =>
    i === 0
      ? tx.inputs.length === 1 && tx.inputs[0]?.coinbase === true
      : !tx.inputs.some((inp) => inp.coinbase),
  );
  return {
    hash: header.hash,
    height: header.version >= 2 ? bip34Height(block) : null,
    version: header.version,
    time: header.time,
    txCount: block.transactions.length,
    size: block.size,
    weight: block.weight,
    headerMerkleRoot: header.merkleRoot,
    computedMerkleRoot,
    merkleMutated: mutated,
    witnessCommitmentOk,
    proofOfWorkOk: meetsTarget(header.hash, header.bits),
    coinbaseOk,
    ok: merkleOk && coinbaseOk && witnessCommitmentOk !== false,
  };
}

function toBlockBytes(input: Buffer | Uint8Array | string): Buffer {
  if (typeof input === 'string') return hexToBuffer(input);
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (looksLikeHexText(buf)) return hexToBuffer(buf.toString('latin1'));
  // A single blk*.dat record: strip the framing. More than one record is not "a block".
  if (buf.length >= 8 && buf.readUInt32LE(0) === blkMagic('mainnet')) {
    const length = buf.readUInt32LE(4);
    const rest = buf.subarray(8 + length);
    if (rest.length > 0 && rest.some((b) => b !== 0)) {
      throw new AppError('IMPORT_FAILED', `more than one block record (next at byte offset ${8 + length})`, [
        { path: `byte ${8 + length}`, message: 'use readBlocksFromBlkFile for blk*.dat files' },
      ]);
    }
    return buf.subarray(8, 8 + length);
  }
  return buf;
}

/**
 * Hex text rather than raw bytes: the first 160 bytes (a hex header) are all ASCII hex digits. A raw
 * header would need 160 consecutive bytes in that 22-value range, which real hashes never give.
 */
function looksLikeHexText(buf: Buffer): boolean {
  const n = Math.min(buf.length, 160);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = buf[i]!;
    const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
    if (!hex) return false;
  }
  return true;
}

/**
 * BIP-34: the coinbase scriptSig starts with a push of the height as a CScriptNum (little-endian,
 * minimal, sign bit in the top byte). OP_1..OP_16 encode heights 1..16 (BIP-34 as enforced by Core).
 */
export function bip34Height(block: ParsedBlock): number | null {
  const input = block.transactions[0]?.inputs[0];
  if (!input?.coinbase || input.scriptSigLength === 0) return null;
  const buf = block.buffer;
  const at = input.scriptSigOffset;
  const op = buf[at]!;
  if (op >= 0x51 && op <= 0x60) return op - 0x50;
  if (op < 1 || op > 8 || op + 1 > input.scriptSigLength) return null;
  let value = 0;
  for (let i = op; i >= 1; i--) value = value * 256 + buf[at + i]!;
  const top = buf[at + op]!;
  if (top & 0x80) return null; // negative: not a height
  return value;
}

const COMMITMENT_PREFIX = Buffer.from('6a24aa21a9ed', 'hex');

/**
 * BIP-141 witness commitment: the coinbase output with scriptPubKey `OP_RETURN 0x24 aa21a9ed ‖ 32 bytes`
 * (the last such output if several) must equal SHA256d(witness merkle root ‖ witness reserved value),
 * where the witness root is over wtxids with the coinbase's taken as 32 zero bytes and the reserved value
 * is the coinbase input's single 32-byte witness item. A block with witness data but no commitment is
 * invalid.
 */
export function checkWitnessCommitment(block: ParsedBlock): boolean | null {
  const buf = block.buffer;
  const coinbase = block.transactions[0]!;
  let commitmentAt = -1;
  for (const out of coinbase.outputs) {
    if (
      out.scriptLength >= 38 &&
      buf.compare(COMMITMENT_PREFIX, 0, 6, out.scriptOffset, out.scriptOffset + 6) === 0
    ) {
      commitmentAt = out.scriptOffset + 6;
    }
  }
  const anyWitness = block.transactions.some((t) => t.hasWitness);
  if (commitmentAt < 0) return anyWitness ? false : null;
  const input = coinbase.inputs[0];
  if (input === undefined) return false;
  // Coinbase witness must be exactly one item of 32 bytes: CompactSize 1, CompactSize 32, 32 bytes.
  const w = input.witnessOffset;
  if (input.witnessLength !== 34 || buf[w] !== 1 || buf[w + 1] !== 32) return false;
  const leaves = block.transactions.map((t, i) => (i === 0 ? Buffer.alloc(32) : hashBytes(t.wtxid)));
  const witnessRoot = computeMerkleRoot(leaves).root;
  const preimage = Buffer.concat([
    witnessRoot,
    buf.subarray(input.witnessOffset + 2, input.witnessOffset + 34),
  ]);
  const commitment = nodeHash('sha256', nodeHash('sha256', preimage, 'buffer'), 'buffer');
  return buf.compare(commitment, 0, 32, commitmentAt, commitmentAt + 32) === 0;
}

/** Compact target (nBits) as in Core's arith_uint256::SetCompact; a negative or overflowing one fails. */
function meetsTarget(hashHex: string, bits: number): boolean {
  const exponent = bits >>> 24;
  const mantissa = bits & 0x007fffff;
  if (bits & 0x00800000 || mantissa === 0) return false;
  const target =
    exponent <= 3
      ? BigInt(mantissa >>> (8 * (3 - exponent)))
      : BigInt(mantissa) << BigInt(8 * (exponent - 3));
  if (target >= 1n << 256n) return false;
  return BigInt(`0x${hashHex}`) <= target;
}
