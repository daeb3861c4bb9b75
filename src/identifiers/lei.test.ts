import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateLei } from './lei.ts';
import { mod97CheckDigits } from './mod97.ts';

describe('validateLei (ISO 17442)', () => {
  it('accepts published LEIs', () => {
    expect(validateLei('5493001KJTIIGC8Y1R12')).toEqual({ ok: true, value: '5493001KJTIIGC8Y1R12' });
    expect(validateLei('529900T8BM49AURSDO55')).toEqual({ ok: true, value: '529900T8BM49AURSDO55' });
    expect(validateLei('5493 001K JTII GC8Y 1R12')).toEqual({ ok: true, value: '5493001KJTIIGC8Y1R12' });
    expect(validateLei('lei: 529900t8bm49aursdo55')).toEqual({ ok: true, value: '529900T8BM49AURSDO55' });
  });

  it('rejects wrong check digits, lengths and shapes', () => {
    expect(validateLei('5493001KJTIIGC8Y1R13')).toMatchObject({ ok: false, code: 'CHECK_DIGIT_MISMATCH' });
    expect(validateLei('5493001KJTIIGC8Y2R12')).toMatchObject({ ok: false, code: 'CHECK_DIGIT_MISMATCH' });
    expect(validateLei('5493001KJTIIGC8Y1R1')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateLei('5493001KJTIIGC8Y1R1X')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateLei('5493001KJTIIGC8Y1R1_')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
  });

  it('property: 18 alphanumerics + computed check digits validate; a digit change does not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{18}$/), fc.integer({ min: 1, max: 9 }), (body, delta) => {
        const lei = `${body}${mod97CheckDigits(body)}`;
        expect(validateLei(lei)).toEqual({ ok: true, value: lei });
        const last = (Number(lei[19]) + delta) % 10;
        expect(validateLei(`${lei.slice(0, 19)}${last}`).ok).toBe(false);
      }),
    );
  });
});
