import type { Migration } from 'kysely';
import { accessMigrations } from '../access/index.ts';
import { auditMigrations } from '../audit/index.ts';
import { cargoMigrations } from '../cargo/index.ts';
import { financeMigrations } from '../finance/index.ts';
import { identityMigrations } from '../identity/index.ts';
import { platformMigrations } from '../platform/platform.migrations.ts';
import { sharingMigrations } from '../sharing/index.ts';

/** All modules' migrations; names start with a timestamp, so name order is landing order. */
export function allMigrations(): Record<string, Migration> {
  return {
    ...platformMigrations,
    ...identityMigrations,
    ...accessMigrations,
    ...auditMigrations,
    ...sharingMigrations,
    ...financeMigrations,
    ...cargoMigrations,
  };
}
