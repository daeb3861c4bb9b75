/**
 * CPU time of a process tree on Linux (utime + stime of every descendant still running), read
 * from /proc: the benchmarks use it to say how much CPU a database server spent per declaration.
 * Null where /proc is not available.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (100 on Linux on every common architecture). */
const TICKS = 100;

export function treeCpuSeconds(rootPid: number | undefined): number | null {
  if (rootPid === undefined || !existsSync('/proc/self/stat')) return null;
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command name (field 2) may hold spaces and parentheses: split after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(Number(name), Number(fields[1]));
    cpu.set(Number(name), (Number(fields[11]) + Number(fields[12])) / TICKS);
  }
  let total = 0;
  for (const [pid, seconds] of cpu) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === rootPid) {
        total += seconds;
        break;
      }
    }
  }
  return total;
}
