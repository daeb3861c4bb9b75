import { type Normalized, ok, prepare } from './result.ts';

/** Free-text observables ('other'): trimmed, non-empty, at most 500 characters, else as written. */
export function validateFreeText(raw: string): Normalized {
  const text = prepare(raw);
  return typeof text === 'string' ? ok(text) : text;
}
