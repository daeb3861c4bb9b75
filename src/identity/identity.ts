import { hash, verify } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import { type Actor, communityIdsOfOrg, type Permission, permissionsOf } from '../access/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/database.ts';
import { AppError } from '../platform/errors.ts';
import type { RequestAuth } from '../platform/http.ts';
import { hashSecret, isUuid, newId, newSecret } from '../platform/ids.ts';
import type { LoginInput, Org, OrgInput, PublicUser, UserInput } from './identity.schema.ts';
import * as store from './identity.store.ts';

/** OWASP's argon2id baseline (m=19 MiB, t=2, p=1). */
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
  /** Reuse a resolved session in process for this long (0: never). */
  cacheSeconds?: number;
}

interface CachedSession {
  auth: Authenticated;
  userId: string;
  createdAt: number;
  cachedAt: number;
}

/** Bounds the memory of the session cache; the oldest entries go first. */
const SESSION_CACHE_MAX = 10_000;

export interface LoginResult {
  sessionSecret: string;
  csrfToken: string;
  user: PublicUser;
}

export interface Authenticated extends RequestAuth {
  user: PublicUser | null;
}

export const SESSION_COOKIE = 'ps_session';

export class IdentityService {
  private dummyHash: Promise<string>;
  /**
   * Resolved sessions by hashed secret, kept a few seconds so that a page's burst of requests costs
   * one database round trip instead of one per request. Logout and revocation evict at once in
   * this process; `forgetSessions` drops everything after administrative changes (roles,
   * communities). Another process sharing the database sees a revocation within `cacheSeconds`.
   */
  private readonly sessionCache = new Map<string, CachedSession>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly sessions: SessionPolicy,
  ) {
    // Verified against when the username is unknown, so that both paths cost one argon2 verify.
    this.dummyHash = hash('not-a-real-password-portshield', ARGON2);
  }

  async createOrg(actor: Actor, input: OrgInput): Promise<Org> {
    requirePermission(actor, 'admin:orgs');
    const org: Org = { id: newId(), ...input };
    await this.db.transaction().execute(async (tx) => {
      if (await store.findOrgByName(tx, input.name)) {
        throw new AppError('CONFLICT', 'An organisation with this name exists', [
          { path: 'name', message: 'taken' },
        ]);
      }
      await store.insertOrg(tx, org);
      await this.audit.append(
        tx,
        { userId: actor.userId, orgId: actor.orgId },
        {
          action: 'collection',
          objectType: 'organisation',
          objectId: org.id,
          details: { name: org.name, country: org.country },
        },
      );
    });
    return org;
  }

  /**
   * Creates an organisation without an acting user: for `portshield demo` and first set-up from
   * the command line only, never reachable from a request. Audited like any other creation.
   */
  async seedOrg(org: Org): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await store.insertOrg(tx, org);
      await this.audit.append(
        tx,
        { userId: null, orgId: null },
        {
          action: 'collection',
          objectType: 'organisation',
          objectId: org.id,
          details: { name: org.name, country: org.country, via: 'cli' },
        },
      );
    });
  }

  async userExists(username: string): Promise<boolean> {
    return (await store.findUserByUsername(this.db, username)) !== undefined;
  }

  listOrgs(): Promise<Org[]> {
    return store.listOrgs(this.db);
  }

  /** Creates a user with a fresh TOTP secret (returned once, for enrolment). */
  async createUser(actor: Actor | null, input: UserInput, opts: { totpSecret?: string } = {}) {
    if (actor) {
      if (!actor.permissions.has('admin:users')) throw new AppError('FORBIDDEN', 'Needs admin:users');
      if (!actor.permissions.has('admin:orgs') && input.orgId !== actor.orgId) {
        throw new AppError(
          'FORBIDDEN',
          'Organisation administrators add users to their own organisation only',
        );
      }
    }
    const totpSecret = opts.totpSecret ?? new Secret({ size: 20 }).base32;
    const passwordHash = await hash(input.password, ARGON2);
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      if (!(await store.findOrg(tx, input.orgId))) {
        throw new AppError('VALIDATION_FAILED', 'Unknown organisation', [
          { path: 'orgId', message: 'no such organisation' },
        ]);
      }
      if (await store.findUserByUsername(tx, input.username)) {
        throw new AppError('CONFLICT', 'This username is taken', [{ path: 'username', message: 'taken' }]);
      }
      await store.insertUser(tx, {
        id,
        org_id: input.orgId,
        username: input.username,
        display_name: input.displayName,
        password_hash: passwordHash,
        totp_secret: totpSecret,
        roles: [...input.roles],
        locale: input.locale,
        locked_until: null,
      });
      await this.audit.append(
        tx,
        { userId: actor?.userId ?? null, orgId: actor?.orgId ?? null },
        {
          action: 'collection',
          objectType: 'user',
          objectId: id,
          details: { username: input.username, roles: [...input.roles] },
        },
      );
    });
    const user = await this.publicUser(id);
    return { user, totpSecret };
  }

  async login(input: LoginInput): Promise<LoginResult> {
    const now = this.clock.now();
    const user = await store.findUserByUsername(this.db, input.username);
    const passwordOk = await verify(user?.password_hash ?? (await this.dummyHash), input.password);
    const generic = () =>
      new AppError(
        'INVALID_CREDENTIALS',
        'Sign-in failed: wrong username, password or code, or too many attempts (wait 15 minutes)',
      );
    // Unknown users and users with MFA get the same answer when the code is missing, so the
    // answer tells nothing about the username or the password.
    const needsMfa = !user || user.totp_secret !== null;
    if (needsMfa && !input.totp)
      throw new AppError('MFA_REQUIRED', 'Enter the code from your authenticator app');
    if (!user || user.disabled) {
      await this.audit.append(
        this.db,
        { userId: null, orgId: null },
        {
          action: 'login_failed',
          objectType: 'user',
          objectId: null,
          details: { username: input.username },
        },
      );
      throw generic();
    }
    const locked = user.locked_until !== null && user.locked_until > now;
    const lockExpired = user.locked_until !== null && !locked;
    const step = user.totp_secret === null ? null : totpStep(user.totp_secret, input.totp ?? '', now);
    // A code is good once: a step at or before the last one used is a replay (a code seen over a
    // shoulder or in a proxy log), refused like a wrong code.
    const replayed = step !== null && user.totp_last_step !== null && step <= user.totp_last_step;
    const totpOk = user.totp_secret === null || (step !== null && !replayed);
    if (locked || !passwordOk || !totpOk) {
      const failures = (lockExpired ? 0 : user.failed_logins) + (locked ? 0 : 1);
      const lockUntil = locked
        ? user.locked_until
        : failures >= MAX_FAILURES
          ? new Date(now.getTime() + LOCK_MINUTES * 60_000)
          : null;
      await this.db.transaction().execute(async (tx) => {
        if (!locked) await store.recordFailedLogin(tx, user.id, { restart: lockExpired, lockUntil });
        await this.audit.append(
          tx,
          { userId: user.id, orgId: user.org_id },
          {
            action: 'login_failed',
            objectType: 'user',
            objectId: user.id,
            details: {
              locked: lockUntil !== null,
              ...(replayed && passwordOk ? { replayedCode: true } : {}),
            },
          },
        );
      });
      throw generic();
    }
    const sessionSecret = newSecret();
    const csrfToken = newSecret();
    await this.db.transaction().execute(async (tx) => {
      if (!(await store.recordGoodLogin(tx, user.id, step))) throw generic();
      await store.insertSession(tx, {
        id_hash: hashSecret(sessionSecret),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        revoked_at: null,
      });
      await this.audit.append(
        tx,
        { userId: user.id, orgId: user.org_id },
        {
          action: 'login',
          objectType: 'user',
          objectId: user.id,
        },
      );
    });
    return { sessionSecret, csrfToken, user: await this.publicUser(user.id) };
  }

  async logout(auth: Authenticated): Promise<void> {
    if (!auth.sessionHash) return;
    this.sessionCache.delete(auth.sessionHash);
    await this.db.transaction().execute(async (tx) => {
      await store.revokeSession(tx, auth.sessionHash!, this.clock.now());
      await this.audit.append(
        tx,
        { userId: auth.actor.userId, orgId: auth.actor.orgId },
        {
          action: 'logout',
          objectType: 'user',
          objectId: auth.actor.userId,
        },
      );
    });
  }

  /** Revokes every session of a user at once (e.g. a stolen laptop). */
  async revokeSessions(actor: Actor, userId: string): Promise<void> {
    requirePermission(actor, 'admin:users');
    const target = isUuid(userId) ? await store.findUser(this.db, userId) : undefined;
    // Another organisation's user answers like a missing one for an organisation administrator.
    if (!target || (!actor.permissions.has('admin:orgs') && target.org_id !== actor.orgId)) {
      throw new AppError('NOT_FOUND', 'No such user');
    }
    await this.db.transaction().execute(async (tx) => {
      await store.revokeUserSessions(tx, userId, this.clock.now());
      this.forgetSessionsOf(userId);
      await this.audit.append(
        tx,
        { userId: actor.userId, orgId: actor.orgId },
        {
          action: 'alteration',
          objectType: 'user',
          objectId: userId,
          details: { sessionsRevoked: true },
        },
      );
    });
  }

  async fromSession(secret: string): Promise<Authenticated | null> {
    const idHash = hashSecret(secret);
    const now = this.clock.now().getTime();
    const ttl = (this.sessions.cacheSeconds ?? 0) * 1000;
    const cached = this.sessionCache.get(idHash);
    if (cached) {
      if (now - cached.cachedAt < ttl && now - cached.createdAt <= this.absoluteMs()) return cached.auth;
      this.sessionCache.delete(idHash);
    }
    const s = await store.findSessionView(this.db, idHash);
    if (!s || s.revoked_at || s.disabled) return null;
    if (now - s.last_seen_at.getTime() > this.sessions.idleMinutes * 60_000) return null;
    if (now - s.created_at.getTime() > this.absoluteMs()) return null;
    // Touch at most once a minute: idle timeout needs no finer grain, and reads stay reads.
    if (now - s.last_seen_at.getTime() > 60_000) await store.touchSession(this.db, idHash, new Date(now));
    const user: PublicUser = {
      id: s.user_id,
      username: s.username,
      displayName: s.display_name,
      locale: s.locale,
      orgId: s.org_id,
      orgName: s.org_name,
      orgCountry: s.org_country,
      orgSector: s.org_sector,
      orgKind: s.org_kind,
      roles: s.roles,
      permissions: [...permissionsOf(s.roles)],
    };
    const auth: Authenticated = {
      actor: await this.actorFor(user),
      user,
      csrfToken: s.csrf_token,
      sessionHash: idHash,
    };
    if (ttl > 0) {
      if (this.sessionCache.size >= SESSION_CACHE_MAX) {
        const oldest = this.sessionCache.keys().next().value;
        if (oldest !== undefined) this.sessionCache.delete(oldest);
      }
      this.sessionCache.set(idHash, {
        auth,
        userId: s.user_id,
        createdAt: s.created_at.getTime(),
        cachedAt: now,
      });
    }
    return auth;
  }

  /** Drops every cached session: called after administrative changes that alter what users may do. */
  forgetSessions(): void {
    this.sessionCache.clear();
  }

  private forgetSessionsOf(userId: string): void {
    for (const [key, entry] of this.sessionCache) if (entry.userId === userId) this.sessionCache.delete(key);
  }

  private absoluteMs(): number {
    return this.sessions.absoluteHours * 3_600_000;
  }

  async fromToken(secret: string): Promise<Authenticated | null> {
    const tok = await store.findToken(this.db, hashSecret(secret));
    const now = this.clock.now();
    if (!tok || tok.revoked_at || (tok.expires_at && tok.expires_at <= now)) return null;
    const org = await store.findOrg(this.db, tok.org_id);
    if (!org) return null;
    const permissions = new Set(tok.permissions as Permission[]);
    const actor: Actor = {
      kind: 'token',
      userId: tok.user_id ?? tok.id,
      orgId: org.id,
      orgSector: org.sector,
      orgCountry: org.country,
      roles: [],
      permissions,
      communityIds: await communityIdsOfOrg(this.db, org.id),
    };
    return { actor, user: null, csrfToken: null, sessionHash: null };
  }

  /** Issues a machine token scoped to one organisation and a set of permissions; only its hash is kept. */
  async createToken(actor: Actor, name: string, permissions: Permission[], expiresAt: Date | null) {
    requirePermission(actor, 'admin:users');
    for (const p of permissions) {
      if (!actor.permissions.has(p) && !['items:read', 'items:write'].includes(p)) {
        throw new AppError('FORBIDDEN', `Cannot grant ${p}`);
      }
    }
    const secret = `pst_${newSecret()}`;
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      await store.insertToken(tx, {
        id,
        token_hash: hashSecret(secret),
        org_id: actor.orgId,
        user_id: null,
        name,
        permissions,
        created_at: this.clock.now(),
        expires_at: expiresAt,
        revoked_at: null,
      });
      await this.audit.append(
        tx,
        { userId: actor.userId, orgId: actor.orgId },
        {
          action: 'collection',
          objectType: 'api_token',
          objectId: id,
          details: { name, permissions },
        },
      );
    });
    return { id, secret };
  }

  /** Revokes an API token at once (a leaked secret); another organisation's token answers like a missing one. */
  async revokeToken(actor: Actor, tokenId: string): Promise<void> {
    requirePermission(actor, 'admin:users');
    const tok = isUuid(tokenId) ? await store.findTokenById(this.db, tokenId) : undefined;
    if (!tok || (!actor.permissions.has('admin:orgs') && tok.org_id !== actor.orgId)) {
      throw new AppError('NOT_FOUND', 'No such token');
    }
    await this.db.transaction().execute(async (tx) => {
      await store.revokeToken(tx, tokenId, this.clock.now());
      await this.audit.append(
        tx,
        { userId: actor.userId, orgId: actor.orgId },
        { action: 'alteration', objectType: 'api_token', objectId: tokenId, details: { revoked: true } },
      );
    });
  }

  async publicUser(userId: string): Promise<PublicUser> {
    const u = await store.findUser(this.db, userId);
    if (!u) throw new AppError('NOT_FOUND', 'No such user');
    const org = await store.findOrg(this.db, u.org_id);
    if (!org) throw new AppError('INTERNAL', 'User without organisation');
    return {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      locale: u.locale,
      orgId: org.id,
      orgName: org.name,
      orgCountry: org.country,
      orgSector: org.sector,
      orgKind: org.kind,
      roles: u.roles,
      permissions: [...permissionsOf(u.roles)],
    };
  }

  async actorFor(u: PublicUser): Promise<Actor> {
    return {
      kind: 'user',
      userId: u.id,
      orgId: u.orgId,
      orgSector: u.orgSector,
      orgCountry: u.orgCountry,
      roles: u.roles,
      permissions: permissionsOf(u.roles),
      communityIds: await communityIdsOfOrg(this.db, u.orgId),
    };
  }

  async actorForUsername(username: string): Promise<Actor> {
    const u = await store.findUserByUsername(this.db, username);
    if (!u) throw new AppError('NOT_FOUND', `No user ${username}`);
    return this.actorFor(await this.publicUser(u.id));
  }

  async listUsers(actor: Actor) {
    requirePermission(actor, 'admin:users');
    const rows = await store.listUsers(
      this.db,
      actor.permissions.has('admin:orgs') ? undefined : actor.orgId,
    );
    return rows.map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      orgId: u.org_id,
      roles: u.roles,
      locale: u.locale,
      mfa: u.totp_secret !== null,
      disabled: u.disabled,
    }));
  }

  /** The database handle, for the directory's community list (read by `access`). */
  dbForDirectory(): Db {
    return this.db;
  }

  /** The directory every signed-in user may read to address items: names, not personal data. */
  async directoryUsers() {
    const rows = await store.listUsers(this.db);
    return rows
      .filter((u) => !u.disabled)
      .map((u) => ({ id: u.id, displayName: u.display_name, orgId: u.org_id }));
  }
}

export function requirePermission(actor: Actor, p: Permission): void {
  if (!actor.permissions.has(p)) throw new AppError('FORBIDDEN', `This needs the permission ${p}`);
}

/** RFC 6238 with a ±1 step window for clock drift. */
/** The 30-second step a code belongs to (one step of clock drift either way), or null if it is wrong. */
export function totpStep(secret: string, token: string, at: Date): number | null {
  if (!/^\d{6}$/.test(token)) return null;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  const delta = totp.validate({ token, timestamp: at.getTime(), window: 1 });
  return delta === null ? null : Math.floor(at.getTime() / 30_000) + delta;
}

export function currentTotp(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });
}
