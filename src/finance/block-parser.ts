/**
 * Streaming parser for raw serialized Bitcoin blocks, as found in Bitcoin Core's blk*.dat files or
 * returned by `getblock <hash> 0`.
 *
 * Layout (Bitcoin Core primitives/block.h, primitives/transaction.h):
 *   block  = header(80) ‖ CompactSize(txCount) ‖ tx*
 *   header = version(i32) ‖ prevHash(32) ‖ merkleRoot(32) ‖ time(u32) ‖ bits(u32) ‖ nonce(u32)
 *   legacy tx = version(i32) ‖ CompactSize(nIn) ‖ in* ‖ CompactSize(nOut) ‖ out* ‖ lockTime(u32)
 *   segwit tx (BIP-144) = version ‖ marker 0x00 ‖ flag 0x01 ‖ ins ‖ outs ‖ witness per input ‖ lockTime
 *   in  = prevTxid(32) ‖ vout(u32) ‖ CompactSize ‖ scriptSig ‖ sequence(u32)
 *   out = value(i64, satoshis) ‖ CompactSize ‖ scriptPubKey
 *   witness (per input) = CompactSize(items) ‖ (CompactSize(len) ‖ bytes)*
 * Taproot (BIP-341) changes nothing here: it is witness data like any other.
 *
 * Hashes (BIP-141): txid = SHA256d of the serialisation without marker, flag and witnesses; wtxid =
 * SHA256d of the full serialisation (equal to the txid for a transaction without witness); block hash =
 * SHA256d of the 80-byte header. Hashes are shown byte-reversed, as every Bitcoin tool does.
 * Weight (BIP-141) = 3 × stripped size + total size; vsize = ceil(weight / 4).
 *
 * Speed: everything is read by offset from the caller's buffer. The only copies are the 32-byte hash
 * reversals for display and, for segwit transactions only, the non-witness serialisation gathered into a
 * scratch buffer for hashing. Output scripts are kept as offsets; their hex and address are computed on
 * first access (Base58 encoding alone would cost more than the rest of the parse). SHA-256 is node:crypto's
 * one-shot `hash()`: measured on Node 20 it is 1.2–2.7× faster than @noble/hashes and than
 * createHash() at transaction sizes (2.9 µs vs 8.0 µs / 4.2 µs for a double hash of 250 bytes).
 */
import { hash as nodeHash } from 'node:crypto';
import { AppError } from '../platform/errors.ts';
import { type BtcNetwork, classifyScript, type ScriptType, scriptToAddress } from './btc-address.ts';

export interface BlockHeader {
  version: number;
  /** Previous block hash, display (byte-reversed) hex. */
  prevHash: string;
  /** Merkle root as written in the header, display hex. */
  merkleRoot: string;
  /** Unix seconds. */
  time: number;
  bits: number;
  nonce: number;
  /** SHA256d of the header, display hex. */
  hash: string;
}

export interface TxInput {
  /** Previous transaction id, display hex (all zeros for a coinbase). */
  prevTxid: string;
  vout: number;
  sequence: number;
  /** Null prevout (32 zero bytes, index 0xffffffff): the coinbase input. */
  coinbase: boolean;
  /** scriptSig as offsets into the block buffer. */
  scriptSigOffset: number;
  scriptSigLength: number;
  /** This input's witness stack (CompactSize item count included) as offsets; length 0 when absent. */
  witnessOffset: number;
  witnessLength: number;
}

/** One output. Script hex, type and address are derived lazily from offsets into the block buffer. */
export class TxOutput {
  readonly value: bigint;
  readonly scriptOffset: number;
  readonly scriptLength: number;
  private readonly buf: Buffer;
  private readonly network: BtcNetwork;
  private cachedAddress: string | null | undefined;

  constructor(buf: Buffer, value: bigint, scriptOffset: number, scriptLength: number, network: BtcNetwork) {
    this.buf = buf;
    this.value = value;
    this.scriptOffset = scriptOffset;
    this.scriptLength = scriptLength;
    this.network = network;
    this.cachedAddress = undefined;
  }

  get scriptPubKey(): string {
    return this.buf.toString('hex', this.scriptOffset, this.scriptOffset + this.scriptLength);
  }

  get scriptType(): ScriptType {
    return classifyScript(this.buf, this.scriptOffset, this.scriptOffset + this.scriptLength);
  }

  /** Standard address (P2PKH, P2SH, P2WPKH, P2WSH, P2TR, other witness versions), else null. */
  get address(): string | null {
    if (this.cachedAddress === undefined) {
      this.cachedAddress = scriptToAddress(
        this.buf,
        this.scriptOffset,
        this.scriptOffset + this.scriptLength,
        this.network,
      );
    }
    return this.cachedAddress;
  }

  toJSON(): { value: string; scriptPubKey: string; scriptType: ScriptType; address: string | null } {
    return {
      value: this.value.toString(),
      scriptPubKey: this.scriptPubKey,
      scriptType: this.scriptType,
      address: this.address,
    };
  }
}

export interface ParsedTransaction {
  txid: string;
  wtxid: string;
  version: number;
  lockTime: number;
  hasWitness: boolean;
  inputs: TxInput[];
  outputs: TxOutput[];
  /** Offset of the transaction in the buffer. */
  offset: number;
  /** Total serialised size in bytes (with witness). */
  size: number;
  /** Size without marker, flag and witnesses. */
  strippedSize: number;
  weight: number;
  vsize: number;
}

export interface ParsedBlock {
  header: BlockHeader;
  /** Header hash bytes in internal order. */
  headerHash: Buffer;
  transactions: ParsedTransaction[];
  /** The buffer the offsets refer to. */
  buffer: Buffer;
  offset: number;
  size: number;
  strippedSize: number;
  weight: number;
}

export interface ParseOptions {
  /** Address encoding for outputs. Default mainnet. */
  network?: BtcNetwork;
}

/** Network magic of blk*.dat records, as the four bytes on disk (Bitcoin Core chainparams.cpp). */
const BLK_MAGIC: Record<BtcNetwork, number> = {
  mainnet: 0xd9b4bef9, // f9 be b4 d9
  testnet: 0x0709110b, // 0b 11 09 07 (testnet3)
  regtest: 0xdab5bffa, // fa bf b5 da
};

const HEADER_SIZE = 80;
/** Bitcoin Core's MAX_SIZE for CompactSize-prefixed data (serialize.h). */
const MAX_COMPACT_SIZE = 0x02000000;
// Smallest possible encodings, to reject absurd counts before allocating for them.
const MIN_INPUT_SIZE = 41;
const MIN_OUTPUT_SIZE = 9;
const MIN_TX_SIZE = 10;

function fail(offset: number, message: string): AppError {
  return new AppError('IMPORT_FAILED', `${message} at byte offset ${offset}`, [
    { path: `byte ${offset}`, message },
  ]);
}

function sha256d(data: Uint8Array): Buffer {
  return nodeHash('sha256', nodeHash('sha256', data, 'buffer'), 'buffer');
}

const reverseScratch = Buffer.allocUnsafe(32);

/**
 * SHA256d of `data` in display (byte-reversed) hex, without allocating Buffers for the digests: hash()
 * returning a latin1 ("binary") string and a 32-byte Buffer.from (served from Node's pool) avoid two
 * external allocations per transaction. Measured on the fixture blocks: 126 MB/s with Buffer digests,
 * falling to 80 MB/s while the process holds 2 GB of typed arrays (V8 collects more often per external
 * byte); 181 and 187 MB/s respectively with this function.
 */
function sha256dDisplayHex(data: Uint8Array): string {
  // 'binary' is Node's name for latin1: one char per byte.
  const first = nodeHash('sha256', data, 'binary');
  const second = nodeHash('sha256', Buffer.from(first, 'binary'), 'binary');
  for (let i = 0; i < 32; i++) reverseScratch[i] = second.charCodeAt(31 - i);
  return reverseScratch.toString('hex');
}

/** Byte-reversed hex of the 32 bytes at `offset`: the usual display form of txids and block hashes. */
export function reversedHex(bytes: Uint8Array, offset = 0): string {
  for (let i = 0; i < 32; i++) reverseScratch[i] = bytes[offset + 31 - i]!;
  return reverseScratch.toString('hex');
}

let stripScratch = Buffer.allocUnsafe(1 << 16);

/**
 * Cursor over `buf[pos, end)` with explicit bounds checks, so that corrupt input fails with the offset
 * of the problem instead of a RangeError or, worse, silently reading the next record.
 */
class Reader {
  buf: Buffer;
  pos: number;
  end: number;

  constructor(buf: Buffer, pos: number, end: number) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      throw fail(this.pos, `truncated ${what}: needs ${n} bytes, ${this.end - this.pos} left`);
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u32(what: string): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }

  /**
   * CompactSize (Bitcoin Core serialize.h ReadCompactSize): 1, 3, 5 or 9 bytes. Like Core we reject
   * non-canonical encodings (a value that fits a shorter form) and values above MAX_SIZE.
   */
  compactSize(what: string): number {
    const at = this.pos;
    const first = this.u8(what);
    if (first < 0xfd) return first;
    const b = this.buf;
    let value: number;
    let min: number;
    if (first === 0xfd) {
      this.need(2, what);
      value = b[this.pos]! | (b[this.pos + 1]! << 8);
      this.pos += 2;
      min = 0xfd;
    } else if (first === 0xfe) {
      value = this.u32(what);
      min = 0x10000;
    } else {
      const lo = this.u32(what);
      const hi = this.u32(what);
      value = hi * 0x100000000 + lo;
      min = 0x100000000;
    }
    if (value < min) throw fail(at, `bad CompactSize for ${what}: non-canonical encoding of ${value}`);
    if (value > MAX_COMPACT_SIZE) throw fail(at, `bad CompactSize for ${what}: ${value} exceeds 2^25`);
    return value;
  }

  /** A count of items each at least `minSize` bytes long: must fit in what is left. */
  count(what: string, minSize: number): number {
    const at = this.pos;
    const n = this.compactSize(what);
    if (n * minSize > this.end - this.pos) {
      throw fail(
        at,
        `bad CompactSize for ${what} (or truncated data): ${n} items cannot fit in the ${this.end - this.pos} bytes left`,
      );
    }
    return n;
  }
}

/** Parses the 80-byte header at `offset`. */
export function parseBlockHeader(buf: Buffer, offset = 0): { header: BlockHeader; headerHash: Buffer } {
  if (offset + HEADER_SIZE > buf.length) {
    throw fail(offset, `truncated block header: needs 80 bytes, ${buf.length - offset} left`);
  }
  const headerHash = sha256d(buf.subarray(offset, offset + HEADER_SIZE));
  const header: BlockHeader = {
    version: buf.readInt32LE(offset),
    prevHash: reversedHex(buf, offset + 4),
    merkleRoot: reversedHex(buf, offset + 36),
    time: buf.readUInt32LE(offset + 68),
    bits: buf.readUInt32LE(offset + 72),
    nonce: buf.readUInt32LE(offset + 76),
    hash: reversedHex(headerHash),
  };
  return { header, headerHash };
}

function readTransaction(r: Reader, network: BtcNetwork): ParsedTransaction {
  const buf = r.buf;
  const start = r.pos;
  const version = r.u32('transaction version') | 0;
  // BIP-144: a zero where the input count would be is the segwit marker, followed by a non-zero flag.
  let hasWitness = false;
  if (r.pos + 1 < r.end && buf[r.pos] === 0x00) {
    const flag = buf[r.pos + 1]!;
    if (flag !== 0x01) throw fail(r.pos + 1, `unknown segwit flag 0x${flag.toString(16)}`);
    hasWitness = true;
    r.pos += 2;
  }
  const bodyStart = r.pos;

  const nIn = r.count('input count', MIN_INPUT_SIZE);
  const inputs: TxInput[] = new Array(nIn);
  for (let i = 0; i < nIn; i++) {
    r.need(36, 'input outpoint');
    const prevAt = r.pos;
    r.pos += 32;
    const vout = r.u32('input index');
    let coinbase = false;
    if (vout === 0xffffffff) {
      coinbase = true;
      for (let k = 0; k < 32; k++) {
        if (buf[prevAt + k] !== 0) {
          coinbase = false;
          break;
        }
      }
    }
    const scriptLength = r.compactSize('scriptSig length');
    const scriptSigOffset = r.pos;
    r.skip(scriptLength, 'scriptSig');
    const sequence = r.u32('input sequence');
    inputs[i] = {
      prevTxid: reversedHex(buf, prevAt),
      vout,
      sequence,
      coinbase,
      scriptSigOffset,
      scriptSigLength: scriptLength,
      witnessOffset: 0,
      witnessLength: 0,
    };
  }

  const nOut = r.count('output count', MIN_OUTPUT_SIZE);
  const outputs: TxOutput[] = new Array(nOut);
  for (let i = 0; i < nOut; i++) {
    r.need(8, 'output value');
    const value = buf.readBigInt64LE(r.pos);
    if (value < 0n) throw fail(r.pos, `negative output value ${value}`);
    r.pos += 8;
    const scriptLength = r.compactSize('scriptPubKey length');
    const scriptOffset = r.pos;
    r.skip(scriptLength, 'scriptPubKey');
    outputs[i] = new TxOutput(buf, value, scriptOffset, scriptLength, network);
  }

  const bodyEnd = r.pos;
  if (hasWitness) {
    let anyItem = false;
    for (let i = 0; i < nIn; i++) {
      const witnessOffset = r.pos;
      const items = r.count('witness item count', 1);
      for (let k = 0; k < items; k++) {
        const len = r.compactSize('witness item length');
        r.skip(len, 'witness item');
      }
      if (items > 0) anyItem = true;
      const input = inputs[i]!;
      input.witnessOffset = witnessOffset;
      input.witnessLength = r.pos - witnessOffset;
    }
    // Bitcoin Core rejects a witness flag with only empty stacks ("Superfluous witness record"): the
    // same bytes would otherwise have two txids' worth of meanings.
    if (!anyItem) throw fail(bodyEnd, 'superfluous witness record (segwit flag with empty witnesses)');
  }
  const lockTimeAt = r.pos;
  const lockTime = r.u32('lock time');
  const end = r.pos;
  const size = end - start;

  let txid: string;
  let wtxid: string;
  let strippedSize = size;
  if (hasWitness) {
    // Non-witness serialisation = version ‖ body ‖ lockTime: gather it, then hash (BIP-141 txid).
    const bodyLen = bodyEnd - bodyStart;
    strippedSize = 8 + bodyLen;
    if (stripScratch.length < strippedSize) stripScratch = Buffer.allocUnsafe(strippedSize * 2);
    buf.copy(stripScratch, 0, start, start + 4);
    buf.copy(stripScratch, 4, bodyStart, bodyEnd);
    buf.copy(stripScratch, 4 + bodyLen, lockTimeAt, end);
    txid = sha256dDisplayHex(stripScratch.subarray(0, strippedSize));
    wtxid = sha256dDisplayHex(buf.subarray(start, end));
  } else {
    txid = sha256dDisplayHex(buf.subarray(start, end));
    wtxid = txid;
  }
  const weight = strippedSize * 3 + size;
  return {
    txid,
    wtxid,
    version,
    lockTime,
    hasWitness,
    inputs,
    outputs,
    offset: start,
    size,
    strippedSize,
    weight,
    vsize: Math.ceil(weight / 4),
  };
}

/** Parses one transaction at `offset` (its `size` tells where the next one starts). */
export function parseTransaction(
  buf: Buffer,
  offset = 0,
  end = buf.length,
  options: ParseOptions = {},
): ParsedTransaction {
  return readTransaction(new Reader(buf, offset, end), options.network ?? 'mainnet');
}

interface BlockRange extends ParseOptions {
  /** Start of the block in `buf`. Default 0. */
  offset?: number;
  /** End of the block (exclusive). Default: end of the buffer; bytes left over are an error. */
  end?: number;
}

interface OpenedBlock {
  header: BlockHeader;
  headerHash: Buffer;
  reader: Reader;
  txCount: number;
  offset: number;
  end: number;
  network: BtcNetwork;
}

/** Header and transaction count of the block at options.offset, with a reader on its first transaction. */
function openBlock(buf: Buffer, options: BlockRange): OpenedBlock {
  const offset = options.offset ?? 0;
  const end = options.end ?? buf.length;
  if (end > buf.length) throw fail(buf.length, `truncated block: ${end - buf.length} bytes missing`);
  if (offset + HEADER_SIZE > end) {
    throw fail(offset, `truncated block header: needs 80 bytes, ${end - offset} left`);
  }
  const { header, headerHash } = parseBlockHeader(buf, offset);
  const reader = new Reader(buf, offset + HEADER_SIZE, end);
  const txCount = reader.count('transaction count', MIN_TX_SIZE);
  if (txCount === 0) throw fail(offset + HEADER_SIZE, 'block without transactions');
  return { header, headerHash, reader, txCount, offset, end, network: options.network ?? 'mainnet' };
}

function assertConsumed(r: Reader): void {
  if (r.pos !== r.end) throw fail(r.pos, `${r.end - r.pos} trailing bytes after the last transaction`);
}

/**
 * Streams a block: first the header, then one transaction at a time, without holding them all.
 * Throws AppError IMPORT_FAILED (with the byte offset) on truncation, bad CompactSize or trailing bytes.
 */
export function* iterateBlock(
  buf: Buffer,
  options: BlockRange = {},
): Generator<
  | { kind: 'header'; header: BlockHeader; headerHash: Buffer; txCount: number }
  | { kind: 'tx'; tx: ParsedTransaction },
  void
> {
  const b = openBlock(buf, options);
  yield { kind: 'header', header: b.header, headerHash: b.headerHash, txCount: b.txCount };
  for (let i = 0; i < b.txCount; i++) yield { kind: 'tx', tx: readTransaction(b.reader, b.network) };
  assertConsumed(b.reader);
}

/** Parses a whole block (header and all transactions). Same errors as iterateBlock. */
export function parseBlock(buf: Buffer, options: BlockRange = {}): ParsedBlock {
  const b = openBlock(buf, options);
  const r = b.reader;
  const transactions: ParsedTransaction[] = new Array(b.txCount);
  // Stripped size counts the header and the CompactSize transaction count too.
  let strippedSize = r.pos - b.offset;
  for (let i = 0; i < b.txCount; i++) {
    const tx = readTransaction(r, b.network);
    strippedSize += tx.strippedSize;
    transactions[i] = tx;
  }
  assertConsumed(r);
  const size = b.end - b.offset;
  return {
    header: b.header,
    headerHash: b.headerHash,
    transactions,
    buffer: buf,
    offset: b.offset,
    size,
    strippedSize,
    weight: strippedSize * 3 + size,
  };
}

/** Decodes hex (whitespace around it tolerated) and parses the block. */
export function parseBlockHex(hex: string, options: ParseOptions = {}): ParsedBlock {
  return parseBlock(hexToBuffer(hex), options);
}

/** Strict hex decoding: Buffer.from(hex, 'hex') silently stops at the first bad character. */
export function hexToBuffer(hex: string): Buffer {
  const text = hex.trim();
  if (text.length % 2 !== 0) throw fail(text.length, 'odd number of hex digits');
  const bad = /[^0-9a-fA-F]/.exec(text);
  if (bad) throw fail(bad.index, `not a hex digit ${JSON.stringify(bad[0])}`);
  return Buffer.from(text, 'hex');
}

/**
 * Reads Bitcoin Core blk*.dat content: records of magic(4) ‖ length(u32 LE) ‖ block, repeated. Core
 * pre-allocates these files in chunks filled with zeros, so a run of zero bytes at the end is the end of
 * the data; anything else that is not a valid record is an error (with its offset).
 */
export function* readBlocksFromBlkFile(
  buf: Buffer,
  options: ParseOptions = {},
): Generator<ParsedBlock, void> {
  const network = options.network ?? 'mainnet';
  const magic = BLK_MAGIC[network];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] === 0 && isAllZero(buf, pos)) return;
    if (pos + 8 > buf.length) throw fail(pos, `truncated blk record header: ${buf.length - pos} bytes left`);
    const got = buf.readUInt32LE(pos);
    if (got !== magic) throw fail(pos, `bad network magic 0x${got.toString(16).padStart(8, '0')}`);
    const length = buf.readUInt32LE(pos + 4);
    const blockStart = pos + 8;
    if (blockStart + length > buf.length) {
      throw fail(blockStart, `truncated block: record says ${length} bytes, ${buf.length - blockStart} left`);
    }
    yield parseBlock(buf, { offset: blockStart, end: blockStart + length, network });
    pos = blockStart + length;
  }
}

function isAllZero(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Network magic for framing blocks as blk*.dat records (tests, exports). */
export function blkMagic(network: BtcNetwork = 'mainnet'): number {
  return BLK_MAGIC[network];
}
