import { LEGAL_FORMS, MAX_LEGAL_FORM_TOKENS } from './legal-forms.ts';
import { fail, type Normalized, ok, prepare } from './result.ts';

/**
 * Letters that Unicode does not decompose (so NFKD leaves them alone) but that every
 * romanisation writes with plain Latin letters. Keys are lowercase: folding lowercases first.
 */
const TRANSLITERATION: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'n',
  ĸ: 'k',
  ſ: 's',
  ƒ: 'f',
};

// Apostrophes join rather than separate: "O'Brien" and "OBrien" must meet, as must "L'Oréal".
const APOSTROPHES = /['’‘ʼʹ`´′]/g;

/**
 * Folds a name to a comparison key:
 * 1. apostrophes removed; 2. lowercased; 3. NFKD (compatibility decomposition: 'ﬁ' → 'fi',
 * full-width → ASCII, 'é' → 'e' + combining accent); 4. combining marks (\p{M}) removed;
 * 5. lowercased again (NFKD can expose capitals, e.g. 'ℌ' → 'H'); 6. letters NFKD keeps
 * whole transliterated (table above); 7. anything that is not a letter or digit becomes a
 * space; 8. whitespace collapsed.
 *
 * Umlauts fold to the bare vowel ('Müller' → 'muller'), not to the German 'ue' spelling:
 * one rule for every language (Spanish 'í', French 'é', Czech 'ř' all lose their marks the
 * same way), and the Jaro–Winkler step of tokenSimilarity scores 'muller'/'mueller' at
 * 0.92, above its 0.88 threshold for spelling variants.
 * Non-Latin scripts keep their letters (Cyrillic, Arabic, CJK are not transliterated).
 */
export function foldName(raw: string): string {
  return raw
    .replace(APOSTROPHES, '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıħŧŋĸſƒ]/g, (ch) => TRANSLITERATION[ch] ?? ch)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Tokens of a (normalised) name, in order. */
export function nameTokens(normalized: string): string[] {
  const folded = foldName(normalized);
  return folded === '' ? [] : folded.split(' ');
}

/**
 * Person names: the folded form, token order kept ('Pérez-Núñez, José' → 'perez nunez jose').
 * Fails with BAD_FORMAT when nothing is left (e.g. '—' or '...').
 */
export function normalizePersonName(raw: string): Normalized {
  return nameResult(raw, foldName);
}

/**
 * Company names: the folded form without trailing legal-form designations
 * ('Frutas Del Pacífico S.A.C.' → 'frutas del pacifico', 'Müller GmbH & Co. KG' → 'muller').
 * Fails with BAD_FORMAT when nothing is left.
 */
export function normalizeCompanyName(raw: string): Normalized {
  return nameResult(raw, (text) => stripLegalForms(nameTokens(text)).join(' '));
}

/**
 * Removes legal-form designations from the end of a token list (see legal-forms.ts).
 *
 * Only the end of the name is stripped, where legal forms sit in nearly every jurisdiction;
 * a legal form in the middle ('Banco SA Trading') is more likely part of the name. A tail
 * of several tokens is joined before lookup so dotted spellings match ('S.A.C.' → 's a c'
 * → 'sac'); multi-token tails are only considered when every token is ≤ 3 characters, so
 * real words are never glued into a legal form. The first token is never stripped: a
 * company literally named 'AG' or 'Company' keeps its name.
 */
export function stripLegalForms(tokens: readonly string[]): string[] {
  const kept = [...tokens];
  let stripped = true;
  while (stripped && kept.length > 1) {
    stripped = false;
    for (let k = Math.min(MAX_LEGAL_FORM_TOKENS, kept.length - 1); k >= 1; k--) {
      const tail = kept.slice(-k);
      if (k > 1 && tail.some((token) => token.length > 3)) continue;
      if (LEGAL_FORMS.has(tail.join(''))) {
        kept.length -= k;
        stripped = true;
        break;
      }
    }
  }
  return kept;
}

function nameResult(raw: string, normalize: (text: string) => string): Normalized {
  const text = prepare(raw);
  if (typeof text !== 'string') return text;
  const name = normalize(text);
  if (name === '') return fail('BAD_FORMAT', 'Name has no letters or digits');
  return ok(name);
}
