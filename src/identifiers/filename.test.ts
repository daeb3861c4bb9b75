import { describe, expect, it } from 'vitest';
import { validateFilename } from './filename.ts';

describe('validateFilename', () => {
  it('trims and NFC-normalises, keeping case', () => {
    expect(validateFilename('  Manifest_2024.PDF ')).toEqual({ ok: true, value: 'Manifest_2024.PDF' });
    expect(validateFilename('Cafe\u0301.xlsx')).toEqual({ ok: true, value: 'Café.xlsx' });
  });

  it('rejects paths, control characters, dot entries and overlong names', () => {
    expect(validateFilename('../etc/passwd')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateFilename('C:\\Users\\x.doc')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateFilename('a\u0000b')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateFilename('..')).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(validateFilename('é'.repeat(128))).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateFilename('a'.repeat(255)).ok).toBe(true);
  });
});
