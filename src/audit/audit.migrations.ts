import { type Kysely, type Migration, sql } from 'kysely';

export const auditMigrations: Record<string, Migration> = {
  '2026_11_21_0300_audit': {
    async up(db: Kysely<unknown>) {
      // Append-only: the application never updates or deletes rows (and a trigger refuses it).
      await sql`create table audit_log (
        seq bigint primary key,
        at timestamptz not null,
        actor_user_id uuid,
        actor_org_id uuid,
        action text not null,
        object_type text not null,
        object_id text,
        justification text,
        recipients jsonb not null default '[]',
        details jsonb not null default '{}',
        leaf_hash bytea not null
      )`.execute(db);
      await sql`create index audit_log_object_idx on audit_log(object_id)`.execute(db);
      await sql`create index audit_log_actor_idx on audit_log(actor_user_id, seq)`.execute(db);
      await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
        begin raise exception 'audit_log is append-only'; end $$`.execute(db);
      await sql`create trigger audit_log_no_change before update or delete on audit_log
        for each row execute function audit_log_append_only()`.execute(db);
      // One row that hands out gap-free sequence numbers: its row lock orders concurrent
      // appenders, and a rolled-back act rolls its number back too.
      await sql`create table audit_state (
        id int primary key constraint audit_state_single check (id = 1),
        size bigint not null,
        frontier jsonb not null
      )`.execute(db);
      await sql`insert into audit_state (id, size, frontier) values (1, 0, '[]')`.execute(db);
      await sql`create table audit_tree_heads (
        tree_size bigint primary key,
        root_hash text not null,
        signed_at timestamptz not null,
        signature text not null,
        key_id text not null
      )`.execute(db);
    },
  },
  '2026_11_21_0301_audit_no_truncate': {
    async up(db: Kysely<unknown>) {
      // Row triggers do not fire on TRUNCATE: refuse it with a statement trigger.
      await sql`create trigger audit_log_no_truncate before truncate on audit_log
        for each statement execute function audit_log_append_only()`.execute(db);
    },
  },
};
