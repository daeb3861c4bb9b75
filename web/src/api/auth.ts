import { ApiError, apiRequest, setCsrfToken } from './client.ts';
import type { LoginInput, Session } from './types.ts';

export async function login(input: LoginInput): Promise<Session> {
  const session = await apiRequest<Session>('/api/auth/login', { method: 'POST', body: input });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function logout(): Promise<void> {
  try {
    await apiRequest<void>('/api/auth/logout', { method: 'POST' });
  } finally {
    setCsrfToken(null);
  }
}

/** The current session, or `null` when nobody is signed in. */
export async function fetchSession(signal?: AbortSignal): Promise<Session | null> {
  try {
    const session = await apiRequest<Session>('/api/auth/me', { signal });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}
