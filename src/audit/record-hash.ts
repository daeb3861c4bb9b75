/**
 * Canonical bytes and leaf hash of an audit record.
 *
 * The leaf hash is what goes into the Merkle tree (RFC 9162 §2.1.1: HASH(0x00 ||
 * entry)), so the encoding of a record must be a function of its *value* alone:
 * two processes that read the same record — today's server, or an auditor's tool
 * years later — must produce the same bytes, whatever the key order or number
 * formatting of the object they hold. The encoding is JSON with:
 *
 * - object keys sorted at every level, by UTF-16 code units (the order of
 *   `Array.prototype.sort`, also the order RFC 8785 uses);
 * - no whitespace;
 * - strings escaped exactly as `JSON.stringify` does (ECMAScript's
 *   well-formed stringify, so even lone surrogates have one fixed spelling);
 *   no Unicode normalisation — the bytes that were stored are the bytes hashed;
 * - numbers only as safe integers (|n| ≤ 2^53 − 1), written in decimal. Fractions,
 *   NaN, ±Infinity and larger integers are rejected rather than rounded: their JSON
 *   spelling differs between implementations or silently loses precision. Put such
 *   values in strings.
 * - only plain objects, arrays, strings, safe integers, booleans and null.
 *   `undefined` (which JSON.stringify would silently drop, making two different
 *   records hash alike), functions, symbols, bigints, Dates, Maps, class instances,
 *   sparse arrays and cycles are rejected.
 *
 * The result is UTF-8 encoded. Because the encoding is JSON, `JSON.parse` of the
 * bytes gives back an equal record.
 */
import { leafHash } from './merkle.ts';

/** A value that may appear in an audit record. */
export type AuditValue = string | number | boolean | null | readonly AuditValue[] | AuditRecord;

/** An audit record: a plain object whose values are AuditValues. */
export interface AuditRecord {
  readonly [key: string]: AuditValue;
}

/**
 * What the functions below accept. Records usually come from database rows and JSON
 * columns typed as `unknown`, so the static type is loose on purpose; every value is
 * checked at run time and anything that is not an AuditValue is rejected.
 */
export type AuditRecordInput = Readonly<Record<string, unknown>>;

/** Thrown when a record contains a value with no canonical encoding; `path` says where. */
export class RecordEncodingError extends TypeError {
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'RecordEncodingError';
    this.path = path;
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `path` extended by `key`, JavaScript-style: record.a.b, record["odd key"], record.list[2]. */
function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function encode(value: unknown, path: string, ancestors: Set<object>, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new RecordEncodingError(path, `number ${value} is not a safe integer; store it as a string`);
      }
      // String(-0) is "0": −0 and 0 are the same integer.
      out.push(String(value));
      return;
    case 'object':
      break;
    default:
      throw new RecordEncodingError(path, `a ${typeof value} has no canonical encoding`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (ancestors.has(value)) throw new RecordEncodingError(path, 'the record contains a cycle');
  ancestors.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new RecordEncodingError(childPath(path, i), 'sparse arrays are not allowed');
      if (i > 0) out.push(',');
      encode(value[i], childPath(path, i), ancestors, out);
    }
    out.push(']');
  } else {
    if (!isPlainObject(value)) {
      const kind = value.constructor?.name ?? 'object';
      throw new RecordEncodingError(path, `a ${kind} is not a plain object`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw new RecordEncodingError(path, 'symbol keys are not allowed');
    }
    const entries = value as Record<string, unknown>;
    const keys = Object.keys(entries).sort();
    out.push('{');
    keys.forEach((key, i) => {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(key), ':');
      encode(entries[key], childPath(path, key), ancestors, out);
    });
    out.push('}');
  }
  ancestors.delete(value);
}

/** The canonical JSON text of `record` (see the module comment). Throws RecordEncodingError. */
export function canonicalRecordJson(record: AuditRecordInput): string {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new RecordEncodingError('record', 'an audit record must be a plain object');
  }
  const out: string[] = [];
  encode(record, 'record', new Set(), out);
  return out.join('');
}

/** The canonical bytes of `record`: UTF-8 of canonicalRecordJson. */
export function canonicalRecordBytes(record: AuditRecordInput): Buffer {
  return Buffer.from(canonicalRecordJson(record), 'utf8');
}

/** The record's Merkle leaf hash, HASH(0x00 || canonical bytes) (RFC 9162 §2.1.1). */
export function recordLeafHash(record: AuditRecordInput): Buffer {
  return leafHash(canonicalRecordBytes(record));
}
