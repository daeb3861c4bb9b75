import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateHash } from './hash.ts';

describe('validateHash', () => {
  it('recognises MD5, SHA-1, SHA-256 and SHA-512 by length and lowercases', () => {
    expect(validateHash('D41D8CD98F00B204E9800998ECF8427E')).toEqual({
      ok: true,
      value: 'd41d8cd98f00b204e9800998ecf8427e',
      kind: 'md5',
    });
    expect(validateHash('da39a3ee5e6b4b0d3255bfef95601890afd80709')).toMatchObject({
      ok: true,
      kind: 'sha1',
    });
    expect(validateHash('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')).toMatchObject({
      ok: true,
      kind: 'sha256',
    });
    expect(validateHash('a'.repeat(128))).toMatchObject({ ok: true, kind: 'sha512' });
  });

  it('rejects other lengths and non-hex', () => {
    expect(validateHash('d41d8cd98f00b204e9800998ecf8427')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateHash('z41d8cd98f00b204e9800998ecf8427e')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateHash('0xd41d8cd98f00b204e9800998ecf8427e')).toMatchObject({
      ok: false,
      code: 'BAD_FORMAT',
    });
  });

  it('property: any hex string of a digest length validates to its lowercase form', () => {
    const digest = fc
      .constantFrom(32, 40, 64, 128)
      .chain((n) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${n}}$`)));
    fc.assert(
      fc.property(digest, (value) => {
        expect(validateHash(value)).toMatchObject({ ok: true, value: value.toLowerCase() });
      }),
    );
  });
});
