import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cliEnv,
  freePort,
  killAll,
  request,
  runCli,
  type ServerEnv,
  startServer,
  stopGracefully,
} from './support/server-process.ts';

/**
 * PGlite has no lock of its own: a second process on the same data folder would corrupt it.
 * The node locks the folder; a second one is refused with a clear message.
 */
const tempDirs: string[] = [];

afterAll(async () => {
  await killAll();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

describe('the PGlite data folder lock', () => {
  it('refuses a second process on a data folder in use, and frees the folder on a clean stop', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portshield-lock-'));
    tempDirs.push(dataDir);
    const env: ServerEnv = { dataDir, databaseUrl: null };
    const first = await startServer(env);
    const lockFile = path.join(dataDir, 'portshield.lock');
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(first.pid));

    // A second server, and a CLI command that opens the database, on the same folder.
    for (const args of [['serve'], ['audit', 'verify']]) {
      const second = await runCli(args, cliEnv(env, await freePort()));
      expect(second.signal, second.output).toBeNull();
      expect(second.code, second.output).not.toBe(0);
      expect(second.output).toContain('DATA_DIR_LOCKED');
      expect(second.output).toContain('in use');
      expect(second.output).toContain(`pid ${first.pid}`);
    }

    // The first node never noticed: it still answers and still holds the lock.
    const health = await request(first.base, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.json<{ database: string }>().database).toBe('pglite');
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(first.pid));

    // A clean stop releases the folder for the next process.
    expect(await stopGracefully(first)).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile)).toBe(false);
    const after = await runCli(['audit', 'verify'], cliEnv(env));
    expect(after.code, after.output).toBe(0);
  }, 300_000);
});
