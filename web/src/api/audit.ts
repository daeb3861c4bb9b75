import { apiRequest } from './client.ts';
import type { AuditPage, AuditQuery, TreeHead } from './types.ts';

export function listAudit(query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest<AuditPage>('/api/audit', { query: { ...query }, signal });
}

export function fetchTreeHead(signal?: AbortSignal): Promise<TreeHead> {
  return apiRequest<TreeHead>('/api/audit/head', { signal });
}
