/**
 * Bulk loading with `COPY … FROM STDIN (FORMAT binary)`, the fastest way into PostgreSQL: no SQL
 * to parse per row, no array literals to escape, and the server inserts rows in batches
 * (heap_multi_insert). Rows are encoded straight into buffers by `BinaryCopyWriter`; `copyIn`
 * streams them through the Kysely connection the caller holds (a transaction's, usually), so the
 * rows land in that transaction like any other statement.
 *
 * Both engines take the same call: the pg driver streams the data over the COPY sub-protocol
 * (pg-copy-streams), PGlite reads it from its virtual `/dev/blob` file. The drivers recognise a
 * COPY by its one parameter being a `CopySource` (database.ts, pglite-dialect.ts).
 *
 * Binary format: PostgreSQL documentation, "COPY", section "Binary Format" — the 19-byte header
 * (signature, flags, extension length), per row an int16 field count and per field an int32 byte
 * length (-1 for NULL) followed by the type's binary send form, and an int16 -1 trailer.
 */
import { CompiledQuery } from 'kysely';
import type { Db } from './database.ts';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01T00:00:00Z). */
const PG_EPOCH_MS = 946_684_800_000;
const TEXT_OID = 25;
const TWO_32 = 2 ** 32;
const CHUNK = 1 << 20;
/** Characters a JSON string cannot carry as a plain ASCII byte: controls, quote, backslash, DEL and beyond. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON must escape.
const NOT_PLAIN = /[\u0000-\u001f"\\\u007f-\uffff]/;

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[65 + i] = 10 + i;
  HEX[97 + i] = 10 + i;
}

/**
 * Encodes rows in COPY's binary format into 1 MB buffers. Call `row(n)` and then exactly `n`
 * field methods, in the column order of the COPY statement; `take()` hands over the buffers
 * filled so far (for streaming), `end()` the rest with the trailer.
 */
export class BinaryCopyWriter {
  private buf: Buffer;
  private pos = 0;
  private done: Buffer[] = [];
  rows = 0;

  constructor() {
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.buf.set(SIGNATURE, 0);
    this.buf.writeInt32BE(0, 11); // flags: no OIDs
    this.buf.writeInt32BE(0, 15); // no header extension
    this.pos = 19;
  }

  /** Bytes encoded so far (finished buffers and the current one). */
  get size(): number {
    let n = this.pos;
    for (const b of this.done) n += b.length;
    return n;
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    if (this.pos > 0) this.done.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, bytes));
    this.pos = 0;
  }

  row(fields: number): void {
    this.room(2);
    this.buf.writeInt16BE(fields, this.pos);
    this.pos += 2;
    this.rows++;
  }

  private null(): void {
    this.room(4);
    this.buf.writeInt32BE(-1, this.pos);
    this.pos += 4;
  }

  text(s: string | null): void {
    if (s === null) {
      this.null();
      return;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units).
    const len = s.length;
    this.room(4 + 3 * len);
    const b = this.buf;
    const at = this.pos + 4;
    // Short ASCII (codes, ports, keys): a loop costs less than the call into the engine's encoder.
    if (len <= 24) {
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        b[at + i] = c;
      }
      if (i === len) {
        b.writeInt32BE(len, this.pos);
        this.pos = at + len;
        return;
      }
    }
    const n = b.write(s, at, 'utf8');
    b.writeInt32BE(n, this.pos);
    this.pos = at + n;
  }

  /** Fields encoded once (by `encodeFields`) and copied into each row, e.g. a batch's constants. */
  fields(encoded: Uint8Array): void {
    this.room(encoded.length);
    this.buf.set(encoded, this.pos);
    this.pos += encoded.length;
  }

  int4(n: number | null): void {
    if (n === null) {
      this.null();
      return;
    }
    this.room(8);
    this.buf.writeInt32BE(4, this.pos);
    this.buf.writeInt32BE(n, this.pos + 4);
    this.pos += 8;
  }

  float8(n: number | null): void {
    if (n === null) {
      this.null();
      return;
    }
    this.room(12);
    this.buf.writeInt32BE(8, this.pos);
    this.buf.writeDoubleBE(n, this.pos + 4);
    this.pos += 12;
  }

  bool(b: boolean | null): void {
    if (b === null) {
      this.null();
      return;
    }
    this.room(5);
    this.buf.writeInt32BE(1, this.pos);
    this.buf[this.pos + 4] = b ? 1 : 0;
    this.pos += 5;
  }

  /** A time as epoch milliseconds: timestamptz is int64 microseconds since 2000-01-01 UTC. */
  timestamptz(ms: number | null): void {
    if (ms === null) {
      this.null();
      return;
    }
    if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${ms}`);
    const us = (ms - PG_EPOCH_MS) * 1000;
    const hi = Math.floor(us / TWO_32);
    this.room(12);
    this.buf.writeInt32BE(8, this.pos);
    this.buf.writeInt32BE(hi, this.pos + 4);
    this.buf.writeUInt32BE(us - hi * TWO_32, this.pos + 8);
    this.pos += 12;
  }

  /** A UUID in its canonical 36-character form. */
  uuid(s: string | null): void {
    if (s === null) {
      this.null();
      return;
    }
    if (s.length !== 36) throw new RangeError(`not a UUID: ${s}`);
    this.room(20);
    this.buf.writeInt32BE(16, this.pos);
    let o = this.pos + 4;
    for (let i = 0; i < 36; i += 2) {
      if (i === 8 || i === 13 || i === 18 || i === 23) i++;
      const a = HEX[s.charCodeAt(i)] ?? -1;
      const b = HEX[s.charCodeAt(i + 1)] ?? -1;
      if (a < 0 || b < 0) throw new RangeError(`not a UUID: ${s}`);
      this.buf[o++] = (a << 4) | b;
    }
    this.pos += 20;
  }

  /** A one-dimensional text[] without NULL elements (empty: zero dimensions, as PostgreSQL sends '{}'). */
  textArray(xs: readonly string[] | null): void {
    if (xs === null) {
      this.null();
      return;
    }
    const header = xs.length === 0 ? 12 : 20;
    // Room for the worst case first, so the whole array (and its length prefix) is in one buffer.
    let worst = 4 + header;
    for (const x of xs) worst += 4 + 3 * x.length;
    this.room(worst);
    const start = this.pos;
    const b = this.buf;
    b.writeInt32BE(xs.length === 0 ? 0 : 1, start + 4); // dimensions
    b.writeInt32BE(0, start + 8); // no NULL elements
    b.writeInt32BE(TEXT_OID, start + 12);
    if (xs.length > 0) {
      b.writeInt32BE(xs.length, start + 16);
      b.writeInt32BE(1, start + 20); // lower bound
    }
    let p = start + 4 + header;
    for (const x of xs) {
      const n = b.write(x, p + 4, 'utf8');
      b.writeInt32BE(n, p);
      p += 4 + n;
    }
    b.writeInt32BE(p - start - 4, start);
    this.pos = p;
  }

  /* —— a text field written in pieces: JSON built straight into the buffer —— */

  private pieceBuf: Buffer | null = null;
  private pieceAt = 0;
  private pieceBytes = 0;

  /**
   * Starts a text field whose bytes follow from the piece methods below (no JavaScript string is
   * built for it); `endText()` writes its length in front. Pieces may run into a new buffer: the
   * stream is the buffers one after the other, so a field may span two.
   */
  beginText(): void {
    this.room(4);
    this.pieceBuf = this.buf;
    this.pieceAt = this.pos;
    this.pieceBytes = 0;
    this.pos += 4;
  }

  endText(): void {
    const b = this.pieceBuf;
    if (b === null) throw new Error('copy writer: endText without beginText');
    b.writeInt32BE(this.pieceBytes, this.pieceAt);
    this.pieceBuf = null;
  }

  /** Bytes as they are (ASCII punctuation and keys of a JSON text). */
  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    this.room(n);
    // A loop beats the native copy's call for the few bytes of a key.
    if (n > 24) this.buf.set(bytes, this.pos);
    else {
      const b = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) b[p++] = bytes[i] as number;
    }
    this.pos += n;
    this.pieceBytes += n;
  }

  /** A JSON string, exactly as JSON.stringify writes it. */
  jsonString(s: string): void {
    const n = s.length;
    this.room(2 + n);
    const b = this.buf;
    const start = this.pos;
    b[start] = 0x22;
    if (n > 24) {
      // Long text: one scan for anything but plain ASCII, then the engine's copy.
      if (NOT_PLAIN.test(s)) {
        this.jsonStringSlow(s);
        return;
      }
      b.write(s, start + 1, 'latin1');
    } else {
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) {
          this.jsonStringSlow(s);
          return;
        }
        b[start + 1 + i] = c;
      }
    }
    b[start + 1 + n] = 0x22;
    this.pos = start + 2 + n;
    this.pieceBytes += 2 + n;
  }

  /** The general case: JSON.stringify's own escaping, encoded to UTF-8 (over the bytes begun by the fast path). */
  private jsonStringSlow(s: string): void {
    const json = JSON.stringify(s);
    this.room(3 * json.length);
    const n = this.buf.write(json, this.pos, 'utf8');
    this.pos += n;
    this.pieceBytes += n;
  }

  /** A JSON number as JSON.stringify writes it (null when not finite). */
  jsonNumber(x: number): void {
    if (Number.isSafeInteger(x) && x >= 0) {
      this.jsonInteger(x);
      return;
    }
    // Fractions: the engine's shortest round-trip digits, written as ASCII.
    const t = Number.isFinite(x) ? String(x) : 'null';
    const n = t.length;
    this.room(n);
    const b = this.buf;
    const p = this.pos;
    for (let i = 0; i < n; i++) b[p + i] = t.charCodeAt(i);
    this.pos = p + n;
    this.pieceBytes += n;
  }

  /**
   * A non-negative safe integer in decimal (times in milliseconds have 13 digits): split at 10^8
   * so that every digit comes from 32-bit integer arithmetic, with no string made.
   */
  private jsonInteger(x: number): void {
    this.room(16);
    const b = this.buf;
    let p = this.pos;
    // Both halves fit 32-bit integers (2^53 / 10^8 < 2^27), where `| 0` keeps the arithmetic.
    const hi = Math.floor(x / 1e8) | 0;
    let lo = (x - hi * 1e8) | 0;
    if (hi > 0) {
      p += writeDigits(b, p, hi);
      for (let i = 7; i >= 0; i--) {
        const q = (lo / 10) | 0;
        b[p + i] = 0x30 + lo - q * 10;
        lo = q;
      }
      p += 8;
    } else p += writeDigits(b, p, lo);
    this.pieceBytes += p - this.pos;
    this.pos = p;
  }

  /** The buffers filled so far; the writer keeps encoding into new ones. */
  take(): Buffer[] {
    if (this.pos > 0) {
      this.done.push(this.buf.subarray(0, this.pos));
      this.buf = this.buf.subarray(this.pos);
      this.pos = 0;
      if (this.buf.length < 64 * 1024) this.buf = Buffer.allocUnsafe(CHUNK);
    }
    const out = this.done;
    this.done = [];
    return out;
  }

  /** Everything not yet taken, with the trailer. */
  end(): Buffer[] {
    this.room(2);
    this.buf.writeInt16BE(-1, this.pos);
    this.pos += 2;
    return this.take();
  }
}

/** The decimal digits of a non-negative 32-bit integer at `p`; returns how many. */
function writeDigits(b: Buffer, p: number, n: number): number {
  let digits = 1;
  for (let t = n; t >= 10; t = (t / 10) | 0) digits++;
  let v = n;
  for (let i = digits - 1; i >= 0; i--) {
    const q = (v / 10) | 0;
    b[p + i] = 0x30 + v - q * 10;
    v = q;
  }
  return digits;
}

/** The encoding of a few fields, to copy into many rows with `BinaryCopyWriter.fields`. */
export function encodeFields(write: (w: BinaryCopyWriter) => void): Uint8Array {
  const w = new BinaryCopyWriter();
  write(w);
  const all = Buffer.concat(w.take());
  return new Uint8Array(all.subarray(19));
}

/**
 * The data of one COPY … FROM STDIN, handed from the caller to the driver as the statement's one
 * parameter. The caller pushes buffers, the driver pulls them; `push` waits while more than
 * `highWater` bytes are queued (so encoding runs alongside the server, never far ahead of it) and
 * fails once the driver has failed.
 */
export class CopySource implements AsyncIterable<Buffer> {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private failed: { error: unknown } | null = null;
  private wakeDriver: (() => void) | null = null;
  private wakeCaller: (() => void) | null = null;

  constructor(private readonly highWater = 8 << 20) {}

  async push(chunks: readonly Buffer[]): Promise<void> {
    if (this.failed !== null) throw this.failed.error;
    for (const c of chunks) {
      this.queue.push(c);
      this.queued += c.length;
    }
    this.wake('driver');
    while (this.queued > this.highWater && this.failure() === null) {
      await new Promise<void>((resolve) => {
        this.wakeCaller = resolve;
      });
    }
    const f = this.failure();
    if (f !== null) throw f.error;
  }

  /** Read through a method: the driver may fail while `push` waits. */
  private failure(): { error: unknown } | null {
    return this.failed;
  }

  end(): void {
    this.ended = true;
    this.wake('driver');
  }

  /** The driver's failure: waiting and later pushes reject with it. */
  fail(error: unknown): void {
    this.failed = { error };
    this.wake('caller');
  }

  private wake(who: 'driver' | 'caller'): void {
    const w = who === 'driver' ? this.wakeDriver : this.wakeCaller;
    if (who === 'driver') this.wakeDriver = null;
    else this.wakeCaller = null;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const c = this.queue.shift();
      if (c !== undefined) {
        this.queued -= c.length;
        if (this.queued <= this.highWater) this.wake('caller');
        yield c;
        continue;
      }
      if (this.ended || this.failed !== null) return;
      await new Promise<void>((resolve) => {
        this.wakeDriver = resolve;
      });
    }
  }
}

/** A COPY in progress: push encoded buffers, then `end()` for the number of rows stored. */
export interface CopyIn {
  push(chunks: readonly Buffer[]): Promise<void>;
  end(chunks?: readonly Buffer[]): Promise<number>;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** The COPY statement both drivers receive (PGlite swaps STDIN for its `/dev/blob`). */
export function copyStatement(table: string, columns: readonly string[]): string {
  for (const name of [table, ...columns]) {
    if (!IDENT.test(name)) throw new Error(`copy: not a plain identifier: ${name}`);
  }
  return `copy ${table} (${columns.join(', ')}) from stdin with (format binary)`;
}

/**
 * Starts `COPY table (columns) FROM STDIN (FORMAT binary)` on `db` (a transaction: the rows are
 * part of it). Nothing else may run on that connection until `end()` has resolved.
 */
export function copyIn(db: Db, table: string, columns: readonly string[]): CopyIn {
  const source = new CopySource();
  const statement = CompiledQuery.raw(copyStatement(table, columns), [source]);
  const done = db.executeQuery<{ copied: number }>(statement).then(
    (r) => r.rows[0]?.copied ?? 0,
    (e: unknown) => {
      source.fail(e);
      throw e;
    },
  );
  // A failure is also reported by push/end; this keeps it from counting as unhandled meanwhile.
  done.catch(() => undefined);
  return {
    push: (chunks) => source.push(chunks),
    async end(chunks = []) {
      await source.push(chunks);
      source.end();
      return done;
    },
  };
}
