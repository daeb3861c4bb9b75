import type { TestProject } from 'vitest/node';
import { findPgBin, type PgServer, startPgServer } from './support/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

let server: PgServer | null = null;

/**
 * One PostgreSQL server for the whole run; each test file makes its own database on it.
 * Under CI a missing server is a failure, elsewhere the PostgreSQL half of the suite is skipped.
 */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.DATABASE_URL_TEST) {
    project.provide('pgUrl', process.env.DATABASE_URL_TEST);
    return;
  }
  if (!findPgBin()) {
    if (process.env.CI === 'true')
      throw new Error('CI: PostgreSQL server binaries are required for the storage tests');
    console.warn(
      '\n[portshield] PostgreSQL server binaries not found: PostgreSQL storage tests are skipped.\n',
    );
    project.provide('pgUrl', null);
    return;
  }
  server = await startPgServer();
  project.provide('pgUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
