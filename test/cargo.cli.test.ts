/**
 * `portshield cargo ingest` and `portshield cargo score` as a user runs them, on an embedded node
 * seeded with the demo organisations.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bananaInput, buildInput } from '../src/cargo/cargo.fixtures.ts';
import { toCsv } from '../src/cargo/ingest.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' },
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

describe('portshield cargo', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ps-cargo-cli-'));
  const dataDir = path.join(dir, 'data');
  const good = [
    bananaInput((d) => (d.id = 'CLI-BANANA-1')),
    buildInput((d) => {
      d.id = 'CLI-VALVES-1';
      d.shipper.name = 'Shanghai "Precision", Valves Co., Ltd.';
    }),
  ];
  const bad = bananaInput((d) => {
    d.id = 'CLI-BAD-1';
    d.container.number = 'CSQU3054384';
  });

  beforeAll(async () => {
    const seeded = await cli(dataDir, 'demo', '--items', '0');
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 180_000);

  it('ingests a CSV in batches, quarantines the bad row and prints the counts', async () => {
    const file = path.join(dir, 'declarations.csv');
    writeFileSync(file, toCsv([good[0], bad, good[1]]));
    const r = await cli(dataDir, 'cargo', 'ingest', file, '--as', 'be.customs.analyst', '--batch', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1) as string)).toEqual({
      rows: 3,
      batches: 2,
      accepted: 2,
      amended: 0,
      unchanged: 0,
      quarantined: 1,
    });
    expect(r.stderr).toContain('"field":"container.number"');
    const again = await cli(
      dataDir,
      'cargo',
      'ingest',
      file,
      '--as',
      'be.customs.analyst',
      '--format',
      'csv',
    );
    // The same file again (as after a crash): the stored rows are unchanged, not refused.
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      accepted: 0,
      amended: 0,
      unchanged: 2,
      quarantined: 1,
    });
  }, 180_000);

  it('scores a JSON Lines file without storing it: one JSON line per declaration', async () => {
    const file = path.join(dir, 'what-if.jsonl');
    const next = bananaInput((d) => (d.id = 'CLI-WHATIF-1'));
    writeFileSync(file, [next, bad].map((d) => JSON.stringify(d)).join('\n'));
    const r = await cli(dataDir, 'cargo', 'score', file, '--as', 'be.customs.analyst');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      id: 'CLI-WHATIF-1',
      container: 'CSQU3054383',
      channel: expect.any(String),
    });
    expect(Object.keys(lines[0] as object).sort()).toEqual([
      'channel',
      'container',
      'id',
      'reasons',
      'score',
    ]);
    expect(r.stderr).toContain('container.number');
    // Nothing was stored: ingesting it now is a first filing, not an amendment.
    const ingest = await cli(dataDir, 'cargo', 'ingest', file, '--as', 'be.customs.analyst');
    expect(JSON.parse(ingest.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      accepted: 1,
      amended: 0,
    });
  }, 180_000);
});
