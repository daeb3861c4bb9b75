import { describe, expect, it } from 'vitest';
import { validateDomain } from './domain.ts';

describe('validateDomain', () => {
  it('lowercases, drops the root dot and converts IDNs to Punycode', () => {
    expect(validateDomain('WWW.Example.COM.')).toEqual({ ok: true, value: 'www.example.com' });
    expect(validateDomain('bücher.de')).toEqual({ ok: true, value: 'xn--bcher-kva.de' });
    expect(validateDomain('xn--bcher-kva.de')).toEqual({ ok: true, value: 'xn--bcher-kva.de' });
    expect(validateDomain('例え.テスト')).toEqual({ ok: true, value: 'xn--r8jz45g.xn--zckzah' });
    expect(validateDomain('ＥＸＡＭＰＬＥ。com')).toEqual({ ok: true, value: 'example.com' });
    expect(validateDomain('_dmarc.example.com')).toEqual({ ok: true, value: '_dmarc.example.com' });
  });

  it('rejects hosts without a dot, bad labels, IP addresses and URLs', () => {
    for (const raw of [
      'localhost',
      'example..com',
      '.example.com',
      '-example.com',
      'example-.com',
      'exa mple.com',
      '1.2.3.4',
      'http://example.com',
      'example.com/path',
      'a.b/c.com',
      'user@example.com',
      'example.com:8080',
      `${'a'.repeat(64)}.com`,
      'xn--zz.com',
    ]) {
      expect(validateDomain(raw), raw).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    }
    const long = Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.');
    expect(validateDomain(`${long}.com`)).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
  });
});
