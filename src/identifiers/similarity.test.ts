import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jaroWinkler, TOKEN_MATCH_THRESHOLD, tokenSimilarity } from './similarity.ts';

describe('jaroWinkler', () => {
  it("reproduces Winkler's published examples", () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
  });

  it('handles identical, empty and disjoint strings', () => {
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
});

describe('tokenSimilarity', () => {
  it('is plain Jaccard when tokens match exactly or not at all', () => {
    expect(tokenSimilarity('juan carlos perez', 'juan perez')).toBeCloseTo(2 / 3, 10);
    expect(tokenSimilarity('perez jose', 'jose perez')).toBe(1);
    expect(tokenSimilarity('alpha beta', 'gamma delta')).toBe(0);
  });

  it('credits spelling variants with their Jaro–Winkler score', () => {
    const jw = jaroWinkler('muller', 'mueller');
    expect(jw).toBeGreaterThanOrEqual(TOKEN_MATCH_THRESHOLD);
    expect(tokenSimilarity('hans muller', 'hans mueller')).toBeCloseTo((1 + jw) / (4 - (1 + jw)), 10);
    expect(tokenSimilarity('gonzalez', 'gonzales')).toBeGreaterThan(0.85);
  });

  it('accepts token arrays and ignores duplicate tokens', () => {
    expect(tokenSimilarity(['ana', 'ana', 'lopez'], ['lopez', 'ana'])).toBe(1);
    expect(tokenSimilarity('', 'ana')).toBe(0);
  });

  const token = fc.stringMatching(/^[a-z]{1,8}$/);
  const name = fc.array(token, { minLength: 0, maxLength: 5 });

  it('property: bounded, symmetric, and 1 on identical token sets', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        const ab = tokenSimilarity(a, b);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
        expect(ab).toBeCloseTo(tokenSimilarity(b, a), 12);
        if (a.length > 0) expect(tokenSimilarity(a, [...a].reverse())).toBe(1);
      }),
      { numRuns: 500 },
    );
  });
});
