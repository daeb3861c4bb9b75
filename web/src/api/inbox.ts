import { apiRequest } from './client.ts';
import type { Hit, Inbox, WideningRequest } from './types.ts';

const hitPath = (id: string): string => `/api/hits/${encodeURIComponent(id)}`;
const wideningPath = (id: string): string => `/api/widening-requests/${encodeURIComponent(id)}`;

export function fetchInbox(signal?: AbortSignal): Promise<Inbox> {
  return apiRequest<Inbox>('/api/inbox', { signal });
}

/** The searcher asks the hidden item's owner for contact. */
export function requestHitContact(id: string, justification: string): Promise<Hit> {
  return apiRequest<Hit>(`${hitPath(id)}/request-contact`, { method: 'POST', body: { justification } });
}

export function grantHit(id: string): Promise<Hit> {
  return apiRequest<Hit>(`${hitPath(id)}/grant`, { method: 'POST' });
}

export function declineHit(id: string): Promise<Hit> {
  return apiRequest<Hit>(`${hitPath(id)}/decline`, { method: 'POST' });
}

export function approveWidening(id: string): Promise<WideningRequest> {
  return apiRequest<WideningRequest>(`${wideningPath(id)}/approve`, { method: 'POST' });
}

export function declineWidening(id: string): Promise<WideningRequest> {
  return apiRequest<WideningRequest>(`${wideningPath(id)}/decline`, { method: 'POST' });
}
