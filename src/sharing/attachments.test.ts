import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { checkAttachment, detectType, MAX_ATTACHMENT_BYTES } from './attachments.ts';

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');

describe('attachment checks', () => {
  it('detects types by their bytes', () => {
    expect(detectType(Buffer.from('%PDF-1.7\n...'))).toBe('application/pdf');
    expect(detectType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(detectType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(detectType(Buffer.from('container;seal\nMSCU1234566;X1\n'))).toBe('text/plain');
    expect(detectType(Buffer.from([0x4d, 0x5a, 0x90, 0x00]))).toBeNull(); // a Windows executable
  });

  it('accepts a file whose content matches its declared type', () => {
    const a = checkAttachment({
      filename: 'manifest.csv',
      mediaType: 'text/csv',
      contentBase64: b64('a,b\n1,2\n'),
    });
    expect(a).toMatchObject({ mediaType: 'text/csv', size: 8 });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a file that lies about its type', () => {
    expect(() =>
      checkAttachment({ filename: 'x.pdf', mediaType: 'application/pdf', contentBase64: b64('hello') }),
    ).toThrow(AppError);
    try {
      checkAttachment({
        filename: 'x.pdf',
        mediaType: 'application/pdf',
        contentBase64: b64(Buffer.from([0x4d, 0x5a, 0, 0])),
      });
    } catch (e) {
      expect((e as AppError).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses empty and oversized files', () => {
    expect(() => checkAttachment({ filename: 'e.txt', mediaType: 'text/plain', contentBase64: '' })).toThrow(
      /empty/,
    );
    const big = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 0x61);
    try {
      checkAttachment({ filename: 'big.txt', mediaType: 'text/plain', contentBase64: b64(big) });
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('keeps path separators and control characters out of file names', () => {
    const a = checkAttachment({
      filename: '../../etc/passwd\n.txt',
      mediaType: 'text/plain',
      contentBase64: b64('x'),
    });
    expect(a.filename).not.toMatch(/[/\\\n]/);
  });
});
