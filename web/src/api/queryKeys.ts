import type { AuditQuery, ItemQuery } from './types.ts';

/** Every TanStack Query key of the client, so invalidation stays consistent. */
export const queryKeys = {
  session: ['session'] as const,
  directory: ['directory'] as const,
  inbox: ['inbox'] as const,
  items: ['items'] as const,
  itemLists: ['items', 'list'] as const,
  itemList: (query: ItemQuery) => ['items', 'list', query] as const,
  item: (id: string) => ['items', 'detail', id] as const,
  itemWithJustification: (id: string, justification: string | undefined) =>
    ['items', 'detail', id, justification ?? null] as const,
  itemAudit: (id: string) => ['items', 'audit', id] as const,
  admin: ['admin'] as const,
  adminOrgs: ['admin', 'orgs'] as const,
  adminUsers: ['admin', 'users'] as const,
  adminCommunities: ['admin', 'communities'] as const,
  audit: ['audit'] as const,
  auditList: (query: AuditQuery) => ['audit', 'list', query] as const,
  auditHead: ['audit', 'head'] as const,
};
