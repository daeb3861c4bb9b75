import { describe, expect, it } from 'vitest';
import type { Actor } from '../access/index.ts';
import { normalizeObservable, type ObservableType } from '../identifiers/index.ts';
import { createNormalizeCache, normalizeParsedDeclaration } from './declaration.ts';
import { observablesOf } from './indicators.ts';
import { batchForms, prefetchIntelHits, visitObservables } from './intel-hits.ts';
import { createWorld } from './synthetic.ts';

const cache = createNormalizeCache();
const declarations = [
  ...createWorld({ seed: 5, declarations: 3_000, days: 60, contaminationRate: 0.02 }).declarations(),
].map((raw) => normalizeParsedDeclaration(raw, { cache }));

describe('intel look-ups', () => {
  it('look every observable up in the form the sharing module stores it in', () => {
    let visited = 0;
    for (const d of declarations) {
      const expected = observablesOf(d).flatMap((o) => {
        const n = normalizeObservable(o.observableType as ObservableType, o.value);
        return n.ok ? [[o.observableType, n.value, o.value]] : [];
      });
      const got: string[][] = [];
      visitObservables(d, (type, normalized, value) => got.push([type, normalized, value]));
      expect(got).toEqual(expected);
      visited += got.length;
    }
    expect(visited).toBeGreaterThan(declarations.length * 6);
  });

  it('gathers the forms of a batch exactly as visiting every observable does', () => {
    const expected = new Map<string, Set<string>>();
    for (const d of declarations) {
      visitObservables(d, (type, normalized) => {
        if (!expected.has(type)) expected.set(type, new Set());
        expected.get(type)?.add(normalized);
      });
    }
    const got = batchForms(declarations);
    for (const [type, forms] of got) expect(forms, type).toEqual(expected.get(type) ?? new Set());
    expect([...expected.keys()].every((t) => got.has(t as never))).toBe(true);
  });

  it('finds, for any set of hits, the observables visiting them would find', async () => {
    // Every seventh form of every type is "in shared intelligence".
    const hits: { type: string; normalized: string; itemCount: number }[] = [];
    for (const [type, forms] of batchForms(declarations)) {
      [...forms].forEach((normalized, i) => {
        if (i % 7 === 0) hits.push({ type, normalized, itemCount: 1 + (i % 3) });
      });
    }
    const byForm = new Map(hits.map((h) => [`${h.type}|${h.normalized}`, h.itemCount]));
    const intel = await prefetchIntelHits(
      { visibleCanonicalCounts: async () => hits },
      {} as Actor,
      declarations,
    );
    if (intel === null) throw new Error('expected hits');
    for (const d of declarations.slice(0, 1_000)) {
      const expected: { observableType: string; value: string; itemCount: number }[] = [];
      visitObservables(d, (type, normalized, value) => {
        const n = byForm.get(`${type}|${normalized}`);
        if (n !== undefined && !expected.some((e) => e.observableType === type && e.value === value))
          expected.push({ observableType: type, value, itemCount: n });
      });
      expect(intel(observablesOf(d))).toEqual(expected);
    }
  });

  it('answers hits by the value scored, from one look-up per batch', async () => {
    const [a, b] = declarations as [(typeof declarations)[0], (typeof declarations)[0]];
    const asked: Map<string, Set<string>>[] = [];
    const sharing = {
      async visibleCanonicalCounts(_actor: Actor, byType: ReadonlyMap<string, Iterable<string>>) {
        asked.push(new Map([...byType].map(([t, v]) => [t, new Set(v)])));
        return [
          { type: 'container', normalized: a.container, itemCount: 2 },
          { type: 'company', normalized: b.consignee.normName, itemCount: 1 },
        ];
      },
    };
    const found = await prefetchIntelHits(sharing, {} as Actor, [a, b]);
    if (found === null) throw new Error('expected hits');
    const intel = found;
    expect(asked).toHaveLength(1);
    expect(asked[0]?.get('container')).toEqual(new Set([a.container, b.container]));
    expect(intel(observablesOf(a))).toContainEqual({
      observableType: 'container',
      value: a.container,
      itemCount: 2,
    });
    expect(intel(observablesOf(b))).toContainEqual({
      observableType: 'company',
      value: b.consignee.name,
      itemCount: 1,
    });
    expect(intel([{ observableType: 'container', value: b.container }])).toEqual([]);
    // The same value twice counts once.
    expect(intel([...observablesOf(a), { observableType: 'container', value: a.container }])).toHaveLength(1);
  });

  it('answers null when nothing of the batch is known to shared intelligence', async () => {
    const sharing = { visibleCanonicalCounts: async () => [] };
    expect(await prefetchIntelHits(sharing, {} as Actor, declarations.slice(0, 50))).toBeNull();
  });
});
