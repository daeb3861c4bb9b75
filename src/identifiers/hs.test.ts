import { describe, expect, it } from 'vitest';
import { validateHsCode } from './hs.ts';

describe('validateHsCode', () => {
  it('accepts 2 to 10 digits with dots and spaces, reporting the level', () => {
    expect(validateHsCode('2939.72')).toEqual({ ok: true, value: '293972', kind: 'hs6' }); // a subheading of 29.39 (alkaloids)
    expect(validateHsCode('0803 90 10')).toEqual({ ok: true, value: '08039010', kind: 'hs8' }); // fresh bananas (CN)
    expect(validateHsCode('08')).toEqual({ ok: true, value: '08', kind: 'hs2' });
    expect(validateHsCode('0901.11.00.00')).toEqual({ ok: true, value: '0901110000', kind: 'hs10' });
    expect(validateHsCode('9701')).toEqual({ ok: true, value: '9701', kind: 'hs4' });
  });

  it('rejects odd lengths, letters and chapters that do not exist', () => {
    expect(validateHsCode('29397')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateHsCode('293971000000')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateHsCode('29A9')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateHsCode('7701')).toMatchObject({ ok: false, code: 'UNKNOWN_CHAPTER' });
    expect(validateHsCode('9801')).toMatchObject({ ok: false, code: 'UNKNOWN_CHAPTER' });
    expect(validateHsCode('00')).toMatchObject({ ok: false, code: 'UNKNOWN_CHAPTER' });
  });
});
