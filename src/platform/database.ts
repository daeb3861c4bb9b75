import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, type Migration, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from './config.ts';
import { copyAwarePool } from './copy-drivers.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { AppError } from './errors.ts';
import { PGliteDialect } from './pglite-dialect.ts';

/**
 * The database as every module sees it: Kysely with no tables known here.
 * Each module's store adds its own tables with `db.withTables<ModuleTables>()`, so `platform`
 * never learns a domain's schema and a module cannot reach another's tables by accident.
 */
// biome-ignore lint/complexity/noBannedTypes: the empty schema is the point (see above).
export type Db = Kysely<{}>;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;
const BYTEA = 17;

/** Both engines return int8 as a JS number (our counters stay far below 2^53) and bytea as Buffer. */
function pgliteParsers() {
  return {
    [INT8]: (v: string) => Number(v),
    [NUMERIC]: (v: string) => Number(v),
    // PGlite hands bytea over in text form (`\\x0102`); pg gives Buffers, so do we.
    [BYTEA]: (v: string) => Buffer.from(v.slice(2), 'hex'),
  };
}

export async function openPglite(dataDir: string | null): Promise<Database> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const client = await PGlite.create({
      ...(dataDir ? { dataDir: `${dataDir}/pglite` } : {}),
      extensions: { unaccent, pg_trgm },
      parsers: pgliteParsers(),
    });
    const db = new Kysely<Record<string, never>>({
      dialect: new PGliteDialect(client),
    }) as Db;
    return {
      db,
      kind: 'pglite',
      async close() {
        await db.destroy();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle client that lost its server is replaced by the pool; queries in flight fail on their own.
  pool.on('error', () => {});
  try {
    const c = await pool.connect();
    c.release();
  } catch (err) {
    await pool.end();
    throw new AppError('INTERNAL', `Cannot reach the PostgreSQL server: ${(err as Error).message}`);
  }
  const db = new Kysely<Record<string, never>>({
    dialect: new PostgresDialect({ pool: copyAwarePool(pool) }),
  }) as Db;
  return { db, kind: 'postgres', close: () => db.destroy() };
}

export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}

/** Runs every pending migration, in name order, each in its own transaction. */
export async function migrate(db: Db, migrations: Record<string, Migration>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new AppError(
      'INTERNAL',
      `Migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
