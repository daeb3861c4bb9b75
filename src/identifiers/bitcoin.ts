import { bech32, bech32m } from '@scure/base';
import { decodeBase58Check } from './base58check.ts';
import { type Failure, fail, type Normalized, ok } from './result.ts';

/**
 * Bitcoin mainnet addresses.
 *
 * Legacy Base58Check (25 bytes: version + 20-byte hash + checksum): version 0x00 = P2PKH
 * ('1…'), 0x05 = P2SH ('3…').
 * Native SegWit, HRP 'bc': witness version + program, encoded with Bech32 for version 0
 * (BIP-173) and Bech32m for versions 1–16 (BIP-350); using the other variant is invalid.
 * Programs are 2–40 bytes (BIP-141); version 0 allows only 20 (P2WPKH) and 32 (P2WSH);
 * version 1 with 32 bytes is Taproot (BIP-341). Other v1–v16 programs are valid addresses
 * for not-yet-defined output types (BIP-350 asks wallets to accept them): kind
 * 'btc-witness-unknown'.
 *
 * Testnet and regtest ('m…', 'n…', '2…', 'tb1…', 'bcrt1…') are refused as
 * UNSUPPORTED_NETWORK: they carry no value and never belong in a case file.
 */
export type BitcoinKind =
  | 'btc-p2pkh'
  | 'btc-p2sh'
  | 'btc-p2wpkh'
  | 'btc-p2wsh'
  | 'btc-p2tr'
  | 'btc-witness-unknown';

export interface WitnessProgram {
  version: number;
  program: Uint8Array;
}

// The 32 symbols of the Bech32 data part (BIP-173).
const BECH32_DATA = /^[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/;
// BIP-173: the whole string, HRP and separator included, is at most 90 characters.
const BECH32_MAX_LENGTH = 90;

/** True for strings that are meant as SegWit addresses of any network, so errors are specific. */
export function looksLikeSegwit(text: string): boolean {
  return /^(?:bc|tb|bcrt)1/i.test(text);
}

/**
 * Decodes a SegWit address for the given HRP ('bc' mainnet, 'tb' testnet) following the
 * BIP-173 decoding rules as amended by BIP-350.
 */
export function decodeSegwitAddress(address: string, hrp: string): WitnessProgram | Failure {
  const lower = address.toLowerCase();
  if (address !== lower && address !== address.toUpperCase()) {
    return fail('BAD_FORMAT', 'Bech32 addresses must not mix upper and lower case');
  }
  if (lower.length > BECH32_MAX_LENGTH)
    return fail('BAD_LENGTH', 'Bech32 address is longer than 90 characters');
  const separator = lower.lastIndexOf('1');
  if (lower.slice(0, separator) !== hrp) return fail('UNSUPPORTED_NETWORK', `Expected the "${hrp}1" prefix`);
  const data = lower.slice(separator + 1);
  if (!BECH32_DATA.test(data)) return fail('BAD_FORMAT', 'Contains characters outside the Bech32 alphabet');
  // 6 checksum characters plus at least the witness version.
  if (data.length < 7) return fail('BAD_LENGTH', 'Bech32 address has no witness version');
  const asBech32 = bech32.decodeUnsafe(lower, BECH32_MAX_LENGTH);
  const asBech32m = asBech32 ? undefined : bech32m.decodeUnsafe(lower, BECH32_MAX_LENGTH);
  const decoded = asBech32 ?? asBech32m;
  if (!decoded) return fail('BAD_CHECKSUM', 'Bech32/Bech32m checksum mismatch');
  const [version, ...words] = decoded.words;
  if (version === undefined || version > 16) return fail('BAD_FORMAT', 'Witness version must be 0 to 16');
  if (version === 0 && !asBech32)
    return fail('BAD_CHECKSUM', 'Witness version 0 must use Bech32, not Bech32m (BIP-350)');
  if (version > 0 && !asBech32m)
    return fail('BAD_CHECKSUM', 'Witness version 1+ must use Bech32m, not Bech32 (BIP-350)');
  // fromWords refuses more than 4 bits of padding or non-zero padding (BIP-173).
  const program = bech32.fromWordsUnsafe(words);
  if (!program) return fail('BAD_FORMAT', 'Invalid padding in the witness program');
  if (program.length < 2 || program.length > 40)
    return fail('BAD_LENGTH', 'Witness program must be 2 to 40 bytes');
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    return fail('BAD_LENGTH', 'Version 0 witness program must be 20 or 32 bytes');
  }
  return { version, program };
}

function witnessKind({ version, program }: WitnessProgram): BitcoinKind {
  if (version === 0) return program.length === 20 ? 'btc-p2wpkh' : 'btc-p2wsh';
  if (version === 1 && program.length === 32) return 'btc-p2tr';
  return 'btc-witness-unknown';
}

/** Validates a trimmed Bitcoin address; canonical SegWit form is lowercase, Base58 is case-sensitive. */
export function validateBitcoinAddress(text: string): Normalized {
  if (looksLikeSegwit(text)) {
    const decoded = decodeSegwitAddress(text, 'bc');
    if ('ok' in decoded) return decoded;
    return ok(text.toLowerCase(), witnessKind(decoded));
  }
  const payload = decodeBase58Check(text, 25);
  if ('ok' in payload) return payload;
  switch (payload[0]) {
    case 0x00:
      return ok(text, 'btc-p2pkh');
    case 0x05:
      return ok(text, 'btc-p2sh');
    case 0x6f:
    case 0xc4:
      return fail('UNSUPPORTED_NETWORK', 'Bitcoin testnet address');
    default:
      return fail('UNKNOWN_CHAIN', 'Unknown Base58Check version byte');
  }
}

/**
 * The scriptPubKey an address pays to (BIP-16, BIP-141, BIP-341 templates); undefined when
 * the address is not a valid mainnet address. Used to cross-check against other decoders.
 */
export function bitcoinOutputScript(address: string): Uint8Array | undefined {
  if (looksLikeSegwit(address)) {
    const decoded = decodeSegwitAddress(address, 'bc');
    if ('ok' in decoded) return undefined;
    // OP_0 is 0x00; OP_1…OP_16 are 0x51…0x60; then a direct push of the program.
    const opcode = decoded.version === 0 ? 0x00 : 0x50 + decoded.version;
    return Uint8Array.of(opcode, decoded.program.length, ...decoded.program);
  }
  const payload = decodeBase58Check(address, 25);
  if ('ok' in payload) return undefined;
  const hash = payload.subarray(1);
  // P2PKH: OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG; P2SH: OP_HASH160 <20> OP_EQUAL.
  if (payload[0] === 0x00) return Uint8Array.of(0x76, 0xa9, 0x14, ...hash, 0x88, 0xac);
  if (payload[0] === 0x05) return Uint8Array.of(0xa9, 0x14, ...hash, 0x87);
  return undefined;
}
