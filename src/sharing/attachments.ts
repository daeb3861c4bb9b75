import { createHash } from 'node:crypto';
import { AppError } from '../platform/errors.ts';

/** Attachments above this size are refused: intelligence items carry documents, not evidence dumps. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

export const ATTACHMENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/plain',
  'text/csv',
  'application/zip',
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/**
 * The type is decided by the bytes, not by the name or the declared type: a file that claims to be
 * a PDF must start like one (ISO 32000 `%PDF-`), an image with its PNG or JPEG signature, and text must
 * be valid UTF-8 without control characters. Office documents are ZIP containers (`PK\x03\x04`).
 */
export function detectType(bytes: Buffer): AttachmentType | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'application/zip';
  if (isPlainText(bytes)) return 'text/plain';
  return null;
}

function isPlainText(bytes: Buffer): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\uFFFD')) return false;
  // Tabs, line feeds and carriage returns are text; other C0 controls and DEL are not.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return false;
  }
  return true;
}

export interface CheckedAttachment {
  filename: string;
  mediaType: AttachmentType;
  size: number;
  sha256: string;
  content: Buffer;
}

export function checkAttachment(input: {
  filename: string;
  mediaType: string;
  contentBase64: string;
}): CheckedAttachment {
  const content = Buffer.from(input.contentBase64, 'base64');
  if (content.length === 0)
    throw new AppError('VALIDATION_FAILED', 'The file is empty', [
      { path: 'contentBase64', message: 'empty' },
    ]);
  if (content.length > MAX_ATTACHMENT_BYTES) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `Attachments are limited to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`,
      [{ path: 'contentBase64', message: `${content.length} bytes` }],
    );
  }
  const detected = detectType(content);
  const declared = input.mediaType.toLowerCase();
  const compatible =
    detected !== null &&
    (detected === declared ||
      (detected === 'text/plain' && declared === 'text/csv') ||
      (detected === 'application/zip' &&
        declared.startsWith('application/vnd.openxmlformats-officedocument.')));
  if (!detected || !compatible) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'The file is not of an accepted type, or not of the type it claims',
      [
        {
          path: 'mediaType',
          message: `declared ${declared}, content looks like ${detected ?? 'an unaccepted type'}`,
        },
      ],
    );
  }
  const filename = [...input.filename]
    .map((ch) => (ch === '/' || ch === '\\' || ch.charCodeAt(0) < 0x20 ? '_' : ch))
    .join('')
    .slice(0, 200);
  return {
    filename,
    mediaType: declared === 'text/csv' ? 'text/csv' : detected,
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    content,
  };
}
