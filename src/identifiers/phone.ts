import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { fail, type Normalized, ok, prepare } from './result.ts';

/**
 * Phone numbers, canonicalised to ITU-T E.164 ('+31201234567') with libphonenumber's full
 * ('max') metadata, so numbers are checked against each country's numbering plan rather
 * than by length alone. kind = the line type libphonenumber infers ('mobile', 'fixed_line', …).
 *
 * National formats ('020 123 4567') are ambiguous without a country, so they are accepted
 * only when the caller passes `defaultCountry`. Without one, a leading '00' (the ITU-T E.164
 * recommended international prefix, used across Europe and Latin America) is read as '+'.
 * Extensions are dropped: E.164 has none, and correlation should match the line itself.
 */
export function validatePhone(raw: string, defaultCountry?: CountryCode): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  let input = text.normalize('NFKC');
  if (defaultCountry === undefined && /^00\s*[1-9]/.test(input)) input = `+${input.slice(2)}`;
  const phone = parsePhoneNumberFromString(input, { defaultCountry, extract: false });
  if (phone === undefined) {
    return fail(
      'BAD_FORMAT',
      defaultCountry === undefined
        ? 'Not a phone number in international format (+country code …)'
        : 'Not a phone number',
    );
  }
  if (!phone.isValid())
    return fail('INVALID_NUMBER', 'Number does not exist in that country’s numbering plan');
  const type = phone.getType();
  return ok(phone.number, type === undefined ? undefined : type.toLowerCase());
}
