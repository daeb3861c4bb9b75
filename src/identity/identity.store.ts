import type { Generated, Insertable, Kysely, Selectable } from 'kysely';
import type { Db } from '../platform/database.ts';
import type { Org } from './identity.schema.ts';

export type IdentityTables = {
  organisations: {
    id: string;
    name: string;
    country: string;
    sector: 'public' | 'private';
    kind: string;
    created_at: Generated<Date>;
  };
  users: {
    id: string;
    org_id: string;
    username: string;
    display_name: string;
    password_hash: string;
    totp_secret: string | null;
    roles: string[];
    locale: string;
    failed_logins: Generated<number>;
    locked_until: Date | null;
    totp_last_step: Generated<number | null>;
    disabled: Generated<boolean>;
    created_at: Generated<Date>;
  };
  sessions: {
    id_hash: string;
    user_id: string;
    csrf_token: string;
    created_at: Date;
    last_seen_at: Date;
    revoked_at: Date | null;
  };
  api_tokens: {
    id: string;
    token_hash: string;
    org_id: string;
    user_id: string | null;
    name: string;
    permissions: string[];
    created_at: Date;
    expires_at: Date | null;
    revoked_at: Date | null;
  };
};

export function t(db: Db): Kysely<IdentityTables> {
  return db.withTables<IdentityTables>();
}

export async function insertOrg(db: Db, org: Org): Promise<void> {
  await t(db).insertInto('organisations').values(org).execute();
}

export async function listOrgs(db: Db): Promise<Org[]> {
  return t(db)
    .selectFrom('organisations')
    .select(['id', 'name', 'country', 'sector', 'kind'])
    .orderBy('country')
    .orderBy('name')
    .execute() as Promise<Org[]>;
}

export async function findOrg(db: Db, id: string): Promise<Org | undefined> {
  return t(db)
    .selectFrom('organisations')
    .select(['id', 'name', 'country', 'sector', 'kind'])
    .where('id', '=', id)
    .executeTakeFirst() as Promise<Org | undefined>;
}

export async function findOrgByName(db: Db, name: string): Promise<Org | undefined> {
  return t(db)
    .selectFrom('organisations')
    .select(['id', 'name', 'country', 'sector', 'kind'])
    .where('name', '=', name)
    .executeTakeFirst() as Promise<Org | undefined>;
}

export type UserRow = Selectable<IdentityTables['users']>;

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return t(db).selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  return t(db).selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Db, u: Insertable<IdentityTables['users']>): Promise<void> {
  await t(db).insertInto('users').values(u).execute();
}

export async function listUsers(db: Db, orgId?: string): Promise<UserRow[]> {
  let q = t(db).selectFrom('users').selectAll();
  if (orgId) q = q.where('org_id', '=', orgId);
  return q.orderBy('username').execute();
}

/** Counts a failed sign-in; after an expired lock the count starts again from this failure. */
export async function recordFailedLogin(
  db: Db,
  userId: string,
  o: { restart: boolean; lockUntil: Date | null },
): Promise<void> {
  await t(db)
    .updateTable('users')
    .set((eb) => ({
      failed_logins: o.restart ? 1 : eb('failed_logins', '+', 1),
      locked_until: o.lockUntil,
    }))
    .where('id', '=', userId)
    .execute();
}

/**
 * Clears the failure count after a good sign-in and records the TOTP step it used. Answers false
 * when that step (or a later one) was used meanwhile: a concurrent replay of the same code.
 */
export async function recordGoodLogin(db: Db, userId: string, totpStep: number | null): Promise<boolean> {
  let q = t(db)
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null, ...(totpStep === null ? {} : { totp_last_step: totpStep }) })
    .where('id', '=', userId);
  if (totpStep !== null)
    q = q.where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', totpStep)]));
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertSession(db: Db, s: IdentityTables['sessions']): Promise<void> {
  await t(db).insertInto('sessions').values(s).execute();
}

export async function findSession(db: Db, idHash: string) {
  return t(db).selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

/** A session with its user and organisation, in one round trip: what every request needs. */
export async function findSessionView(db: Db, idHash: string) {
  return t(db)
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organisations as o', 'o.id', 'u.org_id')
    .select([
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      's.revoked_at',
      'u.id as user_id',
      'u.username',
      'u.display_name',
      'u.locale',
      'u.roles',
      'u.disabled',
      'o.id as org_id',
      'o.name as org_name',
      'o.country as org_country',
      'o.sector as org_sector',
      'o.kind as org_kind',
    ])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string, at: Date): Promise<void> {
  await t(db).updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function revokeSession(db: Db, idHash: string, at: Date): Promise<void> {
  await t(db).updateTable('sessions').set({ revoked_at: at }).where('id_hash', '=', idHash).execute();
}

export async function revokeUserSessions(db: Db, userId: string, at: Date): Promise<void> {
  await t(db)
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function insertToken(db: Db, tok: IdentityTables['api_tokens']): Promise<void> {
  await t(db).insertInto('api_tokens').values(tok).execute();
}

export async function findToken(db: Db, hash: string) {
  return t(db).selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export async function findTokenById(db: Db, id: string) {
  return t(db).selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeToken(db: Db, id: string, at: Date): Promise<void> {
  await t(db)
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function namesOf(db: Db, userIds: string[], orgIds: string[]) {
  const [users, orgs] = [
    userIds.length
      ? await t(db)
          .selectFrom('users')
          .select(['id', 'display_name', 'org_id'])
          .where('id', 'in', userIds)
          .execute()
      : [],
    orgIds.length
      ? await t(db).selectFrom('organisations').select(['id', 'name']).where('id', 'in', orgIds).execute()
      : [],
  ];
  return {
    users: new Map(users.map((u) => [u.id, { name: u.display_name, orgId: u.org_id }])),
    orgs: new Map(orgs.map((o) => [o.id, o.name])),
  };
}

export async function userIdsOfOrg(db: Db, orgId: string): Promise<string[]> {
  const rows = await t(db)
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('disabled', '=', false)
    .execute();
  return rows.map((r) => r.id);
}
