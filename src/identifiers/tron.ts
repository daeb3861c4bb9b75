import { decodeBase58Check } from './base58check.ts';
import { fail, type Normalized, ok } from './result.ts';

/**
 * TRON account addresses: Base58Check of 21 bytes — the 0x41 network prefix and the
 * 20-byte account hash — which always renders as 34 characters starting with 'T'.
 * Canonical form: unchanged (Base58 is case-sensitive), kind 'tron'.
 */
export function validateTronAddress(text: string): Normalized {
  if (!text.startsWith('T')) return fail('BAD_FORMAT', "TRON addresses start with 'T'");
  if (text.length !== 34) return fail('BAD_LENGTH', 'TRON addresses have 34 characters');
  const payload = decodeBase58Check(text, 25);
  if ('ok' in payload) return payload;
  if (payload[0] !== 0x41) return fail('UNKNOWN_CHAIN', 'Not a TRON mainnet address (prefix 0x41)');
  return ok(text, 'tron');
}
