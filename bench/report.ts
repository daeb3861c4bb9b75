/**
 * Benchmark reporting: a readable table for people and one JSON line per figure for machines.
 * `ratio` says how many times better than the peer measured in the same run (higher is better),
 * whatever the unit: for "lower is better" units (ms, MB) it is peer / value.
 */
export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  peer: string | null;
  peerValue: number | null;
  /** true when a smaller value is better (times, sizes). */
  lowerIsBetter: boolean;
}

export function ratioOf(f: Figure): number | null {
  if (f.peerValue === null || f.peerValue === 0 || f.value === 0) return null;
  return f.lowerIsBetter ? f.peerValue / f.value : f.value / f.peerValue;
}

function fmt(n: number | null): string {
  if (n === null) return '–';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-GB');
  return Number(n.toPrecision(4)).toString();
}

export function printFigures(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.metric,
    `${fmt(f.value)} ${f.unit}`,
    f.peer ?? '–',
    f.peerValue === null ? '–' : `${fmt(f.peerValue)} ${f.unit}`,
    fmt(ratioOf(f)),
  ]);
  const head = ['metric', 'value', 'peer', 'peer value', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const f of figures) {
    console.log(
      JSON.stringify({
        bench: f.bench,
        metric: f.metric,
        value: f.value,
        unit: f.unit,
        peer: f.peer,
        peerValue: f.peerValue,
        ratio: ratioOf(f),
      }),
    );
  }
}

export function machineDescription(): string {
  // Imported lazily so a benchmark file stays cheap to load.
  return `${process.platform} ${process.arch}, node ${process.version}`;
}

export const isQuick = process.argv.includes('--quick');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? Number.NaN;
}
