import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('reads the ingest reader thread setting and refuses anything but auto, on and off', () => {
    expect(loadConfig({}).ingestReaderThread).toBe('auto');
    expect(loadConfig({ INGEST_READER_THREAD: 'off' }).ingestReaderThread).toBe('off');
    expect(() => loadConfig({ INGEST_READER_THREAD: 'yes' })).toThrow(
      /INGEST_READER_THREAD must be one of auto, on, off, got 'yes'/,
    );
  });

  it('refuses a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be a non-negative integer/);
  });
});
