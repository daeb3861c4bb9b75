/**
 * `portshield audit verify`, run as the real CLI in a child process on an embedded (PGlite) node:
 * a seeded demo world verifies, and one changed byte in one record makes it fail and say where.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../src/audit/index.ts';
import { loadPublicKey, type SignedTreeHead, verifyTreeHead } from '../src/audit/tree-head.ts';
import { openPglite } from '../src/platform/database.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(dataDir: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' },
        timeout: 90_000,
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

function report(run: Run): VerifyReport {
  try {
    return JSON.parse(run.stdout) as VerifyReport;
  } catch {
    throw new Error(`audit verify printed no JSON report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** Opens the node's folder in this process (taking its lock), then closes it so the CLI can lock it again. */
async function withDatabase<T>(
  dataDir: string,
  fn: (db: Awaited<ReturnType<typeof openPglite>>) => Promise<T>,
) {
  const database = await openPglite(dataDir);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

describe('portshield audit verify', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ps-audit-cli-'));
    const seeded = await cli(dataDir, 'demo', '--items', '30');
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(JSON.parse(seeded.stdout.trim().split('\n').at(-1)!)).toMatchObject({ items: 30 });
  }, 120_000);
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  // The steps build on each other (seed, verify, tamper, verify), so they form one test.
  it('passes the seeded demo log, then fails with the record named after one byte changed', async () => {
    const clean = await cli(dataDir, 'audit', 'verify');
    expect(clean.code, clean.stderr).toBe(0);
    const ok = report(clean);
    expect(ok).toMatchObject({ ok: true, problems: [] });
    expect(ok.treeSize).toBeGreaterThan(100);

    // A clean verification signs a head, kept in the database and in the data folder.
    const headFile = path.join(dataDir, 'audit-head.json');
    const head = JSON.parse(readFileSync(headFile, 'utf8')) as SignedTreeHead;
    expect(head).toMatchObject({ treeSize: ok.treeSize, rootHash: ok.rootHash });

    const again = report(await cli(dataDir, 'audit', 'verify'));
    expect(again).toMatchObject({ ok: true, savedHead: { treeSize: ok.treeSize, rootHash: ok.rootHash } });

    const target = Math.floor(ok.treeSize / 2);
    await withDatabase(dataDir, async ({ db }) => {
      const key = await sql<{ pem: string }>`select public_key_pem as pem from node_key`.execute(db);
      expect(verifyTreeHead(head, loadPublicKey(key.rows[0]!.pem))).toBe(true);

      await sql`alter table audit_log disable trigger audit_log_no_change`.execute(db);
      // One byte: the first character of the object type (e.g. "item" → "htem").
      const changed = await sql`update audit_log
        set object_type = chr(ascii(object_type) # 1) || substr(object_type, 2) where seq = ${target}`.execute(
        db,
      );
      expect(changed.numAffectedRows).toBe(1n);
      await sql`alter table audit_log enable trigger audit_log_no_change`.execute(db);
    });

    const tampered = await cli(dataDir, 'audit', 'verify');
    expect(tampered.code).not.toBe(0);
    const bad = report(tampered);
    expect(bad.ok).toBe(false);
    expect(bad.problems).toContainEqual(expect.objectContaining({ code: 'LEAF_MISMATCH', index: target }));
    expect(bad.problems.map((p) => p.code).sort()).toEqual(['LEAF_MISMATCH', 'ROOT_MISMATCH']);
    expect(bad.savedHead).toMatchObject({ treeSize: ok.treeSize, rootHash: ok.rootHash });
  }, 120_000);
});
