/**
 * A line-by-line diff (longest common subsequence) between two texts, to show what a stored
 * rule-set version changes against the editor's text. Rule sets are a few hundred lines, so the
 * quadratic table is fine; the common head and tail are trimmed first, which keeps the usual case
 * (a few edited lines) small. Above `maxCells` the middle is shown as removed then added rather
 * than freezing the page.
 */

export type DiffLine =
  | { kind: 'same'; text: string; oldLine: number; newLine: number }
  | { kind: 'removed'; text: string; oldLine: number }
  | { kind: 'added'; text: string; newLine: number };

export interface DiffSummary {
  added: number;
  removed: number;
}

const DEFAULT_MAX_CELLS = 4_000_000;

/** Lines of a text; a final newline does not make an extra empty line, and CRLF counts as LF. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The lines of `before` and `after` in order, each kept, removed or added (removals first). */
export function lineDiff(before: string, after: string, maxCells = DEFAULT_MAX_CELLS): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;

  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: i + 1 });
  middle(a, b, head, a.length - tail, head, b.length - tail, maxCells, out);
  for (let k = tail; k > 0; k--) {
    const i = a.length - k;
    const j = b.length - k;
    out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
  }
  return out;
}

function middle(
  a: string[],
  b: string[],
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  maxCells: number,
  out: DiffLine[],
): void {
  const n = a1 - a0;
  const m = b1 - b0;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > maxCells) {
    for (let i = a0; i < a1; i++) out.push({ kind: 'removed', text: a[i]!, oldLine: i + 1 });
    for (let j = b0; j < b1; j++) out.push({ kind: 'added', text: b[j]!, newLine: j + 1 });
    return;
  }
  // len[i][j] = length of the LCS of a[a0+i..a1) and b[b0+j..b1), filled from the end so the walk
  // below goes forwards.
  const w = m + 1;
  const len = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i * w + j] =
        a[a0 + i] === b[b0 + j]
          ? len[(i + 1) * w + j + 1]! + 1
          : Math.max(len[(i + 1) * w + j]!, len[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] === b[b0 + j]) {
      out.push({ kind: 'same', text: a[a0 + i]!, oldLine: a0 + i + 1, newLine: b0 + j + 1 });
      i++;
      j++;
    } else if (len[(i + 1) * w + j]! >= len[i * w + j + 1]!) {
      out.push({ kind: 'removed', text: a[a0 + i]!, oldLine: a0 + i + 1 });
      i++;
    } else {
      out.push({ kind: 'added', text: b[b0 + j]!, newLine: b0 + j + 1 });
      j++;
    }
  }
  for (; i < n; i++) out.push({ kind: 'removed', text: a[a0 + i]!, oldLine: a0 + i + 1 });
  for (; j < m; j++) out.push({ kind: 'added', text: b[b0 + j]!, newLine: b0 + j + 1 });
}

export function summarise(diff: readonly DiffLine[]): DiffSummary {
  let added = 0;
  let removed = 0;
  for (const d of diff) {
    if (d.kind === 'added') added++;
    else if (d.kind === 'removed') removed++;
  }
  return { added, removed };
}
