/**
 * A cheap upper bound of `tokenSimilarity` (identifiers module), so that watchlist screening can
 * skip a candidate name without computing the similarity when it cannot reach the threshold.
 * The bound never under-estimates, so skipping on it changes no result: a name that could match
 * is still compared by `tokenSimilarity` itself.
 *
 * Why it holds. tokenSimilarity is I / (|A| + |B| − I) over the distinct tokens A and B, where I
 * sums Jaro–Winkler scores (each ≤ 1) of a one-to-one pairing that keeps only pairs scoring at
 * least TOKEN_MATCH_THRESHOLD. So I ≤ the number of tokens of A that have at least one such
 * partner in B, and the similarity grows with I. Whether a token has a partner is decided with
 * the real `jaroWinkler`, after a bound that rules most pairs out without it:
 * - the Jaro matches m are at most the characters of either token that occur anywhere in the
 *   other (a letter mask per token; a collision in the mask only loosens the bound);
 * - Jaro ≤ (m/|s| + m/|t| + 1) / 3 (no transpositions), and the Winkler boost adds at most
 *   p·0.1·(1 − Jaro) for the actual common prefix p (≤ 4).
 * Floating-point sums of scores ≤ 1 stay ≤ their count and division is monotone, so the bound is
 * safe as computed too; the character bound keeps a 1e-9 margin all the same.
 */
import { jaroWinkler, TOKEN_MATCH_THRESHOLD } from '../identifiers/index.ts';

/**
 * A distinct token of a name with its letter mask. Tokens of watchlist names are shared between
 * names (`BoundVocabulary`) and remember, for the screening in progress (`stamp`), which tokens
 * of the screened name they were already compared with (`known`, one bit per token position)
 * and which of those are partners (`partners`): candidates share tokens ('trading', 'import'),
 * so each pair of tokens is decided once per screened name.
 */
export interface BoundToken {
  readonly text: string;
  readonly mask: number;
  stamp: number;
  known: number;
  partners: number;
}

function boundToken(text: string): BoundToken {
  let mask = 0;
  for (let i = 0; i < text.length; i++) mask |= 1 << (text.charCodeAt(i) & 31);
  return { text, mask, stamp: 0, known: 0, partners: 0 };
}

/** The distinct tokens of a name (the set tokenSimilarity works on), with their masks. */
export function boundTokens(tokens: readonly string[]): BoundToken[] {
  const out: BoundToken[] = [];
  const seen = new Set<string>();
  for (const text of tokens) {
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(boundToken(text));
  }
  return out;
}

/** Bound tokens shared by all the names of one watchlist. */
export class BoundVocabulary {
  private readonly tokens = new Map<string, BoundToken>();

  /** Like `boundTokens`, with one object per distinct token text across calls. */
  of(tokens: readonly string[]): BoundToken[] {
    const out: BoundToken[] = [];
    for (const text of tokens) {
      let t = this.tokens.get(text);
      if (t === undefined) {
        t = boundToken(text);
        this.tokens.set(text, t);
      }
      if (!out.includes(t)) out.push(t);
    }
    return out;
  }
}

/** An upper bound of jaroWinkler(a, b) (see the file comment). */
function jaroWinklerBound(a: BoundToken, b: BoundToken): number {
  const s = a.text;
  const t = b.text;
  let ms = 0;
  for (let i = 0; i < s.length; i++) if ((b.mask & (1 << (s.charCodeAt(i) & 31))) !== 0) ms++;
  if (ms === 0) return 0;
  let mt = 0;
  for (let j = 0; j < t.length; j++) if ((a.mask & (1 << (t.charCodeAt(j) & 31))) !== 0) mt++;
  const m = Math.min(ms, mt);
  const jaro = (m / s.length + m / t.length + 1) / 3;
  let p = 0;
  while (p < 4 && p < s.length && p < t.length && s.charCodeAt(p) === t.charCodeAt(p)) p++;
  return jaro + p * 0.1 * (1 - jaro);
}

function partners(a: BoundToken, b: BoundToken): boolean {
  if (a.text === b.text) return true;
  if (jaroWinklerBound(a, b) < TOKEN_MATCH_THRESHOLD - 1e-9) return false;
  return jaroWinkler(a.text, b.text) >= TOKEN_MATCH_THRESHOLD;
}

/** Token positions of a screened name that can be remembered in `known` / `partners`. */
const MEMO_POSITIONS = 31;

function hasPartner(a: BoundToken, at: number, right: readonly BoundToken[], stamp: number): boolean {
  const memo = stamp !== 0 && at < MEMO_POSITIONS;
  const bit = 1 << at;
  for (const b of right) {
    if (!memo) {
      if (partners(a, b)) return true;
      continue;
    }
    if (b.stamp !== stamp) {
      b.stamp = stamp;
      b.known = 0;
      b.partners = 0;
    }
    if ((b.known & bit) !== 0) {
      if ((b.partners & bit) !== 0) return true;
      continue;
    }
    b.known |= bit;
    if (partners(a, b)) {
      b.partners |= bit;
      return true;
    }
  }
  return false;
}

/**
 * false when tokenSimilarity(left, right) is certainly below `threshold`; true when it may reach
 * it. Arguments are distinct tokens (`boundTokens`, `BoundVocabulary`). `stamp`, when not 0,
 * identifies the left token list: the same stamp must always come with the same left list
 * (e.g. a counter per screened name), so that the pair decisions remembered in the right
 * tokens apply.
 */
export function mayReachSimilarity(
  left: readonly BoundToken[],
  right: readonly BoundToken[],
  threshold: number,
  stamp = 0,
): boolean {
  const total = left.length + right.length;
  if (left.length === 0 || right.length === 0) return 0 >= threshold;
  let partnered = 0;
  for (let i = 0; i < left.length; i++) {
    if (hasPartner(left[i] as BoundToken, i, right, stamp)) partnered++;
    else {
      // Stop as soon as even partners for every remaining token could not reach the threshold.
      const best = partnered + (left.length - i - 1);
      if (best / (total - best) < threshold) return false;
    }
  }
  return partnered / (total - partnered) >= threshold;
}
