import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditRecord,
  type AuditValue,
  canonicalRecordBytes,
  canonicalRecordJson,
  RecordEncodingError,
  recordLeafHash,
} from './record-hash.ts';

const hashHex = (r: AuditRecord): string => recordLeafHash(r).toString('hex');

// Arbitrary audit records: nested plain objects and arrays of strings, safe integers,
// booleans and null.
const { value: valueArb } = fc.letrec<{ value: AuditValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.maxSafeInteger().map((n) => (n === 0 ? 0 : n)), // no −0: it encodes as 0 and JSON-parses back as 0
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
}));
const recordArb: fc.Arbitrary<AuditRecord> = fc.dictionary(fc.string({ maxLength: 6 }), valueArb, {
  minKeys: 1,
  maxKeys: 6,
});

const isObject = (v: AuditValue): v is AuditRecord =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The same value with every object's keys inserted in reverse order. */
function reversedKeys(v: AuditValue): AuditValue {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (isObject(v)) {
    return Object.fromEntries(
      Object.keys(v)
        .reverse()
        .map((k) => [k, reversedKeys(v[k]!)]),
    );
  }
  return v;
}

type Path = (string | number)[];

/** Paths to every scalar (string, number, boolean, null) in `v`. */
function scalarPaths(v: AuditValue, path: Path = []): Path[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => scalarPaths(x, [...path, i]));
  if (isObject(v)) return Object.keys(v).flatMap((k) => scalarPaths(v[k]!, [...path, k]));
  return [path];
}

/** A different scalar of the same kind where possible. */
function changed(v: AuditValue): AuditValue {
  if (typeof v === 'string')
    return v.length === 0 ? 'x' : String.fromCharCode(v.charCodeAt(0) ^ 1) + v.slice(1);
  if (typeof v === 'number') return v === Number.MAX_SAFE_INTEGER ? v - 1 : v + 1;
  if (typeof v === 'boolean') return !v;
  return 0; // null
}

/** `v` with the value at `path` replaced by `f(old)` (copy-on-write). */
function updated(v: AuditValue, path: Path, f: (old: AuditValue) => AuditValue): AuditValue {
  if (path.length === 0) return f(v);
  const [head, ...rest] = path;
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? updated(x, rest, f) : x));
  if (isObject(v)) {
    return Object.fromEntries(Object.keys(v).map((k) => [k, k === head ? updated(v[k]!, rest, f) : v[k]!]));
  }
  throw new Error('bad path');
}

describe('canonicalRecordBytes', () => {
  it('writes sorted keys, no whitespace, plain JSON scalars', () => {
    const record = { zeta: [true, null, 'x', -5], alpha: { b: 'é', a: 0 }, 'odd key': '' };
    expect(canonicalRecordJson(record)).toBe(
      '{"alpha":{"a":0,"b":"é"},"odd key":"","zeta":[true,null,"x",-5]}',
    );
    expect(canonicalRecordBytes(record).toString('hex')).toBe(
      Buffer.from('{"alpha":{"a":0,"b":"é"},"odd key":"","zeta":[true,null,"x",-5]}', 'utf8').toString('hex'),
    );
  });

  it('sorts keys by UTF-16 code units, not by locale', () => {
    expect(canonicalRecordJson({ b: 1, B: 2, a: 3, é: 4, '10': 5, '9': 6 })).toBe(
      '{"10":5,"9":6,"B":2,"a":3,"b":1,"é":4}',
    );
  });

  it('does not depend on key order, at any depth', () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const reordered = reversedKeys(record) as AuditRecord;
        expect(canonicalRecordBytes(reordered).equals(canonicalRecordBytes(record))).toBe(true);
        expect(hashHex(reordered)).toBe(hashHex(record));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const json = canonicalRecordJson(record);
        expect(JSON.parse(json)).toEqual(record);
        expect(canonicalRecordJson(JSON.parse(json) as AuditRecord)).toBe(json);
      }),
      { numRuns: 300 },
    );
  });

  it('escapes strings deterministically, including lone surrogates and control characters', () => {
    expect(canonicalRecordJson({ s: '\ud800' })).toBe('{"s":"\\ud800"}');
    expect(canonicalRecordJson({ s: 'a"b\\c\n\u0001' })).toBe('{"s":"a\\"b\\\\c\\n\\u0001"}');
    expect(canonicalRecordJson({ s: '😀' })).toBe('{"s":"😀"}');
  });

  it('keeps shared (non-cyclic) sub-objects', () => {
    const shared = { x: 1 };
    expect(canonicalRecordJson({ a: shared, b: [shared, shared] })).toBe(
      '{"a":{"x":1},"b":[{"x":1},{"x":1}]}',
    );
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as Record<string, AuditValue>, { b: 1, a: 2 });
    expect(canonicalRecordJson(bare)).toBe('{"a":2,"b":1}');
  });

  it('writes −0 as 0', () => {
    expect(canonicalRecordJson({ n: -0 })).toBe('{"n":0}');
  });
});

describe('recordLeafHash', () => {
  it('is the RFC 9162 leaf hash of the canonical bytes', () => {
    const record = { action: 'item.view', itemId: 'abc', at: 1_700_000_000_000 };
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.of(0), Buffer.from(canonicalRecordJson(record))]))
      .digest('hex');
    expect(hashHex(record)).toBe(expected);
  });

  it('changes when any value changes', () => {
    fc.assert(
      fc.property(recordArb, fc.nat(), (record, pick) => {
        const paths = scalarPaths(record);
        fc.pre(paths.length > 0);
        const path = paths[pick % paths.length]!;
        const altered = updated(record, path, changed) as AuditRecord;
        expect(hashHex(altered)).not.toBe(hashHex(record));
      }),
      { numRuns: 500 },
    );
  });

  it('changes when a key is added, removed or renamed', () => {
    fc.assert(
      fc.property(recordArb, fc.string({ maxLength: 6 }), (record, key) => {
        const keys = Object.keys(record);
        const first = keys[0]!;
        const { [first]: removedValue, ...rest } = record;
        expect(hashHex(rest)).not.toBe(hashHex(record));
        if (!keys.includes(key)) {
          expect(hashHex({ ...record, [key]: null })).not.toBe(hashHex(record));
          expect(hashHex({ ...rest, [key]: removedValue! })).not.toBe(hashHex(record));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('changes when any byte of a string changes', () => {
    const text = 'Container MSCU1234565 cleared at Rotterdam — ✓ inspected';
    const base = hashHex({ note: text });
    const bytes = Buffer.from(text, 'utf8');
    const seen = new Set([base]);
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes);
      copy[i] = copy[i]! ^ 0x01;
      const h = hashHex({ note: copy.toString('utf8') });
      expect(h).not.toBe(base);
      seen.add(h);
    }
    // Every single-byte change gives a distinct hash.
    expect(seen.size).toBe(bytes.length + 1);
  });

  it('tells apart values that look alike', () => {
    const lookalikes: AuditRecord[] = [
      {},
      { a: null },
      { a: 'null' },
      { a: 1 },
      { a: '1' },
      { a: true },
      { a: 'true' },
      { a: [] },
      { a: {} },
      { a: '' },
      { a: [1, 2] },
      { a: [2, 1] },
      { a: [[1], 2] },
      { a: [1, [2]] },
      { 'a,b': 1 },
      { a: 1, b: 1 },
      { a: { b: 1 } },
      { 'a.b': 1 },
      { a: 'café' }, // NFC
      { a: 'cafe\u0301' }, // NFD: same text to a reader, different bytes
    ];
    const hashes = lookalikes.map(hashHex);
    expect(new Set(hashes).size).toBe(lookalikes.length);
  });
});

describe('rejected values', () => {
  class Custom {
    x = 1;
  }
  const sparse: AuditValue[] = [1];
  sparse[2] = 3;
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };

  const cases: [string, unknown, string][] = [
    ['NaN', { n: Number.NaN }, 'record.n'],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, 'record.n'],
    ['a fraction', { amount: { value: 1.5 } }, 'record.amount.value'],
    ['an unsafe integer', { n: 2 ** 53 }, 'record.n'],
    ['undefined', { items: [{ a: 1 }, { a: undefined }] }, 'record.items[1].a'],
    ['a bigint', { n: 1n }, 'record.n'],
    ['a symbol', { s: Symbol('x') }, 'record.s'],
    ['a function', { f: () => 1 }, 'record.f'],
    ['a Date', { at: new Date(0) }, 'record.at'],
    ['a Map', { m: new Map() }, 'record.m'],
    ['a class instance', { c: new Custom() }, 'record.c'],
    ['a Buffer', { b: Buffer.from('x') }, 'record.b'],
    ['a sparse array', { list: sparse }, 'record.list[1]'],
    ['a cycle', cyclic, 'record.self.back'],
    ['a symbol key', { [Symbol('k')]: 1 }, 'record'],
    ['an odd key path', { 'odd key': Number.NaN }, 'record["odd key"]'],
  ];

  for (const [what, record, path] of cases) {
    it(`rejects ${what}, naming where`, () => {
      let error: unknown;
      try {
        canonicalRecordBytes(record as AuditRecord);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RecordEncodingError);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as RecordEncodingError).path).toBe(path);
    });
  }

  it('rejects records that are not plain objects', () => {
    for (const bad of [null, [], 'x', 1, undefined]) {
      expect(() => canonicalRecordBytes(bad as unknown as AuditRecord)).toThrow(RecordEncodingError);
    }
  });
});
