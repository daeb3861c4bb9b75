import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imoCheckDigit, validateImo } from './imo.ts';

describe('validateImo', () => {
  it('accepts IMO 9074729 (9·7+0·6+7·5+4·4+7·3+2·2 = 139 → 9) in the usual spellings', () => {
    for (const raw of ['9074729', 'IMO 9074729', 'imo9074729', 'IMO: 9074729', 'IMO-9074729']) {
      expect(validateImo(raw)).toEqual({ ok: true, value: 'IMO9074729' });
    }
    expect(validateImo('IMO 9321483')).toEqual({ ok: true, value: 'IMO9321483' });
  });

  it('rejects wrong check digits, lengths and shapes', () => {
    expect(validateImo('9074728')).toMatchObject({ ok: false, code: 'CHECK_DIGIT_MISMATCH' });
    expect(validateImo('IMO 907472')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateImo('90747290')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateImo('MMSI 244123456')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateImo('0000000')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
  });

  it('property: six digits plus the computed check digit always validate', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{5}$/), (six) => {
        expect(validateImo(`${six}${imoCheckDigit(six)}`).ok).toBe(true);
      }),
    );
  });
});
