import { type Kysely, type Migration, sql } from 'kysely';

export const sharingMigrations: Record<string, Migration> = {
  '2026_11_21_0400_sharing': {
    async up(db: Kysely<unknown>) {
      await sql`create table items (
        id uuid primary key,
        kind text not null constraint items_kind_check check (kind in ('alert', 'report', 'rfi')),
        title text not null,
        body text not null,
        owner_org_id uuid not null,
        author_id uuid not null,
        tlp text not null constraint items_tlp_check check (tlp in ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
        handling_code text constraint items_handling_check check (handling_code in ('H0', 'H1', 'H2', 'H3')),
        source_reliability text constraint items_reliability_check check (source_reliability in ('A', 'B', 'C', 'X')),
        info_credibility text constraint items_credibility_check check (info_credibility in ('1', '2', '3', '4')),
        personal_data boolean not null default false,
        subject_category text constraint items_subject_check
          check (subject_category in ('suspect', 'convicted', 'victim', 'witness', 'contact', 'other')),
        review_date date,
        review_flagged_at timestamptz,
        deadline timestamptz,
        external_id text,
        tags text[] not null default '{}',
        created_at timestamptz not null,
        updated_at timestamptz not null,
        search tsvector not null,
        constraint items_personal_data_review check (not personal_data or (review_date is not null and subject_category is not null))
      )`.execute(db);
      await sql`create index items_owner_idx on items(owner_org_id, created_at desc)`.execute(db);
      await sql`create index items_created_idx on items(created_at desc, id)`.execute(db);
      await sql`create index items_search_idx on items using gin(search)`.execute(db);
      await sql`create index items_review_idx on items(review_date) where personal_data`.execute(db);
      await sql`create table item_addressees (
        item_id uuid not null constraint item_addressees_item_fk references items(id) on delete cascade,
        user_id uuid not null,
        primary key (item_id, user_id)
      )`.execute(db);
      await sql`create index item_addressees_user_idx on item_addressees(user_id)`.execute(db);
      // The correlation index: one row per observable, looked up by (type, normalized).
      // No pairwise table: a lookup costs one index probe whatever the number of items.
      await sql`create table observables (
        id bigint generated always as identity primary key,
        item_id uuid not null constraint observables_item_fk references items(id) on delete cascade,
        type text not null,
        value text not null,
        normalized text not null,
        subtype text
      )`.execute(db);
      await sql`create index observables_lookup_idx on observables(type, normalized)`.execute(db);
      await sql`create index observables_item_idx on observables(item_id)`.execute(db);
      await sql`create table replies (
        id uuid primary key,
        item_id uuid not null constraint replies_item_fk references items(id) on delete cascade,
        author_id uuid not null,
        org_id uuid not null,
        body text not null,
        created_at timestamptz not null
      )`.execute(db);
      await sql`create index replies_item_idx on replies(item_id, created_at)`.execute(db);
      await sql`create table sightings (
        id uuid primary key,
        item_id uuid not null constraint sightings_item_fk references items(id) on delete cascade,
        user_id uuid not null,
        org_id uuid not null,
        kind text not null constraint sightings_kind_check check (kind in ('seen', 'false_positive', 'acted_on', 'seizure')),
        note text,
        created_at timestamptz not null
      )`.execute(db);
      await sql`create index sightings_item_idx on sightings(item_id, created_at)`.execute(db);
      await sql`create table hits (
        id uuid primary key,
        hidden_item_id uuid not null constraint hits_item_fk references items(id) on delete cascade,
        owner_org_id uuid not null,
        requester_user_id uuid not null,
        requester_org_id uuid not null,
        requester_item_id uuid,
        observable_type text not null,
        normalized text not null,
        status text not null constraint hits_status_check check (status in ('new', 'contact_requested', 'granted', 'declined')),
        justification text,
        created_at timestamptz not null,
        decided_at timestamptz,
        decided_by uuid
      )`.execute(db);
      await sql`create index hits_owner_idx on hits(owner_org_id, created_at desc)`.execute(db);
      await sql`create index hits_requester_idx on hits(requester_user_id, created_at desc)`.execute(db);
      await sql`create table widening_requests (
        id uuid primary key,
        item_id uuid not null constraint widening_item_fk references items(id) on delete cascade,
        requested_by uuid not null,
        requester_org_id uuid not null,
        distribution jsonb not null,
        reason text not null,
        status text not null constraint widening_status_check check (status in ('pending', 'approved', 'declined')),
        created_at timestamptz not null,
        decided_by uuid,
        decided_at timestamptz
      )`.execute(db);
      await sql`create index widening_item_idx on widening_requests(item_id)`.execute(db);
    },
  },
  '2026_11_21_0401_sharing_attachments': {
    async up(db: Kysely<unknown>) {
      await sql`create table attachments (
        id uuid primary key,
        item_id uuid not null constraint attachments_item_fk references items(id) on delete cascade,
        filename text not null,
        media_type text not null,
        size int not null constraint attachments_size_check check (size > 0 and size <= 5242880),
        sha256 text not null,
        content bytea not null,
        uploaded_by uuid not null,
        created_at timestamptz not null
      )`.execute(db);
      await sql`create index attachments_item_idx on attachments(item_id)`.execute(db);
    },
  },
  '2026_11_22_0600_sharing_scope_keys': {
    async up(db: Kysely<unknown>) {
      // The item's distribution as row-local keys (access.scopeKeysOf), kept beside
      // distribution_scopes so that search decides visibility on the row it already reads.
      await sql`alter table items add column scope_keys text[] not null default '{}'`.execute(db);
      await sql`update items i set scope_keys = k.keys
        from (select object_id, array_agg(case kind when 'node' then 'n'
                else left(kind, 1) || ':' || ref::text end order by kind, ref) as keys
              from distribution_scopes group by object_id) k
        where k.object_id = i.id`.execute(db);
    },
  },
};
