/**
 * Shared intelligence for the ingest benchmark, so that the look-up each batch makes (every
 * container, bill of lading, vessel, company, EORI and phone of the batch, against the visible
 * observables) probes an index of a realistic size rather than an empty one:
 * - background: `items` reports of a police organisation, distributed node-wide (so the customs
 *   actor may see them: every match also checks the item), ten observables each of the types a
 *   declaration carries, in values no declaration of the world has (bulk SQL, before timing);
 * - hits: one alert through SharingService.publish per container the synthetic world flags as
 *   known to intelligence, so the intel-hit indicator fires through the real path.
 */
import { sql } from 'kysely';
import type { NodeContext } from '../src/server/context.ts';

const POLICE_ORG = '00000000-0000-4000-8000-00000000c0a1';

export async function seedIntel(
  ctx: NodeContext,
  items: number,
  flaggedContainers: readonly string[],
): Promise<{ observables: number; hits: number }> {
  await ctx.identity.seedOrg({
    id: POLICE_ORG,
    name: 'Bench police',
    country: 'BE',
    sector: 'public',
    kind: 'police',
  });
  await ctx.identity.createUser(null, {
    username: 'bench.police',
    displayName: 'Bench police analyst',
    orgId: POLICE_ORG,
    roles: ['analyst'],
    password: 'bench-password-not-used',
    locale: 'en',
  });
  const police = await ctx.identity.actorForUsername('bench.police');
  const db = ctx.database.db;
  const id = sql.raw(`md5('ingest-bench-item:' || g)::uuid`);
  await sql`insert into items (id, kind, title, body, owner_org_id, author_id, tlp, created_at, updated_at,
      search, scope_keys)
    select ${id}, 'report', 'Background report ' || g, 'Synthetic background intelligence.',
      ${POLICE_ORG}::uuid, ${police.userId}::uuid, 'GREEN', now(), now(), ''::tsvector, '{n}'
    from generate_series(1, ${items}::int) g`.execute(db);
  await sql`insert into distribution_scopes (object_id, kind, ref)
    select ${id}, 'node', '00000000-0000-0000-0000-000000000000'::uuid from generate_series(1, ${items}::int) g`.execute(
    db,
  );
  // Values in each type's canonical shape, under prefixes no synthetic declaration uses.
  await sql`insert into observables (item_id, type, value, normalized)
    select md5('ingest-bench-item:' || (1 + g % ${items}::int))::uuid, v.type, v.value, v.value
    from generate_series(0, ${items * 10}::int - 1) g
    cross join lateral (select case g % 6
        when 0 then 'container' when 1 then 'bl' when 2 then 'company'
        when 3 then 'phone' when 4 then 'vessel' else 'eori' end as type offset 0) t
    cross join lateral (select t.type, case t.type
        when 'container' then 'ZZZU' || lpad((g % 10000000)::text, 7, '0')
        when 'bl' then 'ZZBL' || g
        when 'company' then 'background company ' || g
        when 'phone' then '+3229' || lpad((g % 10000000)::text, 7, '0')
        when 'vessel' then 'IMO' || (8000000 + g % 1000000)
        else 'BE' || lpad(g::text, 10, '0') end as value offset 0) v`.execute(db);
  await sql`analyze items, distribution_scopes, observables`.execute(db);
  for (const box of flaggedContainers) {
    await ctx.sharing.publish(police, {
      kind: 'alert',
      title: 'Container of interest',
      body: 'Known to the police from an earlier case.',
      marking: { tlp: 'GREEN', handlingCode: null, sourceReliability: null, infoCredibility: null },
      distribution: { orgs: [], users: [], communities: [], node: true },
      personalData: null,
      observables: [{ type: 'container', value: box }],
      addressees: [],
      deadline: null,
    });
  }
  return { observables: items * 10 + flaggedContainers.length, hits: flaggedContainers.length };
}
