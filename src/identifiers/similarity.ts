import { nameTokens } from './names.ts';

/**
 * Jaro–Winkler similarity (Winkler 1990), 0..1: the Jaro score (matching characters within
 * a window of ⌊max(|s|,|t|)/2⌋ − 1, penalised for transpositions) boosted for a common
 * prefix of up to 4 characters with scaling factor p = 0.1, the boost applied only when the
 * Jaro score exceeds 0.7 (Winkler's threshold). Works on UTF-16 code units, which is what
 * folded names are made of outside the astral planes.
 */
export function jaroWinkler(s: string, t: string): number {
  if (s === t) return 1;
  if (s.length === 0 || t.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(s.length, t.length) / 2) - 1);
  const sMatched = new Array<boolean>(s.length).fill(false);
  const tMatched = new Array<boolean>(t.length).fill(false);
  let matches = 0;
  for (let i = 0; i < s.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(t.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (!tMatched[j] && s[i] === t[j]) {
        sMatched[i] = true;
        tMatched[j] = true;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  // Half the number of matched characters that appear in a different order.
  let transpositions = 0;
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    if (!sMatched[i]) continue;
    while (!tMatched[j]) j++;
    if (s[i] !== t[j]) transpositions++;
    j++;
  }
  const jaro = (matches / s.length + matches / t.length + (matches - transpositions / 2) / matches) / 3;
  if (jaro <= 0.7) return jaro;
  let prefix = 0;
  while (prefix < 4 && prefix < s.length && prefix < t.length && s[prefix] === t[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Two tokens closer than this are treated as spelling variants of each other. */
export const TOKEN_MATCH_THRESHOLD = 0.88;

/**
 * Token-set similarity of two names, 0..1, for watchlist matching. A soft Jaccard index:
 *
 *   A, B  = the sets of distinct tokens of each name (see nameTokens)
 *   pairs = one-to-one pairing of tokens of A with tokens of B, chosen greedily by
 *           decreasing jw(a, b) = jaroWinkler(a, b), keeping only pairs with jw ≥ θ = 0.88
 *           (ties broken by the token strings, so the result does not depend on argument order)
 *   I     = Σ jw(a, b) over the kept pairs                (a "soft" |A ∩ B|)
 *   sim   = I / (|A| + |B| − I)                           (a "soft" |A ∩ B| / |A ∪ B|)
 *
 * With exact tokens only (jw = 1) this is exactly the Jaccard index; spelling variants
 * ('mueller'/'muller', 'gonzalez'/'gonzales') count as near-complete matches instead of
 * misses, while unrelated tokens (jw < θ) contribute nothing. Word order is ignored
 * ('perez jose' = 'jose perez'). sim is symmetric, 1 only for identical token sets, and 0
 * when either name is empty. Initials ('j' vs 'jose') are not matched: by design a
 * bare initial is too weak a signal to raise an alert.
 */
export function tokenSimilarity(a: string | readonly string[], b: string | readonly string[]): number {
  const left = [...new Set(typeof a === 'string' ? nameTokens(a) : a)];
  const right = [...new Set(typeof b === 'string' ? nameTokens(b) : b)];
  if (left.length === 0 || right.length === 0) return 0;
  const candidates: { i: number; j: number; score: number; key: string }[] = [];
  for (let i = 0; i < left.length; i++) {
    for (let j = 0; j < right.length; j++) {
      const x = left[i] ?? '';
      const y = right[j] ?? '';
      const score = jaroWinkler(x, y);
      if (score >= TOKEN_MATCH_THRESHOLD)
        candidates.push({ i, j, score, key: x < y ? `${x}\u0000${y}` : `${y}\u0000${x}` });
    }
  }
  candidates.sort((p, q) => q.score - p.score || (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
  const usedLeft = new Set<number>();
  const usedRight = new Set<number>();
  let intersection = 0;
  for (const { i, j, score } of candidates) {
    if (usedLeft.has(i) || usedRight.has(j)) continue;
    usedLeft.add(i);
    usedRight.add(j);
    intersection += score;
  }
  return intersection / (left.length + right.length - intersection);
}
