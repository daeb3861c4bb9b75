import { apiRequest } from './client.ts';
import type { AdminUser, Community, CommunityInput, CreatedUser, Org, OrgInput, UserInput } from './types.ts';

/** Lists answer `{<name>: [...]}`; a bare array is accepted too. */
async function list<T>(path: string, key: string, signal?: AbortSignal): Promise<T[]> {
  const answer = await apiRequest<T[] | Record<string, T[] | undefined>>(path, { signal });
  if (Array.isArray(answer)) return answer;
  return answer[key] ?? [];
}

export function listOrgs(signal?: AbortSignal): Promise<Org[]> {
  return list<Org>('/api/admin/orgs', 'orgs', signal);
}

export function createOrg(input: OrgInput): Promise<Org> {
  return apiRequest<Org>('/api/admin/orgs', { method: 'POST', body: input });
}

export function listUsers(signal?: AbortSignal): Promise<AdminUser[]> {
  return list<AdminUser>('/api/admin/users', 'users', signal);
}

export function createUser(input: UserInput): Promise<CreatedUser> {
  return apiRequest<CreatedUser>('/api/admin/users', { method: 'POST', body: input });
}

export function listCommunities(signal?: AbortSignal): Promise<Community[]> {
  return list<Community>('/api/admin/communities', 'communities', signal);
}

export function createCommunity(input: CommunityInput): Promise<Community> {
  return apiRequest<Community>('/api/admin/communities', { method: 'POST', body: input });
}
