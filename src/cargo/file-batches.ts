/**
 * A declaration file read as batches of whole records, as it streams from disk: a year of
 * declarations is gigabytes, more than one string can hold, and reading it all before the first
 * batch would also keep every parsed row alive at once. Each batch is the text of its records
 * (for CSV, after the file's header line), with the offset that numbers its rows as in the file,
 * so a quarantined row reports the line where it is in the file.
 *
 * Records end at a line break; in CSV not inside a quoted field (RFC 4180), so a quoted field may
 * hold line breaks across chunk and batch boundaries. Lines are counted as the parsers count them
 * (ingest.ts): JSON Lines by `\n`; CSV by record ends (`\n`, `\r\n` or a lone `\r`) and by `\n`
 * inside quotes.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { ReaderInput } from './declaration-reader.ts';
import type { IngestFormat } from './ingest.ts';

export interface FileBatch {
  input: ReaderInput;
  /** Records with content in the batch (blank lines are not rows). */
  rows: number;
  /** Bytes of the file read so far (for a progress bar). */
  bytesRead: number;
}

const isBlank = (s: string) => s.trim() === '';

/** Splits streamed text into records, tracking CSV quotes and line numbers across chunks. */
class RecordSplitter {
  private inQuotes = false;
  private lastWasCr = false;
  /** The record begun in an earlier chunk, and the line it starts on. */
  private partial = '';
  private partialLine = 1;
  /** Line (as the parsers number them) the scan has reached. */
  line = 1;

  constructor(private readonly csv: boolean) {}

  /** The records completed by this chunk (each with its starting line); `final`: the rest too. */
  push(chunk: string, final: boolean): { text: string; line: number }[] {
    const records: { text: string; line: number }[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.csv && c === 34) {
        this.inQuotes = !this.inQuotes;
        this.lastWasCr = false;
        continue;
      }
      if (this.csv && this.inQuotes) {
        if (c === 10) this.line++;
        this.lastWasCr = false;
        continue;
      }
      if (c === 10) {
        // `\r\n` ends one record: the `\r` counted the line already (CSV).
        if (!(this.csv && this.lastWasCr)) this.line++;
        records.push({ text: this.partial + chunk.slice(start, i), line: this.partialLine });
        this.partial = '';
        this.partialLine = this.line;
        start = i + 1;
        this.lastWasCr = false;
        continue;
      }
      // A lone `\r` ends a CSV record and a line for the parser; it stays in the record's text,
      // where the parser reads it the same way.
      if (this.csv && c === 13) this.line++;
      this.lastWasCr = this.csv && c === 13;
    }
    this.partial += chunk.slice(start);
    if (final && this.partial !== '') {
      records.push({ text: this.partial, line: this.partialLine });
      this.partial = '';
    }
    return records;
  }
}

/** Lines the parser counts in a CSV header record (with its terminator). */
function csvLinesOf(header: string): number {
  const s = new RecordSplitter(true);
  s.push(`${header}\n`, true);
  return s.line - 1;
}

/** Batches of up to `rowsPerBatch` rows of the file, in order. */
export async function* fileBatches(
  path: string,
  format: IngestFormat,
  rowsPerBatch: number,
  chunkBytes = 1 << 20,
): AsyncGenerator<FileBatch> {
  const csv = format === 'csv';
  const splitter = new RecordSplitter(csv);
  const decoder = new StringDecoder('utf8');
  let bytesRead = 0;
  let first = true;
  let header: { text: string; lines: number } | null = null;
  let batch: string[] = [];
  let batchLine = 0;
  let rows = 0;
  const flush = (): FileBatch => {
    const text = csv ? `${header?.text ?? ''}\n${batch.join('\n')}` : batch.join('\n');
    // The batch's first record is at line 1 + header lines of its text; in the file, at batchLine.
    const lineOffset = batchLine - 1 - (csv ? (header?.lines ?? 1) : 0);
    const out = { input: { format, text, lineOffset }, rows, bytesRead };
    batch = [];
    rows = 0;
    return out;
  };
  const take = (records: { text: string; line: number }[]) => {
    const ready: FileBatch[] = [];
    for (const r of records) {
      if (csv && header === null) {
        if (isBlank(r.text)) continue;
        header = { text: r.text, lines: csvLinesOf(r.text) };
        continue;
      }
      if (batch.length === 0) batchLine = r.line;
      batch.push(r.text);
      if (!isBlank(r.text) && ++rows === rowsPerBatch) ready.push(flush());
    }
    return ready;
  };
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    yield* take(splitter.push(text, false));
  }
  yield* take(splitter.push(decoder.end(), true));
  if (rows > 0) yield flush();
}
