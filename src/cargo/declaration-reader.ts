/**
 * Reads ingest batches: parses, validates and normalises their rows.
 *
 * Where a second core is free for it (more than two cores: see server/context.ts), a large batch
 * is read by a worker thread while the service's thread scores and writes the previous one; the
 * declarations come back as structured clones. On two cores the service's thread and the database
 * already use both while a batch is scored and streamed, and the clones cost more than the thread
 * saves, so batches are read in the calling thread, letting the event loop turn every few hundred
 * rows so that a large batch does not hold up the node's other requests. Small batches are always
 * read in the calling thread, where a worker's round trip would cost more than it saves.
 *
 * Reading is a pure function of the rows, so if the worker fails, whatever it held is read again
 * in the calling thread: a batch never fails because of the worker. After repeated failures the
 * reader stops starting workers.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { AppError } from '../platform/errors.ts';
import { createNormalizeCache, type NormalizeCache } from './declaration.ts';
import {
  eachJsonlRow,
  type IngestFormat,
  jsonlRowCount,
  type ParsedRow,
  parseDeclarationFile,
} from './ingest.ts';
import { type ReadRow, readRow } from './read-rows.ts';

/** What the service's thread asks the worker: rows already parsed, or a file's text to parse. */
export interface ReaderRequest {
  id: number;
  format: IngestFormat;
  text?: string;
  rows?: readonly ParsedRow[];
  maxRows?: number;
  lineOffset?: number;
}

export type ReaderReply = { id: number; rows: ReadRow[] } | { id: number; error: string };

/**
 * Rows already parsed, or a file's text; a file of more than `maxRows` rows is refused before it
 * is read. `lineOffset` is added to the row numbers of a text that is a slice of a file (for CSV,
 * the file's header followed by some of its records).
 */
export type ReaderInput =
  | { rows: readonly ParsedRow[] }
  | { format: IngestFormat; text: string; maxRows?: number; lineOffset?: number };

/**
 * The rows of an input, parsed if need be, as they are to be read; PAYLOAD_TOO_LARGE beyond
 * `maxRows` (before any row is validated). JSON Lines are parsed one line at a time as the rows
 * are read, so a line's parse tree dies before the next one is made instead of all of a batch's
 * living through garbage collection.
 */
export function parsedRows(input: ReaderInput): Iterable<ParsedRow> {
  if ('rows' in input) return input.rows;
  const tooMany = (n: number) => input.maxRows !== undefined && n > input.maxRows;
  if (input.format === 'jsonl') {
    if (tooMany(jsonlRowCount(input.text)))
      throw new AppError('PAYLOAD_TOO_LARGE', `At most ${input.maxRows} rows per batch`);
    return eachJsonlRow(input.text, input.lineOffset);
  }
  const rows = parseDeclarationFile(input.format, input.text, input.lineOffset);
  if (tooMany(rows.length))
    throw new AppError('PAYLOAD_TOO_LARGE', `At most ${input.maxRows} rows per batch`);
  return rows;
}

/** Reads every row of an input (parsed on the way for JSON Lines). */
export function readAll(input: ReaderInput, cache: NormalizeCache): ReadRow[] {
  const out: ReadRow[] = [];
  for (const r of parsedRows(input)) out.push(readRow(r, cache));
  return out;
}

export interface DeclarationReaderOptions {
  /** Rows from which a batch is read in the worker (default 1,000); `Infinity`: never. */
  workerMinRows?: number;
  /** Entries in each normalisation memo, in this thread and in the worker. */
  memoLimit?: number;
}

/** Bytes of file text counted as one row when deciding where to read it (a declaration is ~1 KB). */
const BYTES_PER_ROW = 1_000;
const MAX_WORKER_FAILURES = 3;
/** Rows read between two turns of the event loop when reading in the calling thread. */
const ROWS_PER_TURN = 500;

interface Pending {
  input: ReaderInput;
  resolve: (rows: ReadRow[]) => void;
  reject: (e: unknown) => void;
}

export class DeclarationReader {
  private worker: Worker | null = null;
  private failures = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly cache: NormalizeCache;
  private readonly workerMinRows: number;
  private readonly memoLimit: number;

  constructor(options: DeclarationReaderOptions = {}) {
    this.workerMinRows = options.workerMinRows ?? 1_000;
    this.memoLimit = options.memoLimit ?? 100_000;
    this.cache = createNormalizeCache(this.memoLimit);
  }

  /** The rows read, in order; refused rows carry their errors. */
  read(input: ReaderInput): Promise<ReadRow[]> {
    const size = 'rows' in input ? input.rows.length : input.text.length / BYTES_PER_ROW;
    if (size < this.workerMinRows || this.failures >= MAX_WORKER_FAILURES)
      return this.readHereTakingTurns(input);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { input, resolve, reject });
      const worker = this.ensureWorker();
      worker.ref();
      const request: ReaderRequest =
        'rows' in input
          ? { id, format: 'jsonl', rows: input.rows }
          : {
              id,
              format: input.format,
              text: input.text,
              maxRows: input.maxRows,
              lineOffset: input.lineOffset,
            };
      worker.postMessage(request);
    });
  }

  /**
   * Reads in the calling thread, letting the event loop turn every few hundred rows: a batch of
   * tens of thousands of rows read here must not hold up the node's other requests.
   */
  async readHereTakingTurns(input: ReaderInput): Promise<ReadRow[]> {
    const out: ReadRow[] = [];
    for (const r of parsedRows(input)) {
      out.push(readRow(r, this.cache));
      if (out.length % ROWS_PER_TURN === 0) await nextTurn();
    }
    return out;
  }

  /** Reads in the calling thread (small batches, and anything a failed worker held). */
  readHere(input: ReaderInput): ReadRow[] {
    return readAll(input, this.cache);
  }

  /** Whether a worker is running (for tests and the benchmark). */
  get threaded(): boolean {
    return this.worker !== null;
  }

  /** Stops the worker; batches it still held are read in this thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.failures = MAX_WORKER_FAILURES; // no new worker for whatever comes after closing
    await worker.terminate();
    this.recover(worker);
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    // The worker runs the TypeScript sources like the service does: it registers the same loader
    // before importing its entry (a loader given through execArgv is not yet active for a
    // worker's entry module on Node 20).
    const loader = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./declaration-reader.worker.ts', import.meta.url).href;
    const bootstrap = `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    const worker = new Worker(bootstrap, { eval: true, workerData: { memoLimit: this.memoLimit } });
    worker.unref();
    worker.on('message', (reply: ReaderReply) => this.settle(reply));
    worker.on('error', () => this.recover(worker));
    worker.on('exit', () => this.recover(worker));
    this.worker = worker;
    return worker;
  }

  private settle(reply: ReaderReply): void {
    const p = this.pending.get(reply.id);
    if (p === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('rows' in reply) p.resolve(reply.rows);
    else this.readAgain(p);
  }

  /** The worker died or failed: what it held is read here, and the next batch starts a new one. */
  private recover(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failures++;
    const held = [...this.pending.values()];
    this.pending.clear();
    for (const p of held) this.readAgain(p);
  }

  private readAgain(p: Pending): void {
    try {
      p.resolve(this.readHere(p.input));
    } catch (e) {
      p.reject(e);
    }
  }
}
