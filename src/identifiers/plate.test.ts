import { describe, expect, it } from 'vitest';
import { validatePlate } from './plate.ts';

describe('validatePlate', () => {
  it('uppercases and strips spaces, dashes and dots', () => {
    expect(validatePlate('ab-123-c')).toEqual({ ok: true, value: 'AB123C' });
    expect(validatePlate('1-ABC-234')).toEqual({ ok: true, value: '1ABC234' });
    expect(validatePlate('MÜ AB 123')).toEqual({ ok: true, value: 'MÜAB123' });
    expect(validatePlate('GX.123.AB')).toEqual({ ok: true, value: 'GX123AB' });
  });

  it('rejects symbols and implausible lengths', () => {
    expect(validatePlate('AB*123')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validatePlate('A')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validatePlate('ABCDEFG1234567')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
  });
});
