import cliProgress from 'cli-progress';

/** Counts as people read them: plain, or bytes in MB. */
function amount(n: number, unit: 'items' | 'bytes'): string {
  return unit === 'bytes' ? `${(n / 1e6).toFixed(1)} MB` : String(n);
}

/** A progress bar on a terminal, quiet lines otherwise (CI logs stay readable). */
export function progressBar(label: string, total: number, options: { unit?: 'items' | 'bytes' } = {}) {
  const unit = options.unit ?? 'items';
  if (!process.stderr.isTTY) {
    let last = 0;
    return {
      update(done: number) {
        const pct = Math.floor((done / Math.max(total, 1)) * 100);
        if (pct >= last + 25 || done === total) {
          last = pct;
          process.stderr.write(`${label}: ${amount(done, unit)}/${amount(total, unit)} (${pct}%)\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {done}/{all} | ETA {eta}s`,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { done: amount(0, unit), all: amount(total, unit) });
  return {
    update(done: number) {
      bar.setTotal(Math.max(total, done));
      bar.update(done, { done: amount(done, unit), all: amount(Math.max(total, done), unit) });
    },
    stop() {
      bar.stop();
    },
  };
}
