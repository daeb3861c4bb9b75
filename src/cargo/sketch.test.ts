import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogHistogram } from './sketch.ts';

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
}

describe('LogHistogram', () => {
  it('returns quantiles within the relative accuracy of the exact sample quantile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0, 0.25, 0.5, 0.75, 1),
        (values, q) => {
          const h = new LogHistogram(0.02);
          for (const v of values) h.add(v);
          const exact = exactQuantile(
            [...values].sort((a, b) => a - b),
            q,
          );
          expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(exact * 0.02 + 1e-9);
        },
      ),
    );
  });

  it('grows in both directions and counts zeros', () => {
    const h = new LogHistogram();
    h.add(100);
    h.add(1e-9);
    h.add(0.01);
    h.add(1e7);
    expect(h.count).toBe(4);
    expect(h.quantile(0)).toBe(0);
    expect(Math.abs(h.quantile(1) - 1e7) / 1e7).toBeLessThanOrEqual(0.02);
    expect(Math.abs(h.quantile(0.5) - 0.01) / 0.01).toBeLessThanOrEqual(0.02);
    h.add(Number.NaN);
    h.add(-3);
    expect(h.count).toBe(4);
  });

  it('caches quartiles until the count has grown by more than 1/64', () => {
    const h = new LogHistogram();
    for (let i = 1; i <= 640; i++) h.add(i);
    const [q1] = h.quartiles();
    for (let i = 0; i < 10; i++) h.add(10_000);
    expect(h.quartiles()[0]).toBe(q1);
    h.add(10_000);
    expect(h.quartiles()[0]).toBeGreaterThan(q1);
  });

  it('survives a JSON round trip', () => {
    const h = new LogHistogram(0.01);
    for (let i = 0; i < 1000; i++) h.add(1 + (i % 97) * 3.7);
    const back = LogHistogram.fromJSON(JSON.parse(JSON.stringify(h.toJSON())));
    expect(back.count).toBe(h.count);
    for (const q of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]) expect(back.quantile(q)).toBe(h.quantile(q));
    back.add(1e5);
    expect(back.count).toBe(h.count + 1);
  });

  it('rejects an impossible accuracy', () => {
    expect(() => new LogHistogram(0)).toThrow(RangeError);
  });
});
