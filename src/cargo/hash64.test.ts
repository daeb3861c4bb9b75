import { describe, expect, it } from 'vitest';
import { Hash64Map, hash64 } from './hash64.ts';

describe('Hash64Map', () => {
  it('stores, overwrites and finds values across resizes', () => {
    const m = new Hash64Map(16);
    for (let i = 0; i < 5000; i++) m.set(`seal-${i}`, i);
    m.set('seal-7', 77);
    expect(m.size).toBe(5000);
    expect(m.get('seal-7')).toBe(77);
    expect(m.get('seal-4999')).toBe(4999);
    expect(m.get('seal-5000')).toBe(-1);
  });

  it('survives a JSON round trip', () => {
    const m = new Hash64Map();
    for (let i = 0; i < 3000; i++) m.set(`k${i}`, i * 3);
    const back = Hash64Map.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.size).toBe(3000);
    expect(back.get('k2999')).toBe(8997);
    expect(back.get('nope')).toBe(-1);
  });

  it('hashes to two independent 32-bit halves', () => {
    const [a, b] = hash64('FX1234567');
    expect(a).not.toBe(b);
    expect(hash64('FX1234567')).toEqual([a, b]);
    expect(hash64('FX1234568')).not.toEqual([a, b]);
  });

  it('gives the same answers when looks-ups and sets of a few keys interleave', () => {
    const m = new Hash64Map(16);
    const plain = new Map<string, number>();
    const keys = ['A1', 'B2', 'C3', 'A1', 'D4', 'B2', 'B2', 'E5', 'A1'];
    keys.forEach((k, i) => {
      expect(m.get(k), k).toBe(plain.get(k) ?? -1);
      m.set(k, i);
      plain.set(k, i);
      for (const other of keys) expect(m.get(other), other).toBe(plain.get(other) ?? -1);
    });
    expect(m.size).toBe(plain.size);
  });
});
