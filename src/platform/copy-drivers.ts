/**
 * How each engine runs a `COPY … FROM STDIN` whose data is a `CopySource` (pg-copy.ts): Kysely
 * hands every statement to the driver as text and parameters, so the drivers look for that one
 * parameter and take the COPY path instead of an ordinary query.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CopySource } from './pg-copy.ts';

/** The COPY data when this statement is one (its only parameter is a CopySource), else null. */
export function copySourceOf(parameters: readonly unknown[]): CopySource | null {
  return parameters.length === 1 && parameters[0] instanceof CopySource ? parameters[0] : null;
}

/**
 * What a COPY answers through Kysely: one row with the number of rows copied (Kysely counts
 * affected rows only for INSERT, UPDATE, DELETE and MERGE).
 */
export interface CopyResult {
  command: 'COPY';
  rowCount: number;
  rows: [{ copied: number }];
}

async function copyOverPg(client: pg.PoolClient, statement: string, source: CopySource): Promise<CopyResult> {
  const stream = client.query(copyFrom(statement));
  await pipeline(Readable.from(source, { objectMode: false }), stream);
  return { command: 'COPY', rowCount: stream.rowCount, rows: [{ copied: stream.rowCount }] };
}

/**
 * A pg pool whose clients also run COPY statements given a CopySource. Each pg client keeps one
 * wrapper, since Kysely remembers its connections by client.
 */
export function copyAwarePool(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const known = wrappers.get(client);
    if (known !== undefined) return known;
    const wrapper = {
      // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature, passed through as is.
      query(sqlOrCursor: any, parameters?: readonly unknown[]): any {
        const source = parameters === undefined ? null : copySourceOf(parameters);
        if (source !== null) return copyOverPg(client, sqlOrCursor as string, source);
        return parameters === undefined
          ? client.query(sqlOrCursor)
          : client.query(sqlOrCursor, [...parameters]);
      },
      release: () => client.release(),
    } as PostgresPoolClient;
    wrappers.set(client, wrapper);
    return wrapper;
  };
  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}

/** PGlite reads COPY data from its virtual file `/dev/blob`, given whole. */
export async function copyOverPglite(db: PGlite, statement: string, source: CopySource) {
  const chunks: Buffer[] = [];
  for await (const c of source) chunks.push(c);
  const sql = statement.replace(/ from stdin /i, " from '/dev/blob' ");
  const res = await db.query(sql, [], { blob: new Blob(chunks as Uint8Array<ArrayBuffer>[]) });
  const copied = res.affectedRows ?? 0;
  return { rows: [{ copied }] as CopyResult['rows'], numAffectedRows: BigInt(copied) };
}
