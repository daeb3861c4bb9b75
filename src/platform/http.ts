import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from './actor.ts';
import { AppError } from './errors.ts';

/** What the server's authentication hook attaches to a request. */
export interface RequestAuth {
  actor: Actor;
  /** Present for cookie sessions: mutating requests must echo it (CSRF). */
  csrfToken: string | null;
  sessionHash: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the server's authentication hook; null when the request carries no valid credential. */
    auth: RequestAuth | null;
  }
}

/** Route guard: the request must carry a valid session or API token. */
export async function requireAuth(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!req.auth) throw new AppError('UNAUTHENTICATED', 'Sign in first');
}

/** The acting user or machine of an authenticated request. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.auth) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return req.auth.actor;
}

/** Reads a header that may carry URL-encoded text (justifications in any language). */
export function decodedHeader(req: FastifyRequest, name: string): string | null {
  const raw = req.headers[name];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v) return null;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export const errorBodySchemaJson = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } },
} as const;
