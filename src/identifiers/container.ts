import { compact, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * ISO 6346 freight container identification: owner code (3 letters), equipment category
 * identifier (U = freight container, J = detachable freight-container-related equipment,
 * Z = trailer or chassis), 6-digit serial number and one check digit.
 */
const SHAPE = /^[A-Z]{3}[UJZ]\d{7}$/;

/**
 * ISO 6346 letter values: A=10 upwards, skipping 11, 22 and 33 (multiples of 11) because
 * the check digit is computed modulo 11 and those values would vanish from the sum. Indexed by
 * character code (digits are worth themselves); -1 for anything else.
 */
const CHAR_VALUE: Int8Array = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let d = 0; d <= 9; d++) values[48 + d] = d;
  let value = 10;
  for (let code = 65; code <= 90; code++) {
    if (value % 11 === 0) value++;
    values[code] = value;
    value++;
  }
  return values;
})();

/**
 * Sum of value × 2^position over the first 10 characters, modulo 11. ISO 6346 maps a
 * remainder of 10 to check digit 0 (and advises owners not to issue such serials); real
 * containers carry them, so both are accepted.
 */
export function containerRemainder(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const code = first10.charCodeAt(i);
    const value = code < 128 ? (CHAR_VALUE[code] as number) : -1;
    if (value < 0) throw new RangeError(`containerRemainder: bad character at ${i}`);
    sum += value * (1 << i);
  }
  return sum % 11;
}

export function containerCheckDigit(first10: string): number {
  return containerRemainder(first10) % 10;
}

/** Accepts 'CSQU 305438-3', 'csqu3054383', … Canonical form: 11 characters, uppercase. */
export function validateContainerNumber(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const id = compact(text);
  if (!/^[A-Z0-9]+$/.test(id))
    return fail('BAD_FORMAT', 'Container number has characters other than letters and digits');
  if (id.length !== 11)
    return fail('BAD_LENGTH', 'Container number must have 11 characters (4 letters, 7 digits)');
  if (!/^[A-Z]{4}\d{7}$/.test(id))
    return fail('BAD_FORMAT', 'Container number must be 4 letters then 7 digits');
  if (!SHAPE.test(id)) return fail('BAD_FORMAT', 'Fourth letter (equipment category) must be U, J or Z');
  const expected = containerCheckDigit(id);
  if (id.charCodeAt(10) - 48 !== expected) {
    return fail('CHECK_DIGIT_MISMATCH', `Check digit should be ${expected}`);
  }
  return ok(id);
}
