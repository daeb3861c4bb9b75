import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IBAN_LENGTHS, validateIban } from './iban.ts';
import { mod97, mod97CheckDigits } from './mod97.ts';

describe('validateIban (ISO 13616)', () => {
  it('accepts the published example IBANs and returns the electronic format', () => {
    expect(validateIban('GB82 WEST 1234 5698 7654 32')).toEqual({
      ok: true,
      value: 'GB82WEST12345698765432',
    });
    expect(validateIban('IBAN GB82 WEST 1234 5698 7654 32')).toEqual({
      ok: true,
      value: 'GB82WEST12345698765432',
    });
    for (const iban of [
      'NL91ABNA0417164300',
      'BE68539007547034',
      'DE89370400440532013000',
      'FR1420041010050500013M02606',
    ]) {
      expect(validateIban(iban)).toEqual({ ok: true, value: iban });
      expect(validateIban(iban.toLowerCase())).toEqual({ ok: true, value: iban });
    }
  });

  it('rejects a one-character change', () => {
    expect(validateIban('GB82 WEST 1234 5698 7654 33')).toMatchObject({
      ok: false,
      code: 'CHECK_DIGIT_MISMATCH',
    });
    expect(validateIban('NL91ABNA0417164301')).toMatchObject({ ok: false, code: 'CHECK_DIGIT_MISMATCH' });
    expect(validateIban('DE89370400440532013001')).toMatchObject({ ok: false, code: 'CHECK_DIGIT_MISMATCH' });
    expect(validateIban('FR1420041010050500013N02606')).toMatchObject({
      ok: false,
      code: 'CHECK_DIGIT_MISMATCH',
    });
  });

  it('rejects check digits 99, which pass MOD 97 wherever 02 would', () => {
    let bban = 539007547034;
    while (mod97CheckDigits(`${bban}BE`) !== '02') bban++;
    expect(validateIban(`BE02${bban}`).ok).toBe(true);
    // 99 ≡ 02 (mod 97): arithmetic alone would accept it, the range rule does not.
    expect(mod97(`${bban}BE99`)).toBe(1);
    expect(validateIban(`BE99${bban}`)).toMatchObject({ ok: false, code: 'CHECK_DIGIT_MISMATCH' });
  });

  it('knows which countries issue IBANs and their lengths', () => {
    expect(validateIban('CO12 3456 7890 1234 5678')).toMatchObject({ ok: false, code: 'UNKNOWN_COUNTRY' });
    expect(validateIban('US12345678901234')).toMatchObject({ ok: false, code: 'UNKNOWN_COUNTRY' });
    expect(validateIban('ZZ12345678901234')).toMatchObject({ ok: false, code: 'UNKNOWN_COUNTRY' });
    expect(validateIban('NL91ABNA041716430')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateIban('NL91-ABNA-0417-1643-00').ok).toBe(true);
    expect(validateIban('NL9XABNA0417164300')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateIban('NL91ABNA04171643$0')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
  });

  it('covers every EU/EEA country plus Switzerland and the United Kingdom', () => {
    const required =
      'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH GB';
    for (const country of required.split(' ')) expect(IBAN_LENGTHS.has(country), country).toBe(true);
    expect(IBAN_LENGTHS.get('NO')).toBe(15);
    expect(IBAN_LENGTHS.get('MT')).toBe(31);
    expect(IBAN_LENGTHS.has('CO')).toBe(false);
  });

  it('property: a random BBAN with computed check digits validates, any digit change does not', () => {
    const countries = [...IBAN_LENGTHS.entries()];
    const iban = fc
      .constantFrom(...countries)
      .chain(([country, length]) =>
        fc
          .stringMatching(new RegExp(`^\\d{${length - 4}}$`))
          .map((bban) => `${country}${mod97CheckDigits(`${bban}${country}`)}${bban}`),
      );
    fc.assert(
      fc.property(iban, fc.nat(), fc.integer({ min: 1, max: 9 }), (value, at, delta) => {
        expect(validateIban(value)).toEqual({ ok: true, value });
        const pos = 2 + (at % (value.length - 2));
        const digit = (Number(value[pos]) + delta) % 10;
        expect(validateIban(`${value.slice(0, pos)}${digit}${value.slice(pos + 1)}`).ok).toBe(false);
      }),
    );
  });
});
