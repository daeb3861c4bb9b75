import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Actor } from '../platform/actor.ts';
import type { Distribution } from './access.schema.ts';

/** Qualified column names of the object being filtered, e.g. `{ id: 'i.id', … }`. */
export interface ObjectColumns {
  id: string;
  ownerOrg: string;
  author: string;
  tlp: string;
  handlingCode: string;
  /**
   * A `text[]` column on the object's row holding `scopeKeysOf(its distribution)`, kept in the same
   * transaction as its distribution scopes. With it the condition is decided on the row itself
   * instead of one probe of `distribution_scopes` per row: what a broad search visits by thousands.
   */
  scopeKeys?: string;
}

/** The distribution as row-local keys: `u:<user>`, `o:<org>`, `c:<community>`, `n` (node-wide). */
export function scopeKeysOf(d: Distribution): string[] {
  const keys = new Set<string>();
  for (const u of d.users) keys.add(`u:${u.toLowerCase()}`);
  for (const o of d.orgs) keys.add(`o:${o.toLowerCase()}`);
  for (const c of d.communities) keys.add(`c:${c.toLowerCase()}`);
  if (d.node) keys.add('n');
  return [...keys].sort();
}

export const userScopeKey = (userId: string): string => `u:${userId.toLowerCase()}`;

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
  if (c.scopeKeys) return visibleByKeys(actor, c, c.scopeKeys);
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

/** The same rules as `visibleTo`, decided on the row's scope keys (see `ObjectColumns.scopeKeys`). */
function visibleByKeys(actor: Actor, c: ObjectColumns, keysColumn: string): RawBuilder<SqlBool> {
  const keys = sql.ref(keysColumn);
  const mine = `{${userScopeKey(actor.userId)},o:${actor.orgId.toLowerCase()}}`;
  const broadKeys = `{${['n', ...actor.communityIds.map((x) => `c:${x.toLowerCase()}`)].join(',')}}`;
  const broad = sql`${keys} && ${broadKeys}::text[]`;
  const broadAllowed =
    actor.orgSector === 'private' ? sql`(${sql.ref(c.handlingCode)} is null and ${broad})` : broad;
  return sql<SqlBool>`(
    ${sql.ref(c.author)} = ${actor.userId}::uuid
    or (${sql.ref(c.tlp)} = 'RED' and ${userScopeKey(actor.userId)} = any(${keys}))
    or (${sql.ref(c.tlp)} <> 'RED' and (
      ${sql.ref(c.ownerOrg)} = ${actor.orgId}::uuid
      or ${keys} && ${mine}::text[]
      or ${broadAllowed}))
  )`;
}
