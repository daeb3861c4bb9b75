/**
 * Bitcoin address codec, private to the finance module: classify an output script, encode the standard
 * ones as addresses, and validate/decode addresses back to their scriptPubKey.
 *
 * Formats (all encoding work is done by @scure/base; this file only applies the Bitcoin rules on top):
 * - Base58Check (P2PKH, P2SH): one version byte + 20-byte hash + 4-byte double-SHA256 checksum.
 *   Version 0x00/0x05 on mainnet, 0x6f/0xc4 on testnet, signet and regtest.
 * - Segwit (BIP-141 witness programs): BIP-173 bech32 for witness version 0, BIP-350 bech32m for
 *   versions 1..16 (version 1 with a 32-byte program is taproot, BIP-341). Human-readable part "bc"
 *   (mainnet), "tb" (testnet/signet), "bcrt" (regtest).
 *
 * A fuller identifier module lives in src/identifiers/; this one is deliberately small and kept inside
 * finance so the block parser and the TagPack loader do not depend on work in progress elsewhere.
 */
import { hash } from 'node:crypto';
import { bech32, bech32m, createBase58check } from '@scure/base';

export type BtcNetwork = 'mainnet' | 'testnet' | 'regtest';

export type ScriptType =
  | 'p2pkh'
  | 'p2sh'
  | 'p2wpkh'
  | 'p2wsh'
  | 'p2tr'
  /** A witness program of version 1..16 other than taproot (BIP-350 still defines its address). */
  | 'witness_unknown'
  | 'p2pk'
  | 'multisig'
  | 'nulldata'
  | 'nonstandard';

interface NetworkParams {
  p2pkh: number;
  p2sh: number;
  hrp: string;
}

const NETWORKS: Record<BtcNetwork, NetworkParams> = {
  mainnet: { p2pkh: 0x00, p2sh: 0x05, hrp: 'bc' },
  testnet: { p2pkh: 0x6f, p2sh: 0xc4, hrp: 'tb' },
  regtest: { p2pkh: 0x6f, p2sh: 0xc4, hrp: 'bcrt' },
};

const sha256 = (data: Uint8Array): Uint8Array => hash('sha256', data, 'buffer');
const base58check = createBase58check(sha256);

// Opcodes used by the standard templates (Bitcoin Core script/script.h).
const OP_0 = 0x00;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_RETURN = 0x6a;
const OP_DUP = 0x76;
const OP_EQUAL = 0x87;
const OP_EQUALVERIFY = 0x88;
const OP_HASH160 = 0xa9;
const OP_CHECKSIG = 0xac;
const OP_CHECKMULTISIG = 0xae;

/**
 * Classifies the script in `buf[start, end)` without copying it. The templates are those of Bitcoin
 * Core's Solver() (script/solver.cpp): we recognise the same shapes, written independently.
 */
export function classifyScript(buf: Uint8Array, start: number, end: number): ScriptType {
  const n = end - start;
  const b0 = n > 0 ? buf[start]! : -1;
  if (
    n === 25 &&
    b0 === OP_DUP &&
    buf[start + 1] === OP_HASH160 &&
    buf[start + 2] === 20 &&
    buf[start + 23] === OP_EQUALVERIFY &&
    buf[start + 24] === OP_CHECKSIG
  ) {
    return 'p2pkh';
  }
  if (n === 23 && b0 === OP_HASH160 && buf[start + 1] === 20 && buf[start + 22] === OP_EQUAL) return 'p2sh';
  // BIP-141 witness program: a version opcode (OP_0 or OP_1..OP_16) then one direct push of 2..40 bytes.
  if (n >= 4 && n <= 42 && (b0 === OP_0 || (b0 >= OP_1 && b0 <= OP_16)) && buf[start + 1] === n - 2) {
    if (b0 === OP_0) {
      if (n === 22) return 'p2wpkh';
      if (n === 34) return 'p2wsh';
      return 'nonstandard';
    }
    if (b0 === OP_1 && n === 34) return 'p2tr';
    return 'witness_unknown';
  }
  if (b0 === OP_RETURN) return 'nulldata';
  if ((n === 35 && b0 === 33) || (n === 67 && b0 === 65)) {
    if (buf[end - 1] === OP_CHECKSIG) return 'p2pk';
  }
  if (n >= 37 && buf[end - 1] === OP_CHECKMULTISIG && b0 >= OP_1 && b0 <= OP_16) return 'multisig';
  return 'nonstandard';
}

/**
 * The address of a standard output script, or null for scripts that have no address (P2PK, bare
 * multisig, OP_RETURN, non-standard). P2PK outputs are deliberately not shown as the P2PKH address of
 * their key: that address never appears on chain and would invent links.
 */
export function scriptToAddress(
  buf: Uint8Array,
  start: number,
  end: number,
  network: BtcNetwork = 'mainnet',
): string | null {
  const params = NETWORKS[network];
  const type = classifyScript(buf, start, end);
  switch (type) {
    case 'p2pkh':
      return base58Address(params.p2pkh, buf.subarray(start + 3, start + 23));
    case 'p2sh':
      return base58Address(params.p2sh, buf.subarray(start + 2, start + 22));
    case 'p2wpkh':
    case 'p2wsh':
      return bech32.encode(params.hrp, [0, ...bech32.toWords(buf.subarray(start + 2, end))]);
    case 'p2tr':
    case 'witness_unknown': {
      const version = buf[start]! - OP_1 + 1;
      return bech32m.encode(params.hrp, [version, ...bech32m.toWords(buf.subarray(start + 2, end))]);
    }
    default:
      return null;
  }
}

function base58Address(version: number, hash20: Uint8Array): string {
  const payload = new Uint8Array(21);
  payload[0] = version;
  payload.set(hash20, 1);
  return base58check.encode(payload);
}

export interface DecodedBtcAddress {
  type: Exclude<ScriptType, 'p2pk' | 'multisig' | 'nulldata' | 'nonstandard'>;
  network: BtcNetwork;
  /** The scriptPubKey this address pays to. */
  scriptPubKey: Uint8Array;
}

/**
 * Decodes an address, or returns null when it is not a valid address of `network` (checksum, length,
 * version byte, witness version/program rules of BIP-173/BIP-350, mixed case).
 */
export function decodeBtcAddress(address: string, network: BtcNetwork = 'mainnet'): DecodedBtcAddress | null {
  const params = NETWORKS[network];
  const lower = address.toLowerCase();
  if (lower.startsWith(`${params.hrp}1`)) return decodeSegwit(address, params.hrp, network);
  if (address.length < 26 || address.length > 35) return null;
  let payload: Uint8Array;
  try {
    payload = base58check.decode(address);
  } catch {
    return null;
  }
  if (payload.length !== 21) return null;
  const version = payload[0];
  const h = payload.subarray(1);
  if (version === params.p2pkh) {
    return {
      type: 'p2pkh',
      network,
      scriptPubKey: concat([OP_DUP, OP_HASH160, 20], h, [OP_EQUALVERIFY, OP_CHECKSIG]),
    };
  }
  if (version === params.p2sh) {
    return { type: 'p2sh', network, scriptPubKey: concat([OP_HASH160, 20], h, [OP_EQUAL]) };
  }
  return null;
}

function decodeSegwit(address: string, hrp: string, network: BtcNetwork): DecodedBtcAddress | null {
  // BIP-173: at most 90 characters; the library rejects mixed case and bad checksums.
  const asBech32 = bech32.decodeUnsafe(address, 90);
  const asBech32m = asBech32 ? undefined : bech32m.decodeUnsafe(address, 90);
  const decoded = asBech32 ?? asBech32m;
  if (!decoded || decoded.prefix !== hrp) return null;
  const [version, ...rest] = decoded.words;
  if (version === undefined || version > 16) return null;
  // BIP-350: version 0 must use bech32, versions 1..16 must use bech32m.
  if ((version === 0) !== (asBech32 !== undefined)) return null;
  const program = bech32.fromWordsUnsafe(rest);
  if (!program || program.length < 2 || program.length > 40) return null;
  if (version === 0 && program.length !== 20 && program.length !== 32) return null;
  const type: DecodedBtcAddress['type'] =
    version === 0
      ? program.length === 20
        ? 'p2wpkh'
        : 'p2wsh'
      : version === 1 && program.length === 32
        ? 'p2tr'
        : 'witness_unknown';
  const versionOp = version === 0 ? OP_0 : OP_1 + version - 1;
  return { type, network, scriptPubKey: concat([versionOp, program.length], program, []) };
}

function concat(head: number[], body: Uint8Array, tail: number[]): Uint8Array {
  const out = new Uint8Array(head.length + body.length + tail.length);
  out.set(head, 0);
  out.set(body, head.length);
  out.set(tail, head.length + body.length);
  return out;
}

export function isValidBtcAddress(address: string, network: BtcNetwork = 'mainnet'): boolean {
  return decodeBtcAddress(address, network) !== null;
}
