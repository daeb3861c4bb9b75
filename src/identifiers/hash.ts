import { compact, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * File/message digests in hexadecimal, identified by length: 128 bits MD5 (RFC 1321),
 * 160 bits SHA-1, 256 bits SHA-256 and 512 bits SHA-512 (FIPS 180-4). Other 256/512-bit
 * digests (SHA3, BLAKE2) have the same lengths; the kind names the usual interpretation.
 * Canonical form: lowercase hex.
 */
const KIND_BY_LENGTH: ReadonlyMap<number, string> = new Map([
  [32, 'md5'],
  [40, 'sha1'],
  [64, 'sha256'],
  [128, 'sha512'],
]);

export function validateHash(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const hex = compact(text).toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) return fail('BAD_FORMAT', 'Hash must be hexadecimal');
  const kind = KIND_BY_LENGTH.get(hex.length);
  if (kind === undefined)
    return fail(
      'BAD_LENGTH',
      'Hash must have 32 (MD5), 40 (SHA-1), 64 (SHA-256) or 128 (SHA-512) hex digits',
    );
  return ok(hex, kind);
}
