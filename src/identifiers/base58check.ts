import { sha256 } from '@noble/hashes/sha2.js';
import { base58 } from '@scure/base';
import { type Failure, fail } from './result.ts';

// Bitcoin's Base58 alphabet: no 0, O, I or l, which are easy to confuse on paper.
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;

/**
 * Base58Check as used by Bitcoin and TRON: payload (version byte + hash) followed by the
 * first 4 bytes of SHA-256(SHA-256(payload)). Returns the payload, version byte included.
 * `expectedBytes` is the full decoded length (payload + 4); a mismatch is BAD_LENGTH.
 */
export function decodeBase58Check(text: string, expectedBytes: number): Uint8Array | Failure {
  if (!BASE58.test(text)) return fail('BAD_FORMAT', 'Contains characters outside the Base58 alphabet');
  const bytes = base58.decode(text);
  if (bytes.length !== expectedBytes) {
    return fail('BAD_LENGTH', `Decodes to ${bytes.length} bytes instead of ${expectedBytes}`);
  }
  const payload = bytes.subarray(0, -4);
  const checksum = bytes.subarray(-4);
  const expected = sha256(sha256(payload)).subarray(0, 4);
  if (!expected.every((byte, i) => byte === checksum[i]))
    return fail('BAD_CHECKSUM', 'Base58Check checksum mismatch');
  return payload;
}
