import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nameTokens, normalizeCompanyName, tokenSimilarity } from '../identifiers/index.ts';
import { bananaInput } from './cargo.fixtures.ts';
import type { DeclarationInput, WatchlistEntryInput } from './cargo.schema.ts';
import {
  createNormalizeCache,
  normalizeDeclaration,
  normalizeParsedDeclaration,
  type Party,
} from './declaration.ts';
import { createWorld } from './synthetic.ts';
import { DEFAULT_NAME_THRESHOLD, importFtm, transliterationSkeleton, Watchlist } from './watchlist.ts';

const FTM = '/work/shared/fixtures/ftm/yente-t1.ftm.jsonl';
const SOJKO = 'NK-2Myxbs6wX9xFKGoQn3sLaY';

function sanctions(): Watchlist {
  return new Watchlist(importFtm(readFileSync(FTM, 'utf8')).entries);
}

const banana = (patch?: (d: DeclarationInput) => void) => normalizeDeclaration(bananaInput(patch));

describe('importFtm (OpenSanctions FollowTheMoney lines)', () => {
  it('imports people and organisations, and skips what cannot be screened', () => {
    const r = importFtm(readFileSync(FTM, 'utf8'));
    expect(r.entries).toHaveLength(6);
    expect(r.entries.every((e) => e.kind === 'party')).toBe(true);
    expect(r.skipped).toEqual([{ line: 4, id: 'NK-2MQE6AmhAk4tqhENJAMUG9', reason: 'not a target' }]);
    const sojko = r.entries.find((e) => e.id === SOJKO);
    expect(sojko?.kind === 'party' && sojko.names).toContain('Виктор Владимирович СОЙКО');
    expect(sojko?.kind === 'party' && sojko.countries).toEqual(['BY']);
    expect(sojko?.source).toBe('opensanctions:eu_fsf');
    const all = importFtm(readFileSync(FTM, 'utf8'), { includeNonTargets: true });
    expect(all.skipped).toEqual([
      { line: 4, id: 'NK-2MQE6AmhAk4tqhENJAMUG9', reason: 'schema Address is not screenable' },
    ]);
  });

  it('imports vessels and phones, and reports bad lines', () => {
    const text = [
      JSON.stringify({
        id: 'v1',
        schema: 'Vessel',
        properties: { name: ['SEA STAR'], imoNumber: ['IMO 9074729'] },
      }),
      JSON.stringify({
        id: 'p1',
        schema: 'Person',
        properties: { name: ['Juan Pérez'], phone: ['+31 10 123 4567'] },
      }),
      '{not json',
      JSON.stringify({ id: 'x', schema: 'Payment', properties: {} }),
    ].join('\n');
    const r = importFtm(text, { source: 'test' });
    expect(r.entries.map((e) => `${e.kind}:${e.id}`)).toEqual([
      'vessel:v1',
      'party:p1',
      'phone:p1#phone:+31 10 123 4567',
    ]);
    expect(r.skipped.map((s) => [s.line, s.reason])).toEqual([
      [3, 'not JSON'],
      [4, 'schema Payment is not screenable'],
    ]);
  });
});

describe('name matching', () => {
  it(`matches transliteration variants of a sanctioned name (threshold ${DEFAULT_NAME_THRESHOLD})`, () => {
    const hits = sanctions().matchName('Viktor Vladimirovich Soiko');
    expect(hits.map((h) => h.ref.entry.id)).toEqual([SOJKO]);
    const h = hits[0];
    expect(h?.similarity).toBe(1);
    expect(h?.method).toBe('transliteration-similarity');
    // Even without the transliteration skeleton the soft token similarity is above the threshold.
    expect(tokenSimilarity('viktor vladimirovich soiko', 'viktor vladimirovitj sojko')).toBeGreaterThan(
      DEFAULT_NAME_THRESHOLD,
    );
  });

  it('does not match another person sharing first name and patronymic', () => {
    expect(sanctions().matchName('Viktor Vladimirovich Ivanov')).toEqual([]);
    expect(tokenSimilarity('viktor vladimirovich ivanov', 'viktor vladimirovitj sojko')).toBeLessThan(0.5);
  });

  it('matches Cyrillic spellings and aliases exactly', () => {
    const wl = sanctions();
    expect(wl.matchName('ВИКТОР ВЛАДИМИРОВИЧ СОЙКО')[0]?.method).toBe('exact');
    expect(wl.matchName('Iranian Revolutionary Guard Corps')[0]?.ref.entry.id).toBe(
      'NK-2PacmNpiLUmoz4XD2mSt7A',
    );
    expect(wl.matchName('Inter Tobacco LLC')[0]?.ref.entry.id).toBe('NK-2GdmHtZTeNXjNVrBGEXZNj');
    expect(wl.matchName('Tatyana Vladimirovna Zhuravleva')[0]?.similarity).toBe(1);
  });

  it('folds Latin transliterations onto one skeleton', () => {
    expect(transliterationSkeleton('viktor vladimirovich soiko')).toBe(
      transliterationSkeleton('viktor vladimirovitj sojko'),
    );
    expect(transliterationSkeleton('zhuravleva')).toBe(transliterationSkeleton('zjuravleva'));
    expect(transliterationSkeleton('wladimirowitsch')).toBe('vladimirovic');
    expect(transliterationSkeleton('ivanov')).not.toBe(transliterationSkeleton('soiko'));
  });
});

/**
 * The definition of name screening, written plainly: every party name of the list that is the
 * same normalised name (exact), or that shares a blocking key (first three letters of a skeleton
 * token) and has a token count that can reach the threshold, compared by tokenSimilarity
 * directly and on skeletons. Watchlist prunes candidates with a bound; results must not change.
 */
function plainScreen(entries: readonly WatchlistEntryInput[], norm: string): string[] {
  const keys = (skeleton: string) => {
    const k = new Set(
      skeleton
        .split(' ')
        .filter((t) => t.length >= 3)
        .map((t) => t.slice(0, 3)),
    );
    if (k.size === 0 && skeleton.length > 0) k.add(skeleton.slice(0, 3));
    return k;
  };
  const skeleton = transliterationSkeleton(norm);
  const mine = keys(skeleton);
  const distinct = new Set(nameTokens(norm)).size;
  const exact = new Set<string>();
  const best = new Map<string, { method: string; similarity: number }>();
  for (const e of entries) {
    if (e.kind !== 'party') continue;
    for (const name of e.names) {
      const n = normalizeCompanyName(name);
      if (!n.ok || n.value === '') continue;
      if (n.value === norm) exact.add(e.id);
    }
  }
  for (const e of entries) {
    if (e.kind !== 'party' || exact.has(e.id)) continue;
    for (const name of e.names) {
      const n = normalizeCompanyName(name);
      if (!n.ok || n.value === '') continue;
      const other = transliterationSkeleton(n.value);
      if (![...keys(other)].some((k) => mine.has(k))) continue;
      const theirs = new Set(nameTokens(n.value)).size;
      if (Math.min(distinct, theirs) / Math.max(distinct, theirs) < DEFAULT_NAME_THRESHOLD) continue;
      const direct = tokenSimilarity(norm, n.value);
      const folded = tokenSimilarity(skeleton, other);
      const s = Math.max(direct, folded);
      if (s < DEFAULT_NAME_THRESHOLD) continue;
      const prev = best.get(e.id);
      if (prev === undefined || s > prev.similarity) {
        best.set(e.id, {
          method: direct >= folded ? 'name-similarity' : 'transliteration-similarity',
          similarity: s,
        });
      }
    }
  }
  return [
    ...[...exact].map((id) => `${id}:exact:1`),
    ...[...best].map(([id, h]) => `${id}:${h.method}:${h.similarity}`),
  ].sort();
}

describe('name screening against its plain definition', () => {
  it('finds the same hits, methods and similarities for the names of a synthetic world and variants of listed names', () => {
    const world = createWorld({ seed: 5, declarations: 3000, days: 30, warmupDays: 0 });
    const cache = createNormalizeCache();
    const names = new Set<string>();
    for (const raw of world.declarations()) {
      const d = normalizeParsedDeclaration(raw, { cache });
      for (const p of [d.shipper, d.consignee, d.notify, d.payer]) if (p !== null) names.add(p.normName);
    }
    // Listed names with one letter changed, dropped or doubled, a token dropped or added:
    // hits, near misses and transliteration variants.
    for (const e of world.watchlist) {
      if (e.kind !== 'party') continue;
      for (const name of e.names) {
        const n = normalizeCompanyName(name);
        if (!n.ok) continue;
        const v = n.value;
        names.add(v);
        for (let i = 1; i < v.length; i += 3) {
          names.add(v.slice(0, i) + v.slice(i + 1));
          names.add(`${v.slice(0, i)}j${v.slice(i + 1)}`);
          names.add(v.slice(0, i) + v[i] + v.slice(i));
        }
        names.add(v.split(' ').slice(1).join(' '));
        names.add(`${v} trading`);
      }
    }
    names.delete('');
    const wl = new Watchlist(world.watchlist);
    let hits = 0;
    let fuzzy = 0;
    for (const norm of names) {
      const got = wl
        .matchNormalizedName(norm)
        .map((h) => `${h.ref.entry.id}:${h.method}:${h.similarity}`)
        .sort();
      expect(got, norm).toEqual(plainScreen(world.watchlist, norm));
      hits += got.length;
      fuzzy += got.filter((g) => !g.includes(':exact:')).length;
    }
    expect(names.size).toBeGreaterThan(1000);
    expect(fuzzy).toBeGreaterThan(50);
    expect(hits).toBeGreaterThan(fuzzy);
  });
});

describe('Watchlist.screenDeclaration', () => {
  const entries: WatchlistEntryInput[] = [
    { id: 'c1', kind: 'container', source: 'maoc-n', value: 'csqu 305438-3', reason: 'earlier seizure' },
    { id: 'v1', kind: 'vessel', source: 'maoc-n', value: '9074729', weight: 0.25 },
    { id: 'ph1', kind: 'phone', source: 'police', value: '+31 6 12345678' },
    {
      id: 'f1',
      kind: 'party',
      source: 'partner-intel',
      names: ['GLOBAL FRESH TRADYNG'],
      eoris: ['BE0999999999'],
    },
  ];

  it('says which field matched which entry, how and how strongly', () => {
    const wl = new Watchlist(entries);
    const d = banana((x) => {
      x.vessel.imo = 'IMO 9074729';
      x.consignee = {
        name: 'Global Fresh Trading BV',
        address: 'Haven 1, Antwerpen',
        country: 'BE',
        eori: 'BE0999999999',
        phone: '0031 6 12345678',
      };
    });
    const hits = wl.screenDeclaration(d);
    const view = hits.map((h) => `${h.field}=${h.entryId}:${h.method}:${h.similarity.toFixed(2)}`);
    expect(view).toEqual([
      'consignee.name=f1:transliteration-similarity:1.00',
      'consignee.eori=f1:exact:1.00',
      'consignee.phone=ph1:exact:1.00',
      'container.number=c1:exact:1.00',
      'vessel.imo=v1:exact:1.00',
    ]);
    expect(hits.find((h) => h.entryId === 'v1')?.weight).toBe(0.25);
    expect(hits.find((h) => h.entryId === 'c1')?.reason).toBe('earlier seizure');
  });

  it('screens a third-party freight payer and finds nothing on a clean declaration', () => {
    const wl = new Watchlist(entries);
    const paid = banana((x) => {
      x.container.number = 'MSKU1234565';
      x.vessel.imo = '9321483';
      x.freight = {
        terms: 'collect',
        payer: { name: 'Global Fresh Trading Ltd', address: 'Deira', country: 'AE' },
      };
    });
    expect(wl.screenDeclaration(paid).map((h) => h.field)).toEqual(['freight.payer.name']);
    const clean = banana((x) => {
      x.container.number = 'MSKU1234565';
      x.vessel.imo = '9321483';
    });
    expect(wl.screenDeclaration(clean)).toEqual([]);
  });

  it('screens a party object again when its name, EORI or phone changed', () => {
    const wl = new Watchlist(entries);
    const clean = banana((x) => {
      x.container.number = 'MSKU1234565';
      x.vessel.imo = '9321483';
    });
    expect(wl.screenDeclaration(clean)).toEqual([]);
    // The same party object, changed in place after it was screened.
    const p = clean.consignee as { -readonly [K in keyof Party]: Party[K] };
    p.eori = 'BE0999999999';
    expect(wl.screenDeclaration(clean).map((h) => h.field)).toEqual(['consignee.eori']);
    p.eori = null;
    p.normName = 'global fresh tradyng';
    expect(wl.screenDeclaration(clean).map((h) => h.field)).toEqual(['consignee.name']);
    p.normName = 'somebody else';
    p.phone = '+31612345678';
    expect(wl.screenDeclaration(clean).map((h) => h.field)).toEqual(['consignee.phone']);
  });

  it('rejects invalid entries with a reason and versions the list by content', () => {
    const wl = new Watchlist([
      ...entries,
      { id: 'bad', kind: 'container', source: 's', value: 'MSKU1234566' },
      { id: 'worse', kind: 'party', source: 's', names: [] } as unknown as WatchlistEntryInput,
    ]);
    expect(wl.rejected.map((r) => r.entryId)).toEqual(['bad', 'worse']);
    expect(wl.size).toBe(5);
    expect(new Watchlist(entries).version).toBe(new Watchlist(entries).version);
    expect(new Watchlist(entries.slice(1)).version).not.toBe(new Watchlist(entries).version);
  });
});
