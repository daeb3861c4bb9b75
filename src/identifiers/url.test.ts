import { describe, expect, it } from 'vitest';
import { validateUrl } from './url.ts';

describe('validateUrl', () => {
  it('lowercases scheme and host and keeps path, query and fragment', () => {
    expect(validateUrl('HTTPS://Example.COM/Track/ABC?ref=X#Top')).toEqual({
      ok: true,
      value: 'https://example.com/Track/ABC?ref=X#Top',
    });
    expect(validateUrl('http://example.com:80')).toEqual({ ok: true, value: 'http://example.com/' });
    expect(validateUrl('ftp://files.example.org/a b.txt')).toEqual({
      ok: true,
      value: 'ftp://files.example.org/a%20b.txt',
    });
    expect(validateUrl('https://bücher.de/')).toEqual({ ok: true, value: 'https://xn--bcher-kva.de/' });
  });

  it('rejects relative URLs and other schemes', () => {
    expect(validateUrl('example.com/path')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateUrl('http://')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateUrl('javascript:alert(1)')).toMatchObject({ ok: false, code: 'UNSUPPORTED_SCHEME' });
    expect(validateUrl('file:///etc/passwd')).toMatchObject({ ok: false, code: 'UNSUPPORTED_SCHEME' });
    expect(validateUrl('data:text/html,hi')).toMatchObject({ ok: false, code: 'UNSUPPORTED_SCHEME' });
  });
});
