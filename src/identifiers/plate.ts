import { compact, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * Vehicle registration plates: no common standard, so they are matched on their
 * alphanumeric skeleton — spaces, dashes and dots dropped, letters uppercased. Letters are
 * Unicode-aware because plates carry them (German 'MÜ', Nordic 'Ø'), digits are any script
 * after NFKC. 2 to 12 characters covers national formats worldwide.
 */
export function validatePlate(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const plate = compact(text).replace(/[.·]/g, '');
  if (!/^[\p{L}\p{N}]+$/u.test(plate))
    return fail('BAD_FORMAT', 'Plate must contain only letters and digits');
  const length = [...plate].length;
  if (length < 2 || length > 12) return fail('BAD_LENGTH', 'Plate has 2 to 12 characters');
  return ok(plate);
}
