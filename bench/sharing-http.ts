/**
 * A small closed-loop HTTP load generator for the sharing benchmark: N keep-alive connections,
 * each sending its next request as soon as the previous answer is read, for a fixed time.
 * It runs in a worker thread so that its own CPU work does not sit on the server's event loop;
 * it only ever talks to 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';

export interface LoadOptions {
  port: number;
  path: string;
  headers: Record<string, string>;
  connections: number;
  durationMs: number;
  warmupMs: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

// Plain CommonJS: the worker runs it with `eval`, outside tsx's loader.
const WORKER_SOURCE = `
const http = require('node:http');
const { parentPort, workerData: o } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
let measuring = false;
let stop = false;
let requests = 0;
let errors = 0;
const statuses = {};
const lat = [];
function one() {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(
      { host: '127.0.0.1', port: o.port, path: o.path, method: 'GET', headers: o.headers, agent },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (measuring) {
            requests++;
            statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
            if (res.statusCode !== 200) errors++;
            if (lat.length < 2000000) lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
          }
          resolve();
        });
      },
    );
    req.on('error', () => { if (measuring) errors++; resolve(); });
    req.end();
  });
}
async function loop() { while (!stop) await one(); }
const loops = Array.from({ length: o.connections }, loop);
setTimeout(() => {
  measuring = true;
  const start = process.hrtime.bigint();
  setTimeout(async () => {
    measuring = false;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    stop = true;
    await Promise.all(loops);
    agent.destroy();
    lat.sort((a, b) => a - b);
    const q = (p) => lat.length ? lat[Math.min(lat.length - 1, Math.ceil(p * lat.length) - 1)] : NaN;
    parentPort.postMessage({ requests, errors, statuses, seconds, rps: requests / seconds, p50Ms: q(0.5), p99Ms: q(0.99) });
  }, o.durationMs);
}, o.warmupMs);
`;

export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: opts });
    w.once('message', (m: LoadResult) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`load generator exited with ${code}`));
    });
  });
}

/** A bare Fastify with one route: the peer for what the framework itself costs. */
export async function startBareFastify(): Promise<{ port: number; close: () => Promise<void> }> {
  const app = Fastify();
  app.get('/ping', async () => ({ pong: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return { port, close: () => app.close() };
}
