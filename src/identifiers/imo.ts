import { compact, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * IMO ship identification number (IMO Resolution A.1117(30)): 7 digits, the last being a
 * check digit = (d1·7 + d2·6 + d3·5 + d4·4 + d5·3 + d6·2) mod 10.
 */
export function imoCheckDigit(first6: string): number {
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(first6[i]) * (7 - i);
  return sum % 10;
}

/** Accepts '9321483', 'IMO 9321483', 'imo:9321483'. Canonical form: 'IMO9321483'. */
export function validateImo(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const digits = compact(text).replace(/^IMO[:.#]?/, '');
  if (!/^\d+$/.test(digits))
    return fail('BAD_FORMAT', 'IMO number must be 7 digits, optionally prefixed by "IMO"');
  if (digits.length !== 7) return fail('BAD_LENGTH', 'IMO number must have exactly 7 digits');
  if (digits === '0000000') return fail('BAD_FORMAT', 'IMO number cannot be all zeros');
  const expected = imoCheckDigit(digits);
  if (Number(digits[6]) !== expected)
    return fail('CHECK_DIGIT_MISMATCH', `Check digit should be ${expected}`);
  return ok(`IMO${digits}`);
}
