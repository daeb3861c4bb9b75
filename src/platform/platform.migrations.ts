import { type Kysely, type Migration, sql } from 'kysely';

// Never edit a migration that has landed: add a new one.
export const platformMigrations: Record<string, Migration> = {
  '2026_11_21_0000_platform_extensions': {
    async up(db: Kysely<unknown>) {
      await sql`create extension if not exists unaccent`.execute(db);
      await sql`create extension if not exists pg_trgm`.execute(db);
      // Language-neutral full-text configuration: items arrive in six languages, so no stemming,
      // but accents folded (Pacífico = Pacifico).
      await sql`create text search configuration portshield (copy = simple)`.execute(db);
      await sql`alter text search configuration portshield
        alter mapping for hword, hword_part, word with unaccent, simple`.execute(db);
    },
  },
  '2026_11_21_0001_platform_node_key': {
    async up(db: Kysely<unknown>) {
      await sql`create table node_key (
        id int primary key constraint node_key_single check (id = 1),
        private_key_pem text not null,
        public_key_pem text not null,
        created_at timestamptz not null default now()
      )`.execute(db);
    },
  },
};
