/**
 * The result type shared by every normaliser, plus the input hygiene they all apply.
 *
 * Codes are a stable contract (clients branch on them, tests assert them); messages are
 * for people and may change. Convention used across the module:
 * - CHECK_DIGIT_MISMATCH: a check digit computed by a published arithmetic rule (ISO 6346,
 *   IMO, ISO 7064 MOD 97-10 for IBAN/LEI) does not match.
 * - BAD_CHECKSUM: an encoding-level checksum fails (Base58Check, Bech32/Bech32m, EIP-55).
 * - BAD_LENGTH: the characters are right but there are too few or too many of them.
 * - BAD_FORMAT: anything else about the shape of the input.
 */
export type Normalized =
  | { ok: true; value: string; kind?: string }
  | { ok: false; code: string; message: string };

export type Failure = Extract<Normalized, { ok: false }>;

export type ErrorCode =
  | 'BAD_FORMAT'
  | 'BAD_LENGTH'
  | 'CHECK_DIGIT_MISMATCH'
  | 'BAD_CHECKSUM'
  | 'UNKNOWN_COUNTRY'
  | 'UNKNOWN_CHAPTER'
  | 'UNKNOWN_CHAIN'
  | 'UNSUPPORTED_NETWORK'
  | 'UNSUPPORTED_SCHEME'
  | 'INVALID_NUMBER'
  | 'UNKNOWN_TYPE';

/** Longer inputs are pasted documents, not identifiers; refuse them before doing any work. */
export const MAX_INPUT_LENGTH = 500;

export function ok(value: string, kind?: string): Normalized {
  return kind === undefined ? { ok: true, value } : { ok: true, value, kind };
}

export function fail(code: ErrorCode, message: string): Failure {
  return { ok: false, code, message };
}

/**
 * Trims and bounds the raw input. Returns the trimmed text, or a BAD_FORMAT failure.
 * Takes `unknown` because values arrive from JSON and CSV imports, where types are promises.
 */
export function prepare(raw: unknown): string | Failure {
  if (typeof raw !== 'string') return fail('BAD_FORMAT', 'Value must be a string');
  const text = raw.trim();
  if (text.length === 0) return fail('BAD_FORMAT', 'Value is empty');
  if (text.length > MAX_INPUT_LENGTH) {
    return fail('BAD_FORMAT', `Value is longer than ${MAX_INPUT_LENGTH} characters`);
  }
  return text;
}

// Zero-width characters survive copy/paste from PDFs and web pages and are invisible to analysts.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// ASCII hyphen-minus plus the Unicode dashes (U+2010–U+2015, U+2212 minus sign).
const DASHES = /[-\u2010-\u2015\u2212]/g;

const CANONICAL = /^[A-Z0-9]+$/;

/**
 * Canonical skeleton for printed codes (container, IBAN, LEI, …): NFKC folds full-width
 * digits and letters to ASCII, then whitespace, dashes and invisible characters are
 * removed and letters uppercased.
 */
export function compact(text: string): string {
  // Already canonical (the usual case for machine-filed codes): NFKC leaves ASCII letters and
  // digits alone and there is nothing to remove or upper-case.
  if (CANONICAL.test(text)) return text;
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, '').replace(DASHES, '').toUpperCase();
}
