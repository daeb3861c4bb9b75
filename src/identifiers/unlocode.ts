import { isIsoCountry } from './countries.ts';
import { compact, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * UN/LOCODE (UNECE Recommendation 16): ISO 3166-1 alpha-2 country + 3-character location
 * code drawn from A–Z and 2–9 (0 and 1 are excluded to avoid confusion with O and I).
 * 'XZ' is the UN/LOCODE convention for installations in international waters.
 */
const EXTRA_COUNTRIES: ReadonlySet<string> = new Set(['XZ']);

/** Accepts 'NLRTM', 'NL RTM', 'nl-rtm'. Canonical form: 'NLRTM'. */
export function validateUnLocode(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const code = compact(text);
  if (!/^[A-Z0-9]+$/.test(code))
    return fail('BAD_FORMAT', 'UN/LOCODE has characters other than letters and digits');
  if (code.length !== 5) return fail('BAD_LENGTH', 'UN/LOCODE must have 5 characters (country + 3)');
  if (!/^[A-Z]{2}[A-Z2-9]{3}$/.test(code)) {
    return fail('BAD_FORMAT', 'UN/LOCODE is 2 letters then 3 characters from A–Z and 2–9');
  }
  const country = code.slice(0, 2);
  if (!isIsoCountry(country) && !EXTRA_COUNTRIES.has(country)) {
    return fail('UNKNOWN_COUNTRY', `${country} is not an ISO 3166-1 country code`);
  }
  return ok(code);
}
