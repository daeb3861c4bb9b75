import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    // Never log secrets or personal data carried in requests.
    redact: ['req.headers.cookie', 'req.headers.authorization', 'password', 'totp', '*.password'],
  });
}
