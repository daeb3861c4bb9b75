import { fail, type Normalized, ok, prepare } from './result.ts';

/**
 * A file name (not a path): at most 255 UTF-8 bytes (the NAME_MAX of ext4, NTFS, APFS),
 * no '/' or '\\' separators, no NUL or other control characters, not '.' or '..'.
 * Canonical form: trimmed and NFC-normalised — macOS stores names decomposed (NFD), so
 * the same name typed elsewhere would otherwise never match. Case is kept: most file
 * systems outside Windows are case-sensitive.
 */
export function validateFilename(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const name = text.normalize('NFC');
  if (/[/\\]/.test(name)) return fail('BAD_FORMAT', 'File name must not contain path separators');
  if (hasControlCharacter(name)) return fail('BAD_FORMAT', 'File name must not contain control characters');
  if (name === '.' || name === '..') return fail('BAD_FORMAT', 'Not a file name');
  if (Buffer.byteLength(name, 'utf8') > 255) return fail('BAD_LENGTH', 'File name is longer than 255 bytes');
  return ok(name);
}

function hasControlCharacter(text: string): boolean {
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
