import { compact, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * Economic Operators Registration and Identification number (Regulation (EU) 952/2013,
 * Union Customs Code, art. 9): issuing country code followed by up to 15 alphanumerics.
 * Issuers: the 27 EU member states (Greece issues under its ISO code GR), the United
 * Kingdom (GB) and Northern Ireland (XI, Windsor Framework), plus Switzerland and Norway,
 * whose customs identifiers travel in the same field of EU declarations.
 */
const EU_MEMBERS = 'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU ' + 'IE IT LT LU LV MT NL PL PT RO SE SI SK';

export const EORI_ISSUERS: ReadonlySet<string> = new Set([...EU_MEMBERS.split(' '), 'GB', 'XI', 'CH', 'NO']);

/** Accepts 'NL 123456789', 'gb123456789000'. Canonical form: uppercase, no spaces. */
export function validateEori(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const eori = compact(text);
  if (!/^[A-Z]{2}[A-Z0-9]*$/.test(eori))
    return fail('BAD_FORMAT', 'EORI is a 2-letter country code then letters and digits');
  const country = eori.slice(0, 2);
  if (!EORI_ISSUERS.has(country)) return fail('UNKNOWN_COUNTRY', `${country} does not issue EORI numbers`);
  const rest = eori.length - 2;
  if (rest < 1 || rest > 15) return fail('BAD_LENGTH', 'EORI has 1 to 15 characters after the country code');
  return ok(eori);
}
