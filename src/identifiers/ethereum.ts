import { keccak_256 } from '@noble/hashes/sha3.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { fail, type Normalized, ok } from './result.ts';

/**
 * EIP-55 mixed-case checksum: hash the lowercase hex address (as ASCII) with Keccak-256;
 * each letter is uppercased when the matching nibble of the hash is 8 or more.
 * Takes and returns the 40 hex digits without '0x'.
 */
export function eip55Checksum(hex: string): string {
  const lower = hex.toLowerCase();
  const hash = keccak_256(utf8ToBytes(lower));
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i] ?? '';
    const byte = hash[i >> 1] ?? 0;
    const nibble = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    out += nibble >= 8 ? ch.toUpperCase() : ch;
  }
  return out;
}

/**
 * Ethereum (and EVM-chain) account addresses: '0x' + 40 hex digits. All-lowercase and
 * all-uppercase forms carry no checksum and are accepted as is; a mixed-case address
 * claims EIP-55 and must match it exactly. Canonical form: lowercase, kind 'eth'.
 */
export function validateEthereumAddress(text: string): Normalized {
  if (!text.startsWith('0x')) return fail('BAD_FORMAT', 'Ethereum addresses start with 0x');
  const hex = text.slice(2);
  if (!/^[0-9a-fA-F]*$/.test(hex)) return fail('BAD_FORMAT', 'Ethereum address must be hexadecimal');
  if (hex.length !== 40) return fail('BAD_LENGTH', 'Ethereum address has 40 hex digits after 0x');
  const mixedCase = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
  if (mixedCase && eip55Checksum(hex) !== hex)
    return fail('BAD_CHECKSUM', 'EIP-55 checksum (letter case) mismatch');
  return ok(`0x${hex.toLowerCase()}`, 'eth');
}
