import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { DEMO_PASSWORD, demoTotpSecret } from '../../src/demo/world.ts';
import { freshTotpNow } from './totp.ts';

/**
 * The real `portshield` command as a child process, for the tests that crash, lock and restart
 * a node. The CLI runs as `node --import tsx src/cli/main.ts …`: one process, so a SIGKILL hits
 * the server itself (the `tsx` launcher would run the server as its own child, which a SIGKILL of
 * the launcher leaves running).
 */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const OUTPUT_LIMIT = 64 * 1024;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  child: ChildProcess;
  pid: number;
  /** The last 64 KiB of stdout and stderr, for failure messages. */
  output(): string;
  /** Resolves when the process has exited (and been reaped). */
  exited: Promise<Exit>;
  hasExited(): boolean;
}

/** Every process started here, so that a failing test can never leave one running. */
const live = new Set<ChildProcess>();
let closed = false;
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/**
 * For afterAll: SIGKILLs every process still running and refuses new ones, so that a test body
 * that timed out and goes on in the background cannot start a server nobody stops.
 */
export async function killAll(): Promise<void> {
  closed = true;
  const exits = [...live].map(
    (c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r))),
  );
  for (const c of live) c.kill('SIGKILL');
  await Promise.all(exits);
}

export function spawnCli(args: string[], env: Record<string, string | undefined>): CliProcess {
  if (closed) throw new Error('the test is over: no new processes');
  const fullEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete fullEnv[k];
    else fullEnv[k] = v;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start portshield ${args.join(' ')}`);
  live.add(child);
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > OUTPUT_LIMIT) out = out.slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let done = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, pid: child.pid, output: () => out, exited, hasExited: () => done };
}

/** Runs a CLI command to its end; stdout apart, for commands that print JSON. */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<Exit & { stdout: string; output: string }> {
  const p = spawnCli(args, env);
  let stdout = '';
  p.child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  const exit = await p.exited;
  return { ...exit, stdout, output: p.output() };
}

export interface ServerEnv {
  dataDir: string;
  /** A PostgreSQL database; PGlite in dataDir without it. */
  databaseUrl: string | null;
  /** Items the demo seed creates besides the planted network (small keeps start-up short). */
  demoItems?: number;
}

export function cliEnv(e: ServerEnv, port?: number): Record<string, string | undefined> {
  return {
    PORT: port === undefined ? undefined : String(port),
    HOST: '127.0.0.1',
    DATA_DIR: e.dataDir,
    DATABASE_URL: e.databaseUrl ?? undefined,
    LOG_LEVEL: 'warn',
    SECURE_COOKIES: 'false',
    DEMO_ITEMS: String(e.demoItems ?? 0),
  };
}

export interface ServerProcess extends CliProcess {
  port: number;
  base: string;
}

/** Starts `portshield serve` and waits until GET /api/health answers; fails early if it exits. */
export async function startServer(
  e: ServerEnv,
  opts: { demo?: boolean; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const p = spawnCli(['serve', ...(opts.demo ? ['--demo'] : [])], cliEnv(e, port));
  const server: ServerProcess = { ...p, port, base: `http://127.0.0.1:${port}` };
  const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
  for (;;) {
    if (p.hasExited()) {
      const x = await p.exited;
      throw new Error(`server exited (${x.code ?? x.signal}) before it was up:\n${p.output()}`);
    }
    const res = await request(server.base, 'GET', '/api/health').catch(() => null);
    if (res?.status === 200) return server;
    if (Date.now() > deadline) {
      await killHard(server);
      throw new Error(`server did not answer /api/health in time:\n${p.output()}`);
    }
    await sleep(200);
  }
}

/** SIGKILL: no handler runs, nothing is flushed or closed. */
export async function killHard(p: CliProcess): Promise<Exit> {
  if (!p.hasExited()) p.child.kill('SIGKILL');
  return p.exited;
}

/** SIGTERM and wait; SIGKILL if it does not stop within `graceMs`. */
export async function stopGracefully(p: CliProcess, graceMs = 60_000): Promise<Exit> {
  if (p.hasExited()) return p.exited;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T>(): T;
}

/**
 * One HTTP request on its own connection (no keep-alive pool that could hand a request a
 * socket of a server killed a moment ago).
 */
export function request(
  base: string,
  method: string,
  urlPath: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const req = http.request(
      new URL(urlPath, base),
      {
        method,
        agent: false,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: <T>() => JSON.parse(body) as T,
          });
        });
        res.on('aborted', () => reject(new Error('response aborted')));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export interface HttpSession {
  base: string;
  headers: Record<string, string>;
}

/** Logs a demo user in over HTTP (password and one-time code); keeps the cookie and CSRF token. */
export async function loginDemo(base: string, username: string): Promise<HttpSession> {
  const res = await request(base, 'POST', '/api/auth/login', {
    body: { username, password: DEMO_PASSWORD, totp: await freshTotpNow(demoTotpSecret(username)) },
  });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${res.body}`);
  const cookie = (res.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('ps_session='));
  if (!cookie) throw new Error('login answered without a ps_session cookie');
  const { csrfToken } = res.json<{ csrfToken: string }>();
  return { base, headers: { cookie, 'x-csrf-token': csrfToken } };
}

export function call(
  s: HttpSession,
  method: string,
  urlPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return request(s.base, method, urlPath, { body, headers: { ...s.headers, ...headers } });
}

/**
 * A SIGKILLed client leaves its PostgreSQL sessions to end on their own; one that had already
 * sent COMMIT may still commit. Wait until they are gone, so what we read is final.
 */
export async function waitForOrphanSessions(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    for (let i = 0; i < 600; i++) {
      const r = await c.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      if (r.rows[0]?.n === 0) return;
      await sleep(100);
    }
    throw new Error('sessions of the killed server did not end');
  } finally {
    await c.end();
  }
}
