import { existsSync } from 'node:fs';
import path from 'node:path';

/** The shared public-data fixtures beside the repository (`../shared/fixtures`); a missing folder fails loudly. */
export function fixturesDir(): string {
  const dir =
    process.env.PORTSHIELD_FIXTURES ?? path.resolve(import.meta.dirname, '../../../shared/fixtures');
  if (!existsSync(dir)) throw new Error(`Fixtures not found at ${dir} (set PORTSHIELD_FIXTURES)`);
  return dir;
}
