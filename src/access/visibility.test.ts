import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, engines, openTestDatabase } from '../../test/support/node.ts';
import type { Actor } from '../platform/actor.ts';
import { permissionsOf } from '../platform/actor.ts';
import type { Database } from '../platform/database.ts';
import { migrate } from '../platform/database.ts';
import { accessMigrations } from './access.migrations.ts';
import { HANDLING_CODES, TLP_LEVELS } from './access.schema.ts';
import { writeDistribution } from './access.store.ts';
import { scopeKeysOf, visibleTo } from './visibility.ts';
import { type ModelObject, mayViewModel } from './visibility-model.ts';

// A small fixed population; the property generates who acts and what they look at.
const hex = (n: number, p: string) => `${p}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ORGS = [0, 1, 2, 3, 4].map((i) => hex(i, 'a'));
const PRIVATE_ORGS = new Set([ORGS[3], ORGS[4]]);
const USERS = Array.from({ length: 10 }, (_, i) => ({ id: hex(i, 'b'), orgId: ORGS[i % ORGS.length]! }));
const COMMUNITIES = [0, 1, 2].map((i) => hex(i, 'c'));

const subset = <T>(xs: T[]) => fc.subarray(xs, { maxLength: xs.length });

const actorArb = fc.record({
  user: fc.constantFrom(...USERS),
  communities: subset(COMMUNITIES),
  canRead: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x > 0.1),
});

const objectArb = fc.record({
  ownerOrgId: fc.constantFrom(...ORGS),
  authorId: fc.constantFrom(...USERS.map((u) => u.id)),
  tlp: fc.constantFrom(...TLP_LEVELS),
  handlingCode: fc.option(fc.constantFrom(...HANDLING_CODES), { nil: null }),
  distribution: fc.record({
    orgs: subset(ORGS),
    users: subset(USERS.map((u) => u.id)),
    communities: subset(COMMUNITIES),
    node: fc.boolean(),
  }),
});

function toActor(a: { user: { id: string; orgId: string }; communities: string[]; canRead: boolean }): Actor {
  return {
    kind: 'user',
    userId: a.user.id,
    orgId: a.user.orgId,
    orgSector: PRIVATE_ORGS.has(a.user.orgId) ? 'private' : 'public',
    orgCountry: 'BE',
    roles: a.canRead ? ['analyst'] : ['auditor'],
    permissions: permissionsOf(a.canRead ? ['analyst'] : ['auditor']),
    communityIds: a.communities,
  };
}

describe.each(engines())('visibility condition equals the reference model (%s)', (engine: Engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await migrate(database.db, accessMigrations);
    await sql`create table probe_objects (id uuid primary key, owner_org_id uuid not null, author_id uuid not null,
      tlp text not null, handling_code text, scope_keys text[] not null)`.execute(database.db);
  });
  afterAll(async () => database.close());

  it('agrees on at least 10,000 (actor, object) pairs', async () => {
    let pairs = 0;
    let differences = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(objectArb, { minLength: 20, maxLength: 20 }),
        fc.array(actorArb, { minLength: 10, maxLength: 10 }),
        async (objects, actorSpecs) => {
          const db = database.db;
          await sql`truncate probe_objects`.execute(db);
          await sql`truncate distribution_scopes`.execute(db);
          const withIds = objects.map((o, i) => ({ ...o, id: hex(i, 'd') }));
          for (const o of withIds) {
            await sql`insert into probe_objects values (${o.id}, ${o.ownerOrgId}, ${o.authorId}, ${o.tlp}, ${o.handlingCode}, ${scopeKeysOf(o.distribution)})`.execute(
              db,
            );
            await writeDistribution(db, o.id, o.distribution);
          }
          for (const spec of actorSpecs) {
            const actor = toActor(spec);
            const cols = {
              id: 'o.id',
              ownerOrg: 'o.owner_org_id',
              author: 'o.author_id',
              tlp: 'o.tlp',
              handlingCode: 'o.handling_code',
            };
            // Both forms of the condition: scopes probed in distribution_scopes, and scope keys on the row.
            const cond = visibleTo(actor, cols);
            const byKeys = visibleTo(actor, { ...cols, scopeKeys: 'o.scope_keys' });
            const rows = await sql<{ id: string }>`select o.id from probe_objects o where ${cond}`.execute(
              db,
            );
            const keyed = await sql<{ id: string }>`select o.id from probe_objects o where ${byKeys}`.execute(
              db,
            );
            const got = new Set(rows.rows.map((r) => r.id));
            expect(new Set(keyed.rows.map((r) => r.id))).toEqual(got);
            for (const o of withIds) {
              pairs++;
              const expected = mayViewModel(actor, o as ModelObject);
              if (expected !== got.has(o.id)) differences++;
              expect({ object: o, actor: spec, visible: got.has(o.id) }).toEqual({
                object: o,
                actor: spec,
                visible: expected,
              });
            }
          }
        },
      ),
      { numRuns: 55, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
    expect(differences).toBe(0);
    expect(pairs).toBeGreaterThanOrEqual(10_000);
  });
});

describe('reference model: rules of DESIGN.md, case by case', () => {
  const base: ModelObject = {
    ownerOrgId: ORGS[0]!,
    authorId: USERS[0]!.id,
    tlp: 'AMBER',
    handlingCode: null,
    distribution: { orgs: [], users: [], communities: [COMMUNITIES[0]!], node: false },
  };
  const privateActor = toActor({ user: USERS[3]!, communities: [COMMUNITIES[0]!], canRead: true });
  const publicActor = toActor({ user: USERS[1]!, communities: [COMMUNITIES[0]!], canRead: true });

  it('a community member sees a community item', () => {
    expect(mayViewModel(publicActor, base)).toBe(true);
    expect(mayViewModel(privateActor, base)).toBe(true);
  });
  it('a private organisation never receives a handling-coded item through a community', () => {
    expect(mayViewModel(privateActor, { ...base, handlingCode: 'H2' })).toBe(false);
    expect(mayViewModel(publicActor, { ...base, handlingCode: 'H2' })).toBe(true);
  });
  it('…unless it is named explicitly', () => {
    const named = {
      ...base,
      handlingCode: 'H2' as const,
      distribution: { ...base.distribution, orgs: [privateActor.orgId] },
    };
    expect(mayViewModel(privateActor, named)).toBe(true);
  });
  it('TLP:RED reaches named users only, not even the owner organisation', () => {
    const red: ModelObject = {
      ...base,
      tlp: 'RED',
      distribution: { orgs: [], users: [USERS[1]!.id], communities: [], node: false },
    };
    expect(mayViewModel(publicActor, red)).toBe(true);
    const colleague = toActor({ user: USERS[5]!, communities: [], canRead: true }); // same org as the author
    expect(colleague.orgId).toBe(base.ownerOrgId);
    expect(mayViewModel(colleague, red)).toBe(false);
  });
});
