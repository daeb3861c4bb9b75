import { createHash, randomBytes, randomFillSync, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

let lastMs = -1;
let sequence = 0;
const v7 = Buffer.alloc(16);
/** Random bytes drawn 4 KB at a time: a call into the generator per id cost more than the rest of it. */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/**
 * A time-ordered UUID (RFC 9562 version 7: 48-bit Unix milliseconds, then random bits; a 12-bit
 * sequence in `rand_a` keeps ids made in the same millisecond in order). For rows written in bulk:
 * an index over ordered ids grows at its right edge, where random ids touch any page of it, which
 * at millions of rows means pages read back from disk. `atMs` is the time the caller records
 * (time is passed in); ids stay ordered within this process even if it goes back.
 */
export function newSortableId(atMs: number): string {
  let ms = Math.max(Math.floor(atMs), lastMs);
  if (ms === lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      ms++;
      sequence = 0;
    }
  } else sequence = 0;
  lastMs = ms;
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  pool.copy(v7, 8, poolAt, poolAt + 8);
  poolAt += 8;
  v7.writeUIntBE(ms, 0, 6);
  v7[6] = 0x70 | (sequence >> 8);
  v7[7] = sequence & 0xff;
  v7[8] = ((v7[8] as number) & 0x3f) | 0x80;
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) at++; // the dashes stay where they were put
    const byte = v7[i] as number;
    text[at++] = HEX_DIGITS[byte >> 4] as number;
    text[at++] = HEX_DIGITS[byte & 15] as number;
  }
  return text.toString('latin1');
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** The id's text, written in place: 32 hex digits around four dashes. */
const text = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');

/** A random secret for sessions and tokens: 32 bytes, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are stored only as their SHA-256, so a database leak gives no live session. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A deterministic UUID (version 8 layout) from a name, for stable ids in exports and the demo world. */
export function uuidFromName(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x80;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from URLs are checked before they reach SQL, so a malformed id answers like a missing one. */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}
