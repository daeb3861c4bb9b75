import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containerCheckDigit, containerRemainder, validateContainerNumber } from './container.ts';

describe('validateContainerNumber (ISO 6346)', () => {
  it('accepts the ISO 6346 example CSQU3054383 in any spacing or case', () => {
    for (const raw of [
      'CSQU3054383',
      'CSQU 305438 3',
      'csqu 305438-3',
      '  CSQU-305438-3 ',
      'ＣＳＱＵ３０５４３８３',
    ]) {
      expect(validateContainerNumber(raw)).toEqual({ ok: true, value: 'CSQU3054383' });
    }
  });

  it('computes MSCU123456 → check digit 6 (sum 5528, 5528 mod 11 = 6)', () => {
    // M=24 S=30 C=13 U=32, digits 1..6, weights 1,2,4,…,512.
    const sum = 24 * 1 + 30 * 2 + 13 * 4 + 32 * 8 + 1 * 16 + 2 * 32 + 3 * 64 + 4 * 128 + 5 * 256 + 6 * 512;
    expect(sum).toBe(5528);
    expect(containerCheckDigit('MSCU123456')).toBe((sum % 11) % 10);
    expect(containerCheckDigit('MSCU123456')).toBe(6);
    expect(validateContainerNumber('MSCU1234566')).toEqual({ ok: true, value: 'MSCU1234566' });
    expect(validateContainerNumber('MSCU1234565')).toMatchObject({ ok: false, code: 'CHECK_DIGIT_MISMATCH' });
  });

  it('rejects a wrong check digit', () => {
    expect(validateContainerNumber('CSQU3054384')).toMatchObject({ ok: false, code: 'CHECK_DIGIT_MISMATCH' });
  });

  it('rejects bad shapes with specific codes', () => {
    expect(validateContainerNumber('CSQU305438')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateContainerNumber('CSQX3054383')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateContainerNumber('CS1U3054383')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateContainerNumber('CSQU305438/3')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateContainerNumber('')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
  });

  it('maps remainder 10 to check digit 0, as ISO 6346 prescribes', () => {
    let found = '';
    for (let serial = 0; serial < 1000 && found === ''; serial++) {
      const first10 = `ABCU${serial.toString().padStart(6, '0')}`;
      if (containerRemainder(first10) === 10) found = first10;
    }
    expect(found).not.toBe('');
    expect(containerCheckDigit(found)).toBe(0);
    expect(validateContainerNumber(`${found}0`).ok).toBe(true);
  });

  const owner = fc.stringMatching(/^[A-Z]{3}$/);
  const category = fc.constantFrom('U', 'J', 'Z');
  const serial = fc.stringMatching(/^\d{6}$/);
  const first10 = fc.tuple(owner, category, serial).map(([o, c, s]) => `${o}${c}${s}`);

  it('property: owner + category + serial + computed check digit always validates', () => {
    fc.assert(
      fc.property(first10, (prefix) => {
        const id = `${prefix}${containerCheckDigit(prefix)}`;
        expect(validateContainerNumber(id)).toEqual({ ok: true, value: id });
      }),
    );
  });

  it('property: changing any one digit is always detected (for remainders 1–9)', () => {
    // Remainders 0 and 10 share check digit 0, so one serial edit can move between them
    // undetected; that is why ISO 6346 tells owners not to issue remainder-10 serials.
    const valid = first10.filter((p) => {
      const r = containerRemainder(p);
      return r !== 0 && r !== 10;
    });
    fc.assert(
      fc.property(
        valid,
        fc.integer({ min: 4, max: 10 }),
        fc.integer({ min: 1, max: 9 }),
        (prefix, pos, delta) => {
          const id = `${prefix}${containerCheckDigit(prefix)}`;
          const digit = (Number(id[pos]) + delta) % 10;
          const mutated = `${id.slice(0, pos)}${digit}${id.slice(pos + 1)}`;
          expect(validateContainerNumber(mutated).ok).toBe(false);
        },
      ),
    );
  });
});
