import { describe, expect, it } from 'vitest';
import { validateFreeText } from './text.ts';

describe('validateFreeText', () => {
  it('trims and keeps the text otherwise as written', () => {
    expect(validateFreeText('  Hidden in Banana Boxes  ')).toEqual({
      ok: true,
      value: 'Hidden in Banana Boxes',
    });
  });

  it('rejects empty and overlong text', () => {
    expect(validateFreeText(' ')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateFreeText('a'.repeat(501))).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
  });
});
