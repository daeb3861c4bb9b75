import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Cargo targeting tables. Everything belongs to one organisation (the customs organisation that
 * filed or ingested it): declarations carry `owner_org_id`, `author_id`, `tlp` and `handling_code`
 * so that reads filter with the access module's one visibility condition; settings, rule sets and
 * watchlists are keyed by organisation.
 *
 * - cargo_declarations: the current version of each declaration (one row per organisation and
 *   filer reference), its key columns for the queue, the normalised declaration and its current
 *   score (so the queue is one indexed read). Bodies, reasons and the history snapshot are JSON
 *   kept as `text` (since 2026_11_22_1010; `jsonb`, then `json`, before): they are only ever read whole, always
 *   written by the service's own JSON.stringify, and no query looks inside them, so the server
 *   need not check their syntax (`json` input cost about 10 µs per 1.6 KB body, `jsonb` more:
 *   it parses and rebuilds every document on the way in and out).
 * - cargo_declaration_versions: every superseded version with its filing time, the parts it
 *   changed, the score it was given (rule-set version and hash, watchlist version), its body and
 *   reasons. The current version is the cargo_declarations row itself (which carries the same
 *   fields since 2026_11_22_1020); a newer version moves it here. Ingest writes one row per new
 *   declaration (each body once; a version row per filing cost about a tenth of the ingest).
 * - cargo_history: per organisation, `seq` (batches that added declarations to history),
 *   `observed` (declarations in it) and a History snapshot as of batch `snapshot_seq` (null: empty).
 * - cargo_history_log: the declarations each later batch added to history, in order. History is
 *   the snapshot plus these declarations replayed (the body of a declaration's first version);
 *   the snapshot is rewritten once the log holds half as many declarations as it (at least a few
 *   thousand), so a batch writes one small log row instead of the whole, growing, snapshot, and a
 *   restart replays a bounded log. Both are written in the transaction of the batch, so a restart
 *   resumes without reading all declarations.
 * - cargo_batches / cargo_quarantine: ingest batches and the rows they refused (row, field, reason).
 */
export const cargoMigrations: Record<string, Migration> = {
  '2026_11_22_0100_cargo': {
    async up(db: Kysely<unknown>) {
      await sql`create table cargo_batches (
        id uuid primary key,
        org_id uuid not null,
        author_id uuid not null,
        format text not null,
        accepted int not null,
        amended int not null,
        quarantined int not null,
        created_at timestamptz not null
      )`.execute(db);
      await sql`create table cargo_quarantine (
        id bigint generated always as identity primary key,
        batch_id uuid not null references cargo_batches(id),
        org_id uuid not null,
        row_number int not null,
        field text not null,
        reason text not null,
        code text not null,
        raw text not null,
        created_at timestamptz not null
      )`.execute(db);
      await sql`create index cargo_quarantine_batch_idx on cargo_quarantine(batch_id)`.execute(db);

      await sql`create table cargo_declarations (
        id uuid primary key,
        owner_org_id uuid not null,
        author_id uuid not null,
        tlp text not null default 'AMBER+STRICT',
        handling_code text,
        reference text not null,
        version int not null,
        container text not null,
        container_type text not null,
        port text not null,
        loading text not null,
        vessel_imo text not null,
        vessel_name text,
        shipper_key text not null,
        consignee_key text not null,
        hs text not null,
        filed_at timestamptz not null,
        eta timestamptz not null,
        eta_day text not null,
        declaration jsonb not null,
        score double precision not null,
        channel text not null constraint cargo_declarations_channel_check check (channel in ('red', 'amber', 'green')),
        reasons jsonb not null,
        rule_set_version int,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        constraint cargo_declarations_reference_unique unique (owner_org_id, reference)
      )`.execute(db);
      await sql`create index cargo_declarations_queue_idx on cargo_declarations(owner_org_id, port, eta_day, score desc)`.execute(
        db,
      );
      await sql`create index cargo_declarations_filed_idx on cargo_declarations(owner_org_id, filed_at)`.execute(
        db,
      );
      await sql`create index cargo_declarations_container_idx on cargo_declarations(container)`.execute(db);

      await sql`create table cargo_declaration_versions (
        declaration_id uuid not null references cargo_declarations(id),
        version int not null,
        filed_at timestamptz not null,
        changes text[] not null,
        declaration jsonb not null,
        batch_id uuid references cargo_batches(id),
        recorded_at timestamptz not null,
        primary key (declaration_id, version)
      )`.execute(db);
      await sql`create table cargo_scores (
        declaration_id uuid not null references cargo_declarations(id),
        version int not null,
        score double precision not null,
        channel text not null,
        reasons jsonb not null,
        rule_set_version int,
        rule_set_hash text,
        watchlist_version text,
        scored_at timestamptz not null,
        primary key (declaration_id, version)
      )`.execute(db);
      await sql`create table cargo_history (
        org_id uuid primary key,
        seq bigint not null,
        observed int not null,
        snapshot jsonb not null,
        updated_at timestamptz not null
      )`.execute(db);

      await sql`create table cargo_port_settings (
        org_id uuid not null,
        port text not null,
        capacity int not null,
        red double precision not null,
        amber double precision not null,
        updated_by uuid not null,
        updated_at timestamptz not null,
        primary key (org_id, port)
      )`.execute(db);
      await sql`create table cargo_assignments (
        declaration_id uuid primary key references cargo_declarations(id),
        assignee_id uuid not null,
        assigned_by uuid not null,
        assigned_at timestamptz not null
      )`.execute(db);
      await sql`create table cargo_inspections (
        id uuid primary key,
        declaration_id uuid not null references cargo_declarations(id),
        org_id uuid not null,
        outcome text not null constraint cargo_inspections_outcome_check check (outcome in ('nothing', 'seizure')),
        drug text,
        kilograms double precision,
        concealment text,
        notes text,
        inspector_id uuid not null,
        inspected_at timestamptz not null
      )`.execute(db);
      await sql`create index cargo_inspections_declaration_idx on cargo_inspections(declaration_id, inspected_at desc)`.execute(
        db,
      );
      await sql`create table cargo_alerts (
        declaration_id uuid not null references cargo_declarations(id),
        item_id uuid not null,
        created_by uuid not null,
        created_at timestamptz not null,
        primary key (declaration_id, item_id)
      )`.execute(db);

      await sql`create table cargo_rule_sets (
        org_id uuid not null,
        version int not null,
        yaml text not null,
        doc jsonb not null,
        hash text not null,
        author_id uuid not null,
        comment text not null,
        created_at timestamptz not null,
        primary key (org_id, version)
      )`.execute(db);

      await sql`create table cargo_watchlist_entries (
        id uuid primary key,
        org_id uuid not null,
        list text not null,
        entry_id text not null,
        kind text not null,
        entry jsonb not null,
        created_by uuid not null,
        created_at timestamptz not null,
        constraint cargo_watchlist_entries_unique unique (org_id, list, entry_id)
      )`.execute(db);
      await sql`create table cargo_watchlist_state (
        org_id uuid primary key,
        version int not null
      )`.execute(db);
    },
  },
  // The first form of the cargo tables (0100, as first released) stored every body three times
  // as jsonb and kept scores apart; this brings a data folder of that form to the storage the
  // later migrations build on. A folder created after the storage was reworked already has it
  // (it ran a reworked 0100), so each step checks what is there.
  '2026_11_22_1000_cargo_storage_once': {
    async up(db: Kysely<unknown>) {
      const exists = async (table: string) =>
        (
          await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
            where table_schema = current_schema() and table_name = ${table}`.execute(db)
        ).rows[0]?.n === 1;
      if (!(await exists('cargo_scores'))) return;
      await sql`drop index if exists cargo_declarations_container_idx`.execute(db);
      await sql`alter table cargo_declarations alter column declaration type json using declaration::json,
        alter column reasons type json using reasons::json`.execute(db);
      await sql`alter table cargo_declaration_versions
        drop constraint if exists cargo_declaration_versions_declaration_id_fkey,
        drop constraint if exists cargo_declaration_versions_batch_id_fkey,
        alter column declaration type json using declaration::json,
        alter column declaration drop not null,
        add column score double precision, add column channel text, add column rule_set_version int,
        add column rule_set_hash text, add column watchlist_version text, add column reasons json`.execute(
        db,
      );
      await sql`update cargo_declaration_versions v set score = s.score, channel = s.channel,
          rule_set_version = s.rule_set_version, rule_set_hash = s.rule_set_hash,
          watchlist_version = s.watchlist_version, reasons = s.reasons::json
        from cargo_scores s where s.declaration_id = v.declaration_id and s.version = v.version`.execute(db);
      // A current version's body and reasons live in its declaration row only.
      await sql`update cargo_declaration_versions v set declaration = null, reasons = null
        from cargo_declarations d where d.id = v.declaration_id and d.version = v.version`.execute(db);
      await sql`alter table cargo_declaration_versions alter column score set not null,
        alter column channel set not null`.execute(db);
      await sql`drop table cargo_scores`.execute(db);
      await sql`alter table cargo_history alter column snapshot type json using snapshot::json,
        alter column snapshot drop not null, add column snapshot_seq bigint`.execute(db);
      await sql`update cargo_history set snapshot_seq = seq`.execute(db);
      await sql`alter table cargo_history alter column snapshot_seq set not null`.execute(db);
      await sql`create table cargo_history_log (
        org_id uuid not null,
        seq bigint not null,
        declaration_ids uuid[] not null,
        primary key (org_id, seq)
      )`.execute(db);
    },
  },
  '2026_11_22_1010_cargo_text_bodies': {
    async up(db: Kysely<unknown>) {
      for (const [table, column] of [
        ['cargo_declarations', 'declaration'],
        ['cargo_declarations', 'reasons'],
        ['cargo_declaration_versions', 'declaration'],
        ['cargo_declaration_versions', 'reasons'],
        ['cargo_history', 'snapshot'],
      ] as const) {
        await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} type text using ${sql.ref(column)}::text`.execute(
          db,
        );
      }
    },
  },
  '2026_11_22_1020_cargo_current_version_inline': {
    async up(db: Kysely<unknown>) {
      await sql`alter table cargo_declarations add column changes text[] not null default '{}',
        add column batch_id uuid, add column rule_set_hash text, add column watchlist_version text`.execute(
        db,
      );
      // The current version's row moves into its declaration.
      await sql`update cargo_declarations d set changes = v.changes, batch_id = v.batch_id,
          rule_set_hash = v.rule_set_hash, watchlist_version = v.watchlist_version
        from cargo_declaration_versions v
        where v.declaration_id = d.id and v.version = d.version`.execute(db);
      await sql`delete from cargo_declaration_versions v using cargo_declarations d
        where v.declaration_id = d.id and v.version = d.version`.execute(db);
      await sql`alter table cargo_declaration_versions alter column declaration set not null,
        alter column reasons set not null`.execute(db);
      // The second opinion checks an organisation's inspections (count, latest) on every queue read.
      await sql`create index cargo_inspections_org_idx on cargo_inspections(org_id, inspected_at)`.execute(
        db,
      );
    },
  },
  // Bodies and reasons (1.6 KB and 0.3 KB of JSON a declaration) are compressed by the server when
  // a row passes 2 KB. pglz, the default, cost about 8 µs a row in COPY (a fifth of the server's
  // work per declaration); LZ4 compresses JSON about as well at a fraction of the CPU. Only a
  // server built with LZ4 offers it (PostgreSQL 14+, Debian's does; PGlite does not): elsewhere the
  // columns keep pglz. New values only: stored rows are not rewritten.
  '2026_12_06_0100_cargo_lz4_bodies': {
    async up(db: Kysely<unknown>) {
      const lz4 = await sql<{ ok: boolean }>`select exists (select 1 from pg_settings
          where name = 'default_toast_compression' and 'lz4' = any(enumvals)) as ok`.execute(db);
      if (lz4.rows[0]?.ok !== true) return;
      await sql`alter table cargo_declarations alter column declaration set compression lz4,
        alter column reasons set compression lz4`.execute(db);
      await sql`alter table cargo_declaration_versions alter column declaration set compression lz4,
        alter column reasons set compression lz4`.execute(db);
      await sql`alter table cargo_history alter column snapshot set compression lz4`.execute(db);
    },
  },
};
