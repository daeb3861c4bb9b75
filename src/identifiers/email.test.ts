import { describe, expect, it } from 'vitest';
import { validateEmail } from './email.ts';

describe('validateEmail', () => {
  it('lowercases the domain and keeps the local part as written', () => {
    expect(validateEmail('John.Doe@EXAMPLE.com')).toEqual({ ok: true, value: 'John.Doe@example.com' });
    expect(validateEmail(' ops+alerts@mail.portshield.example ')).toEqual({
      ok: true,
      value: 'ops+alerts@mail.portshield.example',
    });
    expect(validateEmail('mailto:info@example.org')).toEqual({ ok: true, value: 'info@example.org' });
  });

  it('converts internationalised domains to ASCII', () => {
    expect(validateEmail('pedidos@bücher.de')).toEqual({ ok: true, value: 'pedidos@xn--bcher-kva.de' });
  });

  it('rejects malformed addresses', () => {
    for (const raw of [
      'plainaddress',
      '@example.com',
      'user@',
      'user@localhost',
      'user@@example.com',
      'a..b@example.com',
      '.a@example.com',
      'a.@example.com',
      'user name@example.com',
      '"quoted"@example.com',
      'user@[192.0.2.1]',
      'user@exa mple.com',
      'user@-example.com',
      'user@example.123',
    ]) {
      expect(validateEmail(raw), raw).toMatchObject({ ok: false });
    }
  });

  it('enforces the RFC 5321 length limits', () => {
    expect(validateEmail(`${'a'.repeat(64)}@example.com`).ok).toBe(true);
    expect(validateEmail(`${'a'.repeat(65)}@example.com`)).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    const longDomain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.${'g'.repeat(60)}.com`;
    expect(validateEmail(`${'a'.repeat(10)}@${longDomain}`)).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
  });
});
