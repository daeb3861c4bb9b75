import cliProgress from 'cli-progress';

/** A progress bar on a terminal, quiet lines otherwise (CI logs stay readable). */
export function progressBar(label: string, total: number) {
  if (!process.stderr.isTTY) {
    let last = 0;
    return {
      update(done: number) {
        const pct = Math.floor((done / Math.max(total, 1)) * 100);
        if (pct >= last + 25 || done === total) {
          last = pct;
          process.stderr.write(`${label}: ${done}/${total} (${pct}%)\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta}s`, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update(done: number) {
      bar.setTotal(Math.max(total, done));
      bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}
