import { describe, expect, it } from 'vitest';
import { EORI_ISSUERS, validateEori } from './eori.ts';

describe('validateEori', () => {
  it('accepts EU, UK, Northern Ireland, Swiss and Norwegian numbers', () => {
    expect(validateEori('NL 123456789')).toEqual({ ok: true, value: 'NL123456789' });
    expect(validateEori('gb123456789000')).toEqual({ ok: true, value: 'GB123456789000' });
    expect(validateEori('XI123456789000')).toEqual({ ok: true, value: 'XI123456789000' });
    expect(validateEori('DE1234567890123')).toEqual({ ok: true, value: 'DE1234567890123' });
    expect(validateEori('ESB12345678')).toEqual({ ok: true, value: 'ESB12345678' });
    expect(EORI_ISSUERS.size).toBe(31);
  });

  it('rejects unknown issuers, empty or overlong numbers and stray characters', () => {
    expect(validateEori('US123456789')).toMatchObject({ ok: false, code: 'UNKNOWN_COUNTRY' });
    expect(validateEori('EU123456789')).toMatchObject({ ok: false, code: 'UNKNOWN_COUNTRY' });
    expect(validateEori('NL')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateEori('NL1234567890123456')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateEori('NL12345/6789')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateEori('123456789')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
  });
});
