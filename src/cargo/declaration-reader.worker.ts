/**
 * The declaration reader's worker thread: parses (when given file text), validates and normalises
 * batches of rows for the service's thread (see declaration-reader.ts). Its normalisation memo
 * lives as long as the worker, so the trading partners and ports that recur batch after batch are
 * normalised once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createNormalizeCache } from './declaration.ts';
import { parsedRows, type ReaderReply, type ReaderRequest } from './declaration-reader.ts';
import { type ReadRow, readRow } from './read-rows.ts';

const port = parentPort;
if (port === null) throw new Error('declaration-reader.worker runs as a worker thread only');

const cache = createNormalizeCache((workerData as { memoLimit: number }).memoLimit);

port.on('message', (req: ReaderRequest) => {
  let reply: ReaderReply;
  try {
    const rows =
      req.text !== undefined
        ? parsedRows({ format: req.format, text: req.text, maxRows: req.maxRows, lineOffset: req.lineOffset })
        : (req.rows ?? []);
    const read: ReadRow[] = [];
    for (const r of rows) {
      const one = readRow(r, cache);
      if (one.d !== null) one.body = JSON.stringify(one.d);
      read.push(one);
    }
    reply = { id: req.id, rows: read };
  } catch (e) {
    // The service's thread reads the batch again itself and meets the same error there.
    reply = { id: req.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  port.postMessage(reply);
});
