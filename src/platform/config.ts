import path from 'node:path';
import { AppError } from './errors.ts';

export interface Config {
  port: number;
  host: string;
  /** Folder for the embedded database, the node key and the last saved audit head. */
  dataDir: string;
  /** When set, a PostgreSQL server is used instead of the embedded PGlite database. */
  databaseUrl: string | null;
  logLevel: string;
  /** Cookies carry `Secure`; off only for plain-HTTP test rigs that are not on localhost. */
  secureCookies: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** How long a resolved session is reused in process; 0 resolves every request from the database. */
  sessionCacheSeconds: number;
  /** Attachments and imports above this size are refused. */
  maxBodyBytes: number;
  /**
   * Whether large ingest batches are read (parsed, validated, normalised) on a thread of their own:
   * `auto` does so where that thread gets a core to itself (more than two cores).
   */
  ingestReaderThread: 'auto' | 'on' | 'off';
}

function choiceFrom<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new AppError('BAD_REQUEST', `${name} must be one of ${choices.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new AppError('BAD_REQUEST', `${name} must be a non-negative integer, got '${raw}'`);
  }
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: intFrom(env, 'PORT', 8080),
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL ? env.DATABASE_URL : null,
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.SECURE_COOKIES !== 'false',
    sessionIdleMinutes: intFrom(env, 'SESSION_IDLE_MINUTES', 30),
    sessionAbsoluteHours: intFrom(env, 'SESSION_ABSOLUTE_HOURS', 12),
    sessionCacheSeconds: intFrom(env, 'SESSION_CACHE_SECONDS', 5),
    maxBodyBytes: intFrom(env, 'MAX_BODY_BYTES', 10 * 1024 * 1024),
    ingestReaderThread: choiceFrom(env, 'INGEST_READER_THREAD', ['auto', 'on', 'off'] as const, 'auto'),
  };
}
