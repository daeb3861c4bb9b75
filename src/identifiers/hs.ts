import { compact, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * Harmonized System commodity code (WCO HS Convention). 2 digits = chapter, 4 = heading,
 * 6 = subheading (the international level); 8 and 10 are national/regional extensions
 * (EU CN, TARIC, US HTS). Chapters run 01–97; chapter 77 is reserved for future use and
 * 98–99 are national-use chapters, so neither identifies goods internationally.
 */
const KIND_BY_LENGTH: ReadonlyMap<number, string> = new Map([
  [2, 'hs2'],
  [4, 'hs4'],
  [6, 'hs6'],
  [8, 'hs8'],
  [10, 'hs10'],
]);

/** Accepts '2939.71', '2939 71 00', '29397100'. Canonical form: digits only. */
export function validateHsCode(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const digits = compact(text).replace(/\./g, '');
  if (!/^\d+$/.test(digits))
    return fail('BAD_FORMAT', 'HS code must contain digits (dots and spaces allowed)');
  const kind = KIND_BY_LENGTH.get(digits.length);
  if (kind === undefined) return fail('BAD_LENGTH', 'HS code must have 2, 4, 6, 8 or 10 digits');
  const chapter = Number(digits.slice(0, 2));
  if (chapter < 1 || chapter > 97 || chapter === 77) {
    return fail('UNKNOWN_CHAPTER', `HS chapter ${digits.slice(0, 2)} does not exist (01–97, not 77)`);
  }
  return ok(digits, kind);
}
