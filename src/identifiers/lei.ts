import { isPlausibleCheckPair, mod97 } from './mod97.ts';
import { compact, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * ISO 17442 Legal Entity Identifier: 18 alphanumeric characters (LOU prefix + entity part)
 * followed by 2 check digits; the whole string satisfies ISO 7064 MOD 97-10 (remainder 1).
 */
export function validateLei(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const lei = compact(text).replace(/^LEI:?/, '');
  if (!/^[A-Z0-9]+$/.test(lei)) return fail('BAD_FORMAT', 'LEI has characters other than letters and digits');
  if (lei.length !== 20) return fail('BAD_LENGTH', 'LEI must have 20 characters');
  if (!/^[A-Z0-9]{18}\d{2}$/.test(lei))
    return fail('BAD_FORMAT', 'The last two LEI characters are check digits');
  if (!isPlausibleCheckPair(lei.slice(18)) || mod97(lei) !== 1) {
    return fail('CHECK_DIGIT_MISMATCH', 'LEI check digits do not match (ISO 7064 MOD 97-10)');
  }
  return ok(lei);
}
