/**
 * Who is acting. Every function that reads or changes shared data takes one as its first
 * argument (DESIGN rule 1); there is no system actor in request paths.
 */
export interface Actor {
  kind: 'user' | 'token';
  /** For a token acting on its own behalf this is the token id (it can be named nowhere). */
  userId: string;
  orgId: string;
  orgSector: 'public' | 'private';
  orgCountry: string;
  roles: readonly string[];
  permissions: ReadonlySet<Permission>;
  /** Communities the actor's organisation belongs to, read fresh for each request. */
  communityIds: readonly string[];
}

export const PERMISSIONS = [
  'items:read',
  'items:write',
  'audit:read',
  'audit:read:node',
  'admin:orgs',
  'admin:users',
  'admin:communities',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['analyst', 'officer', 'liaison', 'dpo', 'auditor', 'org_admin', 'node_admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles are bundles of permissions; a small explicit table beats a tree of inheritance. */
const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  analyst: ['items:read', 'items:write'],
  officer: ['items:read', 'items:write'],
  liaison: ['items:read', 'items:write'],
  dpo: ['items:read', 'audit:read'],
  auditor: ['audit:read', 'audit:read:node'],
  org_admin: ['admin:users'],
  node_admin: ['admin:orgs', 'admin:users', 'admin:communities', 'audit:read', 'audit:read:node'],
};

export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r as Role] ?? []) out.add(p);
  return out;
}

export function isRole(r: string): r is Role {
  return (ROLES as readonly string[]).includes(r);
}
