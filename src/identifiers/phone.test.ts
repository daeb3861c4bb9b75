import { describe, expect, it } from 'vitest';
import { validatePhone } from './phone.ts';

describe('validatePhone (E.164)', () => {
  it('canonicalises international numbers to E.164', () => {
    expect(validatePhone('+31 20 123 4567')).toEqual({ ok: true, value: '+31201234567', kind: 'fixed_line' });
    expect(validatePhone('+31 (0)20-123 4567').ok).toBe(true);
    expect(validatePhone('+31 6 12345678')).toEqual({ ok: true, value: '+31612345678', kind: 'mobile' });
    expect(validatePhone('+57 300 123 4567')).toMatchObject({ ok: true, value: '+573001234567' });
    expect(validatePhone('+593 99 123 4567')).toMatchObject({ ok: true, value: '+593991234567' });
  });

  it("reads a leading 00 as '+' when no default country is given", () => {
    expect(validatePhone('0031 20 123 4567')).toMatchObject({ ok: true, value: '+31201234567' });
  });

  it('accepts national formats only with a default country', () => {
    expect(validatePhone('020 123 4567')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validatePhone('020 123 4567', 'NL')).toMatchObject({ ok: true, value: '+31201234567' });
    expect(validatePhone('06 12345678', 'NL')).toMatchObject({ ok: true, value: '+31612345678' });
  });

  it('drops extensions', () => {
    expect(validatePhone('+31 20 123 4567 ext. 12')).toMatchObject({ ok: true, value: '+31201234567' });
  });

  it('rejects numbers outside the numbering plan and non-numbers', () => {
    expect(validatePhone('+31 20 123')).toMatchObject({ ok: false, code: 'INVALID_NUMBER' });
    expect(validatePhone('+1 555 0100')).toMatchObject({ ok: false, code: 'INVALID_NUMBER' });
    expect(validatePhone('call me maybe')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validatePhone('+31 20 123 4567 then ask for Bob')).toMatchObject({ ok: false });
    expect(validatePhone('   ')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
  });
});
