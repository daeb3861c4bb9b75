import type { User } from '../api/types.ts';

/**
 * Cargo targeting is a customs tool: declarations belong to customs organisations and the
 * server answers others with nothing. The section is shown to users of customs organisations.
 */
export function canUseCargo(user: User): boolean {
  return user.orgKind === 'customs' || user.permissions.some((p) => p === '*' || p.startsWith('cargo:'));
}
