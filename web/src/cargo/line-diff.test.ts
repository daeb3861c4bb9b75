import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DiffLine, lineDiff, splitLines, summarise } from './line-diff.ts';

const oldSide = (d: DiffLine[]) => d.filter((x) => x.kind !== 'added').map((x) => x.text);
const newSide = (d: DiffLine[]) => d.filter((x) => x.kind !== 'removed').map((x) => x.text);
const same = (d: DiffLine[]) => d.filter((x) => x.kind === 'same').length;

/** LCS length by plain recursion with memo: an independent reference for small inputs. */
function lcsLength(a: string[], b: string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const k = `${i},${j}`;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    const v = a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1));
    memo.set(k, v);
    return v;
  };
  return go(0, 0);
}

describe('line diff', () => {
  it('marks one changed line of a rule set as removed then added, the rest kept', () => {
    const before = 'rules:\n  - id: a\n    weight: 30\n    name: A\n';
    const after = 'rules:\n  - id: a\n    weight: 45\n    name: A\n';
    expect(lineDiff(before, after)).toEqual([
      { kind: 'same', text: 'rules:', oldLine: 1, newLine: 1 },
      { kind: 'same', text: '  - id: a', oldLine: 2, newLine: 2 },
      { kind: 'removed', text: '    weight: 30', oldLine: 3 },
      { kind: 'added', text: '    weight: 45', newLine: 3 },
      { kind: 'same', text: '    name: A', oldLine: 4, newLine: 4 },
    ]);
  });

  it('finds lines inserted and deleted in the middle with their line numbers', () => {
    const d = lineDiff('a\nb\nc\nd\ne', 'a\nc\nx\nd\ne\nf');
    expect(d.map((x) => `${x.kind[0]}${x.text}`)).toEqual(['sa', 'rb', 'sc', 'ax', 'sd', 'se', 'af']);
    expect(d.find((x) => x.text === 'x')).toEqual({ kind: 'added', text: 'x', newLine: 3 });
    expect(d.find((x) => x.text === 'd')).toEqual({ kind: 'same', text: 'd', oldLine: 4, newLine: 4 });
    expect(summarise(d)).toEqual({ added: 2, removed: 1 });
  });

  it('treats empty texts, final newlines and CRLF sensibly', () => {
    expect(lineDiff('', '')).toEqual([]);
    expect(lineDiff('a\n', 'a')).toEqual([{ kind: 'same', text: 'a', oldLine: 1, newLine: 1 }]);
    expect(lineDiff('a\r\nb\r\n', 'a\nb')).toHaveLength(2);
    expect(summarise(lineDiff('', 'x\ny'))).toEqual({ added: 2, removed: 0 });
    expect(summarise(lineDiff('x\ny', ''))).toEqual({ added: 0, removed: 2 });
    expect(splitLines('a\n\nb\n')).toEqual(['a', '', 'b']);
  });

  it('rebuilds both texts and keeps a longest common subsequence (property)', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 12 })
      .map((xs) => xs.join('\n'));
    fc.assert(
      fc.property(text, text, (x, y) => {
        const d = lineDiff(x, y);
        const [a, b] = [splitLines(x), splitLines(y)];
        expect(oldSide(d)).toEqual(a);
        expect(newSide(d)).toEqual(b);
        expect(same(d)).toBe(lcsLength(a, b));
        for (const line of d) {
          if (line.kind !== 'added') expect(a[line.oldLine - 1]).toBe(line.text);
          if (line.kind !== 'removed') expect(b[line.newLine - 1]).toBe(line.text);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('falls back to removed-then-added above the size limit, still rebuilding both texts', () => {
    const a = Array.from({ length: 50 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 50 }, (_, i) => (i % 2 ? `a${i}` : `b${i}`)).join('\n');
    const capped = lineDiff(a, b, 100);
    expect(oldSide(capped)).toEqual(splitLines(a));
    expect(newSide(capped)).toEqual(splitLines(b));
    expect(same(lineDiff(a, b))).toBe(25);
  });
});
