import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastPathOf } from './zod-fast-path.ts';

/** One schema with every construct the fast path understands. */
const Toy = z
  .strictObject({
    id: z.string().trim().min(2).max(8),
    code: z
      .string()
      .trim()
      .regex(/^[A-Z]{2}\d$/),
    n: z.int().min(1).max(99),
    x: z.number().positive().max(1000),
    flag: z.boolean().optional(),
    kind: z.enum(['a', 'b']),
    when: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
    tags: z.array(z.string().max(3)).max(3),
    inner: z
      .strictObject({ name: z.string().min(1).optional() })
      .refine((o) => o.name !== 'bad', 'no bad names'),
  })
  .superRefine((o, ctx) => {
    if (o.n > o.x) ctx.addIssue({ code: 'custom', path: ['n'], message: 'n above x' });
  });

const fast = fastPathOf(Toy);

const valid = {
  id: 'ab12',
  code: 'NL1',
  n: 5,
  x: 10.5,
  kind: 'a',
  when: '2026-12-06T10:00:00Z',
  tags: ['x', 'yz'],
  inner: { name: 'n' },
};

/** Values near the edges of every field's rule, and junk. */
const fieldValue = fc.oneof(
  fc.constantFrom('', ' ab', 'ab ', 'ab12', 'NL1', 'nl1', 'A', 'abcdefghi', 'bad', 'a', 'b', 'c'),
  fc.constantFrom('2026-12-06', '2026-02-30', '2026-12-06T10:00:00+01:00', '2026-12-06T10:00:00'),
  fc.constantFrom(0, 1, 99, 100, 1.5, -1, 1000, 1001, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60),
  fc.constantFrom(true, false, null, undefined),
  fc.array(fc.constantFrom('x', 'abcd', ' y', 3), { maxLength: 4 }),
  fc.anything(),
);

/** The valid object with up to three fields (top level or `inner`) replaced, removed or added. */
const mutated = fc
  .array(
    fc.record({
      where: fc.constantFrom('top', 'inner'),
      key: fc.constantFrom(...Object.keys(valid), 'name', 'toString', 'extra', '__proto__'),
      op: fc.constantFrom('set', 'delete'),
      value: fieldValue,
    }),
    { maxLength: 3 },
  )
  .map((edits) => {
    const o: Record<string, unknown> = structuredClone(valid);
    for (const e of edits) {
      const target = e.where === 'inner' ? (o.inner as Record<string, unknown>) : o;
      if (typeof target !== 'object' || target === null) continue;
      if (e.op === 'delete') delete target[e.key];
      else
        Object.defineProperty(target, e.key, {
          value: e.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return o;
  });

describe('zod fast path', () => {
  it('accepts clean valid input', () => {
    expect(fast(valid)).toBe(true);
    expect(Toy.safeParse(valid).success).toBe(true);
  });

  it('never accepts what zod refuses or would change', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything()), (input) => {
        if (!fast(input)) return;
        const r = Toy.safeParse(input);
        expect(r.success).toBe(true);
        expect(r.data).toStrictEqual(input);
      }),
      { numRuns: 20_000 },
    );
  });

  it('leaves to zod what only zod can do: trimming, refinements, unknown keys', () => {
    expect(fast({ ...valid, id: ' ab12 ' })).toBe(false);
    expect(Toy.parse({ ...valid, id: ' ab12 ' }).id).toBe('ab12');
    expect(fast({ ...valid, n: 50, x: 10 })).toBe(false);
    expect(fast({ ...valid, inner: { name: 'bad' } })).toBe(false);
    expect(fast({ ...valid, extra: 1 })).toBe(false);
    expect(fast({ ...valid, flag: undefined })).toBe(false);
    expect(fast(JSON.parse('{"__proto__": {"x": 1}}'))).toBe(false);
    expect(fast({ ...valid, when: '2026-02-30' })).toBe(false);
  });

  it('refuses to compile what it does not understand', () => {
    expect(() => fastPathOf(z.string().email())).toThrow(/not supported/);
    expect(() => fastPathOf(z.object({ a: z.string() }))).toThrow(/non-strict/);
    expect(() => fastPathOf(z.record(z.string(), z.string()))).toThrow(/not supported/);
    expect(() => fastPathOf(z.string().transform((s) => s.length))).toThrow(/not supported/);
    expect(() => fastPathOf(z.string().default('x'))).toThrow(/not supported/);
  });
});
