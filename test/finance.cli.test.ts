import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from './support/fixtures.ts';

const root = path.resolve(import.meta.dirname, '..');

function cli(...args: string[]) {
  const res = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/main.ts', ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent' },
    },
  );
  return { status: res.status, out: res.stdout, err: res.stderr };
}

describe('portshield finance inspect-block', () => {
  it('prints the hash, count and both merkle roots of a real segwit block and exits 0', () => {
    const r = cli('finance', 'inspect-block', path.join(fixturesDir(), 'bitcoin/482683.hex'));
    expect(r.status).toBe(0);
    const report = JSON.parse(r.out) as Record<string, unknown>;
    expect(report).toMatchObject({
      hash: '000000000000000000c238240ef6dcb26c37e75e16514e6ffc0aef7eee73e747',
      txCount: 12,
      headerMerkleRoot: '0888bc2983c7a07818586346a6da7b0596310166de538cfbcf2fe37694aecf9f',
      computedMerkleRoot: '0888bc2983c7a07818586346a6da7b0596310166de538cfbcf2fe37694aecf9f',
      ok: true,
    });
  });

  it('exits non-zero when a transaction byte was changed (the merkle roots differ)', () => {
    const hex = readFileSync(path.join(fixturesDir(), 'bitcoin/300025.hex'), 'utf8').trim();
    // Flip one hex digit well inside the transactions (past the 80-byte header), inside a signature.
    const at = 200_000;
    const flipped = hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ps-block-')), 'tampered.hex');
    writeFileSync(file, flipped);
    const r = cli('finance', 'inspect-block', file);
    expect(r.status).not.toBe(0);
    const report = JSON.parse(r.out) as { ok: boolean; headerMerkleRoot: string; computedMerkleRoot: string };
    expect(report.ok).toBe(false);
    expect(report.computedMerkleRoot).not.toBe(report.headerMerkleRoot);
  });

  it('reports a truncated block as an error with the byte offset', () => {
    const hex = readFileSync(path.join(fixturesDir(), 'bitcoin/300025.hex'), 'utf8').trim();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ps-block-')), 'cut.hex');
    writeFileSync(file, hex.slice(0, 5000));
    const r = cli('finance', 'inspect-block', file);
    expect(r.status).not.toBe(0);
    expect(r.err).toMatch(/IMPORT_FAILED.*offset/i);
  });
});
