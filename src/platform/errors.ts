/**
 * Errors with stable codes. The code is the contract with clients (and tests);
 * the message is for people and may change. Each code maps to one HTTP status.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_IDENTIFIER: 400,
  MALFORMED_JSON: 400,
  IMPORT_FAILED: 400,
  UNAUTHENTICATED: 401,
  MFA_REQUIRED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  MARKING_VIOLATION: 422,
  JUSTIFICATION_REQUIRED: 428,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  LOCKED: 423,
  DATA_DIR_LOCKED: 500,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  /** Path of the offending field, e.g. `observables.2.value`. */
  path: string;
  message: string;
  /** Optional machine-readable reason for this one field. */
  code?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** The one answer for "missing" and "denied": callers must not be able to tell them apart. */
export function notFound(what = 'item'): AppError {
  return new AppError('NOT_FOUND', `No such ${what}`);
}
