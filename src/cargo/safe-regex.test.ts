import { describe, expect, it } from 'vitest';
import { compileSafePattern, unsafePatternReason } from './safe-regex.ts';

describe('unsafePatternReason', () => {
  it.each([
    'EC[A-Z]{3}',
    '.*trading.*',
    'MSCU\\d{7}',
    '(?:frutas|agricola) .*',
    '[^a-z]+',
    '\\p{Lu}{2}',
    '(ab)+c',
    'x{2,10}y?',
  ])('accepts %s', (p) => {
    expect(unsafePatternReason(p)).toBeNull();
  });

  it.each([
    ['(a+)+$', 'nested quantifiers'],
    ['(a|aa)*', 'nested quantifiers'],
    ['((ab)*c)+', 'nested quantifiers'],
    ['(?=x)y', 'lookahead'],
    ['(?<!x)y', 'lookbehind'],
    ['(a)\\1', 'backreferences'],
    ['.*a.*b.*', 'unbounded quantifiers'],
    ['a{1,5000}', 'above 1000'],
    ['(abc', 'unbalanced'],
    ['abc)', 'unbalanced'],
    ['*a', 'anything to repeat'],
    ['[a-', 'unterminated'],
    ['', 'empty'],
    ['a'.repeat(201), 'longer than'],
    ['\\', 'backslash'],
  ])('rejects %s (%s)', (p, why) => {
    expect(unsafePatternReason(p)).toContain(why);
  });
});

describe('compileSafePattern', () => {
  it('anchors the pattern to the whole value, case-insensitively', () => {
    const re = compileSafePattern('EC[A-Z]{3}');
    expect(re.test('ECGYE')).toBe(true);
    expect(re.test('ecgye')).toBe(true);
    expect(re.test('XECGYE')).toBe(false);
    expect(re.test('ECGYEX')).toBe(false);
    expect(compileSafePattern('a|b').test('ab')).toBe(false);
  });

  it('throws on an unsafe pattern', () => {
    expect(() => compileSafePattern('(a+)+')).toThrow(RangeError);
  });
});
