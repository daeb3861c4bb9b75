import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastPathOf } from '../platform/zod-fast-path.ts';
import { DeclarationSchema } from './cargo.schema.ts';
import { normalizeDeclaration, normalizeParsedDeclaration } from './declaration.ts';
import { createWorld } from './synthetic.ts';

/** Declarations as a filer's system sends them: the synthetic world's, through JSON. */
const world: Record<string, unknown>[] = [
  ...createWorld({ seed: 41, declarations: 1_500, days: 60, contaminationRate: 0.02 }).declarations(),
].map((d) => JSON.parse(JSON.stringify(d)));
const clean = fastPathOf(DeclarationSchema);

/** Every path to a value in the object (objects and arrays included), for mutations. */
function paths(x: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof x !== 'object' || x === null) return [prefix];
  const keys = Array.isArray(x) ? x.map((_, i) => i) : Object.keys(x);
  return [prefix, ...keys.flatMap((k) => paths((x as Record<string | number, unknown>)[k], [...prefix, k]))];
}

const replacement = fc.oneof(
  fc.constantFrom('', ' ', ' x', 'x ', 'NLRTM', 'NL RTM', '45R1', 'ZZ', '2026-02-30', '2026-12-06T10:00:00'),
  fc.constantFrom('2026-12-06', '2026-12-06T10:00:00Z', 'a'.repeat(71), 'prepaid', 'collect', 'other'),
  fc.constantFrom(0, 1, -1, 1.5, 999, 1000, 1e12, 2e12, 200_000, 200_001, 10_000_000, 10_000_001),
  fc.constantFrom(null, true, undefined, [], {}),
  fc.anything(),
);

const mutation = fc.record({
  declaration: fc.nat({ max: world.length - 1 }),
  pick: fc.nat(),
  op: fc.constantFrom('set', 'delete', 'pad', 'extra'),
  value: replacement,
});

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(m: Mutation): unknown {
  const d = structuredClone(world[m.declaration] as Record<string, unknown>);
  const all = paths(d).filter((p) => p.length > 0);
  const path = all[m.pick % all.length] as (string | number)[];
  let parent = d as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path[path.length - 1] as string | number;
  if (m.op === 'delete') delete parent[key];
  else if (m.op === 'pad') parent[key] = typeof parent[key] === 'string' ? ` ${parent[key]} ` : m.value;
  else if (m.op === 'extra' && !Array.isArray(parent)) parent.unexpected = m.value;
  else parent[key] = m.value;
  return d;
}

describe('the declaration fast path', () => {
  it('takes every clean declaration of the synthetic world (so it is the path bulk ingest takes)', () => {
    expect(world.filter((d) => !clean(d))).toEqual([]);
  });

  it('never takes a declaration zod would refuse or change, and normalises exactly as through zod', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const input = apply(m);
        const viaZod = DeclarationSchema.safeParse(input);
        if (clean(input)) {
          expect(viaZod.success).toBe(true);
          expect(viaZod.data).toStrictEqual(input);
        }
        // Whichever route normalizeDeclaration takes, it answers as zod + normalisation would.
        let expected: unknown;
        try {
          expected = viaZod.success ? normalizeParsedDeclaration(viaZod.data) : 'refused';
        } catch {
          expected = 'refused';
        }
        let actual: unknown;
        try {
          actual = normalizeDeclaration(input);
        } catch {
          actual = 'refused';
        }
        expect(actual).toStrictEqual(expected);
      }),
      { numRuns: 5_000 },
    );
  });
});
