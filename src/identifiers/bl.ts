import { compact, fail, type Normalized, ok, prepare } from './result.ts';

/**
 * Bill of lading numbers have no international standard: carriers print a SCAC/carrier
 * prefix followed by letters and digits (e.g. 'MEDUXY123456'). They are matched on their
 * alphanumeric skeleton, so spaces and dashes are dropped and letters uppercased.
 */
export function validateBillOfLading(raw: string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const bl = compact(text);
  if (!/^[A-Z0-9]+$/.test(bl)) return fail('BAD_FORMAT', 'Bill of lading number must be letters and digits');
  if (bl.length < 4 || bl.length > 20)
    return fail('BAD_LENGTH', 'Bill of lading number has 4 to 20 characters');
  return ok(bl);
}
