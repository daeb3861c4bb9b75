import { describe, expect, it } from 'vitest';
import { isPlausibleCheckPair, mod97, mod97CheckDigits } from './mod97.ts';

describe('ISO 7064 MOD 97-10', () => {
  it('matches direct BigInt arithmetic', () => {
    // GB82WEST12345698765432 rearranged and with letters expanded (W=32, E=14, S=28, T=29, G=16, B=11).
    const digits = '3214282912345698765432161182';
    expect(mod97('WEST12345698765432GB82')).toBe(Number(BigInt(digits) % 97n));
    expect(mod97('WEST12345698765432GB82')).toBe(1);
  });

  it('computes check digits in 02…98', () => {
    expect(mod97CheckDigits('WEST12345698765432GB')).toBe('82');
    expect(isPlausibleCheckPair('02')).toBe(true);
    expect(isPlausibleCheckPair('98')).toBe(true);
    for (const bad of ['00', '01', '99', '1', 'AB']) expect(isPlausibleCheckPair(bad)).toBe(false);
  });

  it('refuses characters it cannot expand', () => {
    expect(() => mod97('ab')).toThrow(RangeError);
  });
});
