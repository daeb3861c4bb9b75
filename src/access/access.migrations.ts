import { type Kysely, type Migration, sql } from 'kysely';

export const accessMigrations: Record<string, Migration> = {
  '2026_11_21_0200_access': {
    async up(db: Kysely<unknown>) {
      await sql`create table communities (
        id uuid primary key,
        name text not null constraint communities_name_unique unique,
        description text not null default '',
        created_at timestamptz not null default now()
      )`.execute(db);
      await sql`create table community_members (
        community_id uuid not null constraint community_members_community_fk references communities(id) on delete cascade,
        org_id uuid not null,
        primary key (community_id, org_id)
      )`.execute(db);
      await sql`create index community_members_org_idx on community_members(org_id)`.execute(db);
      // The distribution of any shared object, as a union of scopes. Federation adds kinds
      // (e.g. 'peer'); nothing else has to change for it.
      await sql`create table distribution_scopes (
        object_id uuid not null,
        kind text not null constraint distribution_scopes_kind_check check (kind in ('org', 'user', 'community', 'node')),
        ref uuid not null,
        primary key (object_id, kind, ref)
      )`.execute(db);
      await sql`create index distribution_scopes_ref_idx on distribution_scopes(kind, ref)`.execute(db);
    },
  },
};
