import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.ts';

/**
 * PGlite has no lock of its own: two processes on one folder would corrupt it.
 * The node takes an exclusive lock file holding its pid; a lock left by a dead process
 * (after a crash or SIGKILL) is taken over, a live one is refused.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'portshield.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new AppError(
          'DATA_DIR_LOCKED',
          `The data folder ${dataDir} is in use by another PortShield process (pid ${holder}). ` +
            'Stop it first, or give this one another DATA_DIR.',
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new AppError('DATA_DIR_LOCKED', `Could not lock the data folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
