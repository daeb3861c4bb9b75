import type { Actor } from '../platform/actor.ts';
import type { Distribution, HandlingCode, Tlp } from './access.schema.ts';

/** A shared object as the access rules see it. */
export interface ModelObject {
  ownerOrgId: string;
  authorId: string;
  tlp: Tlp;
  handlingCode: HandlingCode | null;
  distribution: Distribution;
}

/**
 * The reference model of visibility: the rules of DESIGN.md written as plainly as possible.
 * Production code never calls this for lists; it exists so a property test can compare it with
 * the SQL condition of `visibility.ts`, case by case.
 */
export function mayViewModel(actor: Actor, o: ModelObject): boolean {
  if (!actor.permissions.has('items:read')) return false;
  if (o.authorId === actor.userId) return true;
  const namedUser = o.distribution.users.includes(actor.userId);
  if (o.tlp === 'RED') return namedUser;
  if (o.ownerOrgId === actor.orgId) return true;
  if (namedUser || o.distribution.orgs.includes(actor.orgId)) return true;
  if (actor.orgSector === 'private' && o.handlingCode !== null) return false;
  if (o.distribution.node) return true;
  return o.distribution.communities.some((c) => actor.communityIds.includes(c));
}
