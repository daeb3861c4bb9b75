import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Actor } from '../platform/actor.ts';

/** Qualified column names of the object being filtered, e.g. `{ id: 'i.id', … }`. */
export interface ObjectColumns {
  id: string;
  ownerOrg: string;
  author: string;
  tlp: string;
  handlingCode: string;
}

/**
 * THE policy decision for "may this actor see this object", as one SQL condition.
 * Lists, counts, search, correlation, exports and feeds all filter with it, so nothing leaks
 * through a side door. `visibility-model.ts` states the same rules in plain TypeScript, and a
 * property test keeps the two equal.
 *
 * - the author always sees their object;
 * - TLP:RED reaches named users only;
 * - otherwise the owner organisation, named organisations and named users see it, and so do
 *   members of named communities and, for node-wide distribution, every organisation of the node —
 *   except that a private-sector organisation never receives an object with a handling code
 *   through a community or node-wide distribution: it must be named (as organisation or user).
 */
export function visibleTo(actor: Actor, c: ObjectColumns): RawBuilder<SqlBool> {
  if (!actor.permissions.has('items:read')) return sql<SqlBool>`false`;
  const id = sql.ref(c.id);
  const user = actor.userId;
  const org = actor.orgId;
  const communities = `{${actor.communityIds.join(',')}}`;
  const broad = sql`(s.kind = 'node' or (s.kind = 'community' and s.ref = any(${communities}::uuid[])))`;
  const broadAllowed =
    actor.orgSector === 'private' ? sql`(${sql.ref(c.handlingCode)} is null and ${broad})` : broad;
  return sql<SqlBool>`(
    ${sql.ref(c.author)} = ${user}::uuid
    or (${sql.ref(c.tlp)} = 'RED' and exists (
      select 1 from distribution_scopes s where s.object_id = ${id} and s.kind = 'user' and s.ref = ${user}::uuid))
    or (${sql.ref(c.tlp)} <> 'RED' and (
      ${sql.ref(c.ownerOrg)} = ${org}::uuid
      or exists (select 1 from distribution_scopes s where s.object_id = ${id} and (
        (s.kind = 'user' and s.ref = ${user}::uuid)
        or (s.kind = 'org' and s.ref = ${org}::uuid)
        or ${broadAllowed}))))
  )`;
}
