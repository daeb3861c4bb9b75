/**
 * ISO/IEC 7064 MOD 97-10, the check used by IBAN (ISO 13616) and LEI (ISO 17442).
 * Letters count as two digits (A=10 … Z=35); a valid string leaves remainder 1.
 * The remainder is folded digit by digit so no big integers are needed.
 */
export function mod97(alnum: string): number {
  let remainder = 0;
  for (const ch of alnum) {
    const code = ch.charCodeAt(0);
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else if (code >= 65 && code <= 90) {
      remainder = (remainder * 100 + (code - 55)) % 97;
    } else {
      throw new RangeError(`mod97: unexpected character ${JSON.stringify(ch)}`);
    }
  }
  return remainder;
}

/**
 * The two check digits that make `body + digits` valid, for a body given without them.
 * ISO 7064: check = 98 − (body·100 mod 97), always in 02…98.
 */
export function mod97CheckDigits(body: string): string {
  const check = 98 - mod97(`${body}00`);
  return check.toString().padStart(2, '0');
}

/**
 * Check digits 00, 01 and 99 are never produced by the algorithm, yet 99 ≡ 02 (mod 97) so
 * a tampered "99" would still leave remainder 1: reject them explicitly (valid pairs are 02…98).
 */
export function isPlausibleCheckPair(digits: string): boolean {
  return /^\d\d$/.test(digits) && digits !== '00' && digits !== '01' && digits !== '99';
}
