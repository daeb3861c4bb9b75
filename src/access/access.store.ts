import { type Generated, type Kysely, sql } from 'kysely';
import type { Db } from '../platform/database.ts';
import { newId } from '../platform/ids.ts';
import type { Community, CommunityInput, Distribution } from './access.schema.ts';

type AccessTables = {
  communities: { id: string; name: string; description: string; created_at: Generated<Date> };
  community_members: { community_id: string; org_id: string };
  distribution_scopes: { object_id: string; kind: 'org' | 'user' | 'community' | 'node'; ref: string };
};

const NODE_REF = '00000000-0000-0000-0000-000000000000';

function t(db: Db): Kysely<AccessTables> {
  return db.withTables<AccessTables>();
}

export async function communityIdsOfOrg(db: Db, orgId: string): Promise<string[]> {
  const rows = await t(db)
    .selectFrom('community_members')
    .select('community_id')
    .where('org_id', '=', orgId)
    .execute();
  return rows.map((r) => r.community_id);
}

export async function createCommunity(db: Db, input: CommunityInput, fixedId?: string): Promise<Community> {
  const id = fixedId ?? newId();
  await t(db)
    .insertInto('communities')
    .values({ id, name: input.name, description: input.description })
    .execute();
  if (input.memberOrgIds.length) {
    await t(db)
      .insertInto('community_members')
      .values(input.memberOrgIds.map((org_id) => ({ community_id: id, org_id })))
      .execute();
  }
  return { id, name: input.name, description: input.description, memberOrgIds: [...input.memberOrgIds] };
}

export async function listCommunities(db: Db): Promise<Community[]> {
  const rows = await t(db)
    .selectFrom('communities as c')
    .select([
      'c.id',
      'c.name',
      'c.description',
      sql<
        string[]
      >`coalesce((select array_agg(m.org_id::text order by m.org_id) from community_members m where m.community_id = c.id), '{}')`.as(
        'memberOrgIds',
      ),
    ])
    .orderBy('c.name')
    .execute();
  return rows.map((r) => ({ ...r, memberOrgIds: r.memberOrgIds ?? [] }));
}

export async function writeDistribution(db: Db, objectId: string, d: Distribution): Promise<void> {
  await t(db).deleteFrom('distribution_scopes').where('object_id', '=', objectId).execute();
  const rows: AccessTables['distribution_scopes'][] = [
    ...d.orgs.map((ref) => ({ object_id: objectId, kind: 'org' as const, ref })),
    ...d.users.map((ref) => ({ object_id: objectId, kind: 'user' as const, ref })),
    ...d.communities.map((ref) => ({ object_id: objectId, kind: 'community' as const, ref })),
    ...(d.node ? [{ object_id: objectId, kind: 'node' as const, ref: NODE_REF }] : []),
  ];
  const unique = new Map(rows.map((r) => [`${r.kind}:${r.ref}`, r]));
  if (unique.size)
    await t(db)
      .insertInto('distribution_scopes')
      .values([...unique.values()])
      .execute();
}

export async function addUserScope(db: Db, objectId: string, userId: string): Promise<void> {
  await t(db)
    .insertInto('distribution_scopes')
    .values({ object_id: objectId, kind: 'user', ref: userId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function readDistributions(db: Db, objectIds: string[]): Promise<Map<string, Distribution>> {
  const out = new Map<string, Distribution>();
  for (const id of objectIds) out.set(id, { orgs: [], users: [], communities: [], node: false });
  if (!objectIds.length) return out;
  const rows = await t(db)
    .selectFrom('distribution_scopes')
    .selectAll()
    .where('object_id', 'in', objectIds)
    .execute();
  for (const r of rows) {
    const d = out.get(r.object_id);
    if (!d) continue;
    if (r.kind === 'node') d.node = true;
    else if (r.kind === 'org') d.orgs.push(r.ref);
    else if (r.kind === 'user') d.users.push(r.ref);
    else d.communities.push(r.ref);
  }
  return out;
}

export async function deleteDistribution(db: Db, objectId: string): Promise<void> {
  await t(db).deleteFrom('distribution_scopes').where('object_id', '=', objectId).execute();
}
