import type { User } from '../api/types.ts';

export function hasPermission(user: User, permission: string): boolean {
  return user.permissions.includes(permission) || user.permissions.includes('*');
}

export const canReadAudit = (user: User): boolean => hasPermission(user, 'audit:read');

/** Node and organisation administrators hold one or more `admin:*` permissions. */
export const canAdminister = (user: User): boolean =>
  user.permissions.some((p) => p === '*' || p.startsWith('admin:'));
