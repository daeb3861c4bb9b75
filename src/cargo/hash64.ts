/**
 * A compact map from strings (kept only as 64-bit hashes) to 32-bit values, in typed arrays:
 * 12 bytes a slot instead of a JavaScript string and Map entry (~100 bytes), so a year of seal
 * numbers (millions) fits in tens of megabytes and serialises as three base64 blobs.
 *
 * Two different strings collide with probability ≈ n²/2⁶⁵ (7 M keys: ≈ 1.3·10⁻⁶), which is
 * negligible for a risk indicator. Keys are never returned.
 */

/** Two independent 32-bit FNV-1a style hashes (different offsets and a final avalanche). */
export function hash64(s: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return [avalanche(h1), avalanche(h2 ^ s.length)];
}

/** A 32-bit hash (for values stored beside a key). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return avalanche(h);
}

function avalanche(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Hash64MapJSON {
  size: number;
  capacity: number;
  /** Slots as little-endian uint32 quadruples [hash hi, hash lo, value, unused], base64. */
  slots: string;
}

/**
 * Open addressing with linear probing over one Uint32Array of 4-word slots, so a probe touches
 * one 16-byte slot (one cache line) instead of three parallel arrays. Load factor ≤ 0.75.
 */
export class Hash64Map {
  private slots: Uint32Array;
  private mask: number;
  private n = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.slots = new Uint32Array(cap * 4);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.n;
  }

  /**
   * The last keys hashed and their hashes: history looks a declaration's seals up when scoring it
   * and sets them right after, so the second call reuses the hash (two entries: most
   * declarations carry one or two seals).
   */
  private k0: string | null = null;
  private k1: string | null = null;
  private h0 = new Uint32Array(2);
  private h1 = new Uint32Array(2);
  private a = 0;
  private b = 0;

  /** Sets `this.a`, `this.b` to the key's hash halves (b never 0 when a is 0: 0/0 marks an empty slot). */
  private hash(key: string): void {
    if (key === this.k0) {
      this.a = this.h0[0] ?? 0;
      this.b = this.h0[1] ?? 0;
      return;
    }
    if (key === this.k1) {
      this.a = this.h1[0] ?? 0;
      this.b = this.h1[1] ?? 0;
      return;
    }
    const [a, b0] = hash64(key);
    const b = b0 === 0 && a === 0 ? 1 : b0;
    this.a = a;
    this.b = b;
    // The newer entry moves to slot 0.
    this.k1 = this.k0;
    const t = this.h1;
    this.h1 = this.h0;
    this.h0 = t;
    this.k0 = key;
    t[0] = a;
    t[1] = b;
  }

  /** The stored value, or -1 when absent. */
  get(key: string): number {
    this.hash(key);
    const a = this.a;
    const b = this.b;
    const slots = this.slots;
    let i = a & this.mask;
    for (;;) {
      const o = i << 2;
      const h = slots[o] ?? 0;
      const l = slots[o + 1] ?? 0;
      if (h === 0 && l === 0) return -1;
      if (h === a && l === b) return slots[o + 2] ?? 0;
      i = (i + 1) & this.mask;
    }
  }

  set(key: string, value: number): void {
    if ((this.n + 1) * 4 > (this.mask + 1) * 3) this.resize();
    this.hash(key);
    this.insert(this.a, this.b, value >>> 0);
  }

  private insert(a: number, b: number, value: number): void {
    const slots = this.slots;
    let i = a & this.mask;
    for (;;) {
      const o = i << 2;
      const h = slots[o] ?? 0;
      const l = slots[o + 1] ?? 0;
      if (h === 0 && l === 0) {
        slots[o] = a;
        slots[o + 1] = b;
        slots[o + 2] = value;
        this.n++;
        return;
      }
      if (h === a && l === b) {
        slots[o + 2] = value;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  private resize(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * 4);
    this.mask = cap - 1;
    this.n = 0;
    for (let o = 0; o < old.length; o += 4) {
      const h = old[o] ?? 0;
      const l = old[o + 1] ?? 0;
      if (h !== 0 || l !== 0) this.insert(h, l, old[o + 2] ?? 0);
    }
  }

  toJSON(): Hash64MapJSON {
    const s = this.slots;
    return {
      size: this.n,
      capacity: this.mask + 1,
      slots: Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('base64'),
    };
  }

  static fromJSON(json: Hash64MapJSON): Hash64Map {
    const buf = Buffer.from(json.slots, 'base64');
    if (buf.byteLength !== json.capacity * 16)
      throw new RangeError('Hash64Map: blob size does not match capacity');
    const m = new Hash64Map(json.capacity);
    // Copy byte-wise: a pooled Buffer need not be 4-byte aligned. Blobs are little-endian
    // (the byte order of every platform Node supports in practice).
    new Uint8Array(m.slots.buffer).set(buf);
    m.n = json.size;
    return m;
  }
}
