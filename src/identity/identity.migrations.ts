import { type Kysely, type Migration, sql } from 'kysely';

export const identityMigrations: Record<string, Migration> = {
  '2026_11_21_0100_identity': {
    async up(db: Kysely<unknown>) {
      await sql`create table organisations (
        id uuid primary key,
        name text not null constraint organisations_name_unique unique,
        country char(2) not null,
        sector text not null constraint organisations_sector_check check (sector in ('public', 'private')),
        kind text not null,
        created_at timestamptz not null default now()
      )`.execute(db);
      await sql`create table users (
        id uuid primary key,
        org_id uuid not null constraint users_org_fk references organisations(id),
        username text not null constraint users_username_unique unique,
        display_name text not null,
        password_hash text not null,
        totp_secret text,
        roles text[] not null default '{}',
        locale text not null default 'en',
        failed_logins int not null default 0,
        locked_until timestamptz,
        disabled boolean not null default false,
        created_at timestamptz not null default now()
      )`.execute(db);
      await sql`create index users_org_idx on users(org_id)`.execute(db);
      await sql`create table sessions (
        id_hash text primary key,
        user_id uuid not null constraint sessions_user_fk references users(id) on delete cascade,
        csrf_token text not null,
        created_at timestamptz not null,
        last_seen_at timestamptz not null,
        revoked_at timestamptz
      )`.execute(db);
      await sql`create index sessions_user_idx on sessions(user_id)`.execute(db);
      await sql`create table api_tokens (
        id uuid primary key,
        token_hash text not null constraint api_tokens_hash_unique unique,
        org_id uuid not null constraint api_tokens_org_fk references organisations(id),
        user_id uuid constraint api_tokens_user_fk references users(id) on delete cascade,
        name text not null,
        permissions text[] not null,
        created_at timestamptz not null,
        expires_at timestamptz,
        revoked_at timestamptz
      )`.execute(db);
    },
  },
  '2026_11_22_0100_identity_totp_step': {
    async up(db: Kysely<unknown>) {
      // The last TOTP time step used to sign in: a code is accepted once, never replayed.
      await sql`alter table users add column totp_last_step integer`.execute(db);
    },
  },
};
