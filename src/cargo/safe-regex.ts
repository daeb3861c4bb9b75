/**
 * The subset of regular expressions a rule may use with `matches`. JavaScript's backtracking
 * engine can take exponential time on some patterns (ReDoS, e.g. `(a+)+$`), and the values it
 * runs on are written by filers, who may be adversaries. So a pattern is accepted only when:
 *
 * - it has no backreferences (`\1`, `\k<name>`) and no lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`);
 * - no quantifier applies to a group that itself contains a quantifier or an alternation
 *   (star height 1: this rules out the exponential cases);
 * - it has at most 2 unbounded quantifiers (`*`, `+`, `{n,}`, or `{n,m}` with m > 10), which
 *   bounds the polynomial worst case to O(n²) on values of at most 512 characters;
 * - it is at most 200 characters long and compiles with the `u` flag.
 *
 * Every pattern is anchored (`^(?:pattern)$`: it must match the whole value; write `.*x.*` for
 * "contains x") and case-insensitive.
 */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_UNBOUNDED = 2;

interface Group {
  quantified: boolean;
  alternation: boolean;
}

/** null when the pattern is acceptable, else the reason. */
export function unsafePatternReason(pattern: string): string | null {
  if (pattern.length === 0) return 'empty pattern';
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern longer than ${MAX_PATTERN_LENGTH} characters`;
  const stack: Group[] = [{ quantified: false, alternation: false }];
  let unbounded = 0;
  // What the next quantifier would apply to: a group just closed (with its flags) or an atom.
  let lastAtom: Group | 'atom' | null = null;
  let i = 0;
  const top = () => stack[stack.length - 1] as Group;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) return 'pattern ends with a backslash';
      if (/[1-9]/.test(n) || n === 'k') return 'backreferences are not allowed';
      if ((n === 'p' || n === 'P' || n === 'u' || n === 'x') && pattern[i + 2] === '{') {
        const end = pattern.indexOf('}', i + 2);
        if (end < 0) return 'unterminated escape';
        i = end + 1;
      } else i += 2;
      lastAtom = 'atom';
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      if (j >= pattern.length) return 'unterminated character class';
      i = j + 1;
      lastAtom = 'atom';
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i)) return 'lookahead is not allowed';
      if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) return 'lookbehind is not allowed';
      stack.push({ quantified: false, alternation: false });
      if (pattern.startsWith('(?:', i)) i += 3;
      else if (pattern.startsWith('(?<', i)) {
        const end = pattern.indexOf('>', i);
        if (end < 0) return 'unterminated group name';
        i = end + 1;
      } else i += 1;
      lastAtom = null;
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) return 'unbalanced parenthesis';
      const g = stack.pop() as Group;
      const parent = top();
      if (g.quantified) parent.quantified = true;
      if (g.alternation) parent.alternation = true;
      lastAtom = g;
      i++;
      continue;
    }
    if (c === '|') {
      top().alternation = true;
      lastAtom = null;
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let isUnbounded = c === '*' || c === '+';
      let len = 1;
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        if (m === null) {
          // A literal brace (allowed by the u flag only when escaped, so this will fail to compile).
          lastAtom = 'atom';
          i++;
          continue;
        }
        len = m[0].length;
        const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
        if (max > 1000) return 'repetition count above 1000';
        isUnbounded = max > 10;
      }
      if (lastAtom === null) return 'quantifier without anything to repeat';
      if (lastAtom !== 'atom' && (lastAtom.quantified || lastAtom.alternation)) {
        return 'a quantified group may not contain a quantifier or an alternation (nested quantifiers)';
      }
      if (isUnbounded && ++unbounded > MAX_UNBOUNDED)
        return `more than ${MAX_UNBOUNDED} unbounded quantifiers`;
      top().quantified = true;
      i += len;
      if (pattern[i] === '?') i++; // lazy
      lastAtom = null;
      continue;
    }
    lastAtom = 'atom';
    i++;
  }
  if (stack.length !== 1) return 'unbalanced parenthesis';
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message}`;
  }
  return null;
}

export function compileSafePattern(pattern: string): RegExp {
  const reason = unsafePatternReason(pattern);
  if (reason !== null) throw new RangeError(reason);
  return new RegExp(`^(?:${pattern})$`, 'iu');
}
