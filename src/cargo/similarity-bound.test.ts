import { describe, expect, it } from 'vitest';
import { jaroWinkler, nameTokens, TOKEN_MATCH_THRESHOLD, tokenSimilarity } from '../identifiers/index.ts';
import { BoundVocabulary, boundTokens, mayReachSimilarity } from './similarity-bound.ts';

/** A small deterministic generator (the test must not depend on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = [
  'trading',
  'tradings',
  'traiding',
  'import',
  'imports',
  'export',
  'food',
  'foods',
  'fruit',
  'frutas',
  'pacifico',
  'pacific',
  'vladimirovich',
  'vladimirovitj',
  'soiko',
  'sojko',
  'muller',
  'mueller',
  'jong',
  'juan',
  'perez',
  'perea',
  'logistics',
  'logistic',
  '6766',
  '6767',
  'liu',
  'lu',
  'a',
  'ab',
];

/** A name of 1–5 tokens, sometimes with a letter changed, dropped or doubled. */
function randomName(next: () => number): string {
  const n = 1 + Math.floor(next() * 5);
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = WORDS[Math.floor(next() * WORDS.length)] as string;
    const r = next();
    const at = Math.floor(next() * w.length);
    if (r < 0.15) w = w.slice(0, at) + w.slice(at + 1);
    else if (r < 0.3) w = `${w.slice(0, at)}x${w.slice(at + 1)}`;
    else if (r < 0.4) w = w.slice(0, at) + (w[at] ?? '') + w.slice(at);
    if (w !== '') tokens.push(w);
  }
  return tokens.join(' ');
}

describe('mayReachSimilarity (an upper bound of tokenSimilarity)', () => {
  it('never rules out a pair that reaches the threshold, with or without the pair memo', () => {
    const next = rng(7);
    const vocabulary = new BoundVocabulary();
    const names = Array.from({ length: 300 }, () => randomName(next));
    const right = names.map((n) => vocabulary.of(nameTokens(n)));
    let reaching = 0;
    let ruledOut = 0;
    let stamp = 0;
    for (let i = 0; i < 150; i++) {
      const query = randomName(next);
      const left = boundTokens(nameTokens(query));
      for (const threshold of [0.5, 0.75, 0.88, 0.95]) {
        stamp++;
        names.forEach((name, j) => {
          const exact = tokenSimilarity(query, name);
          const memo = mayReachSimilarity(left, right[j] ?? [], threshold, stamp);
          const plain = mayReachSimilarity(left, right[j] ?? [], threshold);
          expect(memo, `${query} / ${name}`).toBe(plain);
          if (exact >= threshold) {
            reaching++;
            expect(plain, `${query} / ${name} (${exact})`).toBe(true);
          } else if (!plain) ruledOut++;
        });
      }
    }
    // The bound is useful: it rules out most pairs below the threshold, and pairs above exist.
    expect(reaching).toBeGreaterThan(250);
    expect(ruledOut).toBeGreaterThan(50_000);
  });

  it('rules out token pairs only below the Jaro–Winkler threshold', () => {
    const next = rng(11);
    for (let i = 0; i < 5000; i++) {
      const a = randomName(next).split(' ')[0] ?? 'a';
      const b = randomName(next).split(' ')[0] ?? 'b';
      const reach = mayReachSimilarity(boundTokens([a]), boundTokens([b]), 0.5);
      // One token on each side: similarity = jw / (2 − jw) when jw ≥ θ, else 0.
      const jw = jaroWinkler(a, b);
      if (jw >= TOKEN_MATCH_THRESHOLD) expect(reach, `${a} / ${b}`).toBe(true);
    }
  });

  it('handles empty names like tokenSimilarity (similarity 0)', () => {
    expect(mayReachSimilarity([], boundTokens(['a']), 0.5)).toBe(false);
    expect(mayReachSimilarity([], boundTokens(['a']), 0)).toBe(true);
  });
});
