import { isIsoCountry } from './countries.ts';
import { isPlausibleCheckPair, mod97 } from './mod97.ts';
import { compact, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * Total IBAN length per country, from the SWIFT IBAN Registry (ISO 13616 registration
 * authority). Covers every EU/EEA state, the other SEPA members and all registry countries.
 * Countries absent here (e.g. CO Colombia, US, CN, most of Latin America) do not issue IBANs.
 * Territories that bank under a parent's IBAN (GF, RE, AX, JE, IM…) use the parent's prefix.
 * Entries are country code + total length.
 */
const REGISTRY =
  'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 ' +
  'DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 ' +
  'GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 ' +
  'LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 ' +
  'PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 ' +
  'SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30';

export const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  REGISTRY.split(' ').map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

/**
 * ISO 13616 IBAN. Accepts the paper format ('IBAN GB82 WEST 1234 5698 7654 32') and lower
 * case; canonical form is the electronic format: uppercase, no spaces.
 * Validation: country in the registry, registered length, then MOD 97-10 remainder 1.
 * The country-specific BBAN layout is not checked: the checksum already catches typos.
 */
export function validateIban(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const iban = compact(text).replace(/^IBAN:?/, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) {
    return fail('BAD_FORMAT', 'IBAN is 2 letters, 2 check digits, then letters and digits');
  }
  const country = iban.slice(0, 2);
  const length = IBAN_LENGTHS.get(country);
  if (length === undefined) {
    return fail(
      'UNKNOWN_COUNTRY',
      isIsoCountry(country) ? `${country} does not issue IBANs` : `${country} is not a country code`,
    );
  }
  if (iban.length !== length) return fail('BAD_LENGTH', `${country} IBANs have ${length} characters`);
  if (!isPlausibleCheckPair(iban.slice(2, 4)) || mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) {
    return fail('CHECK_DIGIT_MISMATCH', 'IBAN check digits do not match (ISO 7064 MOD 97-10)');
  }
  return ok(iban);
}
