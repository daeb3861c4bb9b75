import { type Generated, type Insertable, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import {
  type Actor,
  addUserScope,
  type Distribution,
  scopeKeysOf,
  userScopeKey,
  visibleTo,
  writeDistribution,
} from '../access/index.ts';
import type { Db } from '../platform/database.ts';
import type { ItemKind } from './sharing.schema.ts';

export type SharingTables = {
  items: {
    id: string;
    kind: ItemKind;
    title: string;
    body: string;
    owner_org_id: string;
    author_id: string;
    tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
    handling_code: 'H0' | 'H1' | 'H2' | 'H3' | null;
    source_reliability: 'A' | 'B' | 'C' | 'X' | null;
    info_credibility: '1' | '2' | '3' | '4' | null;
    personal_data: boolean;
    subject_category: string | null;
    review_date: string | null;
    review_flagged_at: Date | null;
    deadline: Date | null;
    external_id: string | null;
    tags: string[];
    created_at: Date;
    updated_at: Date;
    search: string;
    scope_keys: Generated<string[]>;
  };
  item_addressees: { item_id: string; user_id: string };
  observables: {
    id: Generated<number>;
    item_id: string;
    type: string;
    value: string;
    normalized: string;
    subtype: string | null;
  };
  replies: { id: string; item_id: string; author_id: string; org_id: string; body: string; created_at: Date };
  sightings: {
    id: string;
    item_id: string;
    user_id: string;
    org_id: string;
    kind: string;
    note: string | null;
    created_at: Date;
  };
  hits: {
    id: string;
    hidden_item_id: string;
    owner_org_id: string;
    requester_user_id: string;
    requester_org_id: string;
    requester_item_id: string | null;
    observable_type: string;
    normalized: string;
    status: 'new' | 'contact_requested' | 'granted' | 'declined';
    justification: string | null;
    created_at: Date;
    decided_at: Date | null;
    decided_by: string | null;
  };
  attachments: {
    id: string;
    item_id: string;
    filename: string;
    media_type: string;
    size: number;
    sha256: string;
    content: Buffer;
    uploaded_by: string;
    created_at: Date;
  };
  widening_requests: {
    id: string;
    item_id: string;
    requested_by: string;
    requester_org_id: string;
    distribution: string;
    reason: string;
    status: 'pending' | 'approved' | 'declined';
    created_at: Date;
    decided_by: string | null;
    decided_at: Date | null;
  };
};

export type ItemRow = Selectable<SharingTables['items']>;
export type ObservableRow = Selectable<SharingTables['observables']>;

export function t(db: Db): Kysely<SharingTables> {
  return db.withTables<SharingTables>();
}

const ITEM_COLS = {
  id: 'i.id',
  ownerOrg: 'i.owner_org_id',
  author: 'i.author_id',
  tlp: 'i.tlp',
  handlingCode: 'i.handling_code',
  scopeKeys: 'i.scope_keys',
} as const;

/** The one access condition, bound to the `items as i` alias used throughout this store. */
export function itemVisible(actor: Actor) {
  return visibleTo(actor, ITEM_COLS);
}

type ItemInsert = Omit<Insertable<SharingTables['items']>, 'search' | 'scope_keys'>;

/**
 * Writes an item's distribution: the scopes (access module) and, in the same transaction, the
 * row-local scope keys the access condition reads for items. Every change of an item's
 * distribution goes through here or `addItemUserScope`, so the two never disagree.
 */
export async function setItemDistribution(db: Db, itemId: string, d: Distribution): Promise<void> {
  await writeDistribution(db, itemId, d);
  await t(db)
    .updateTable('items')
    .set({ scope_keys: scopeKeysOf(d) })
    .where('id', '=', itemId)
    .execute();
}

/** Adds one named user to an item's distribution (a granted hit). */
export async function addItemUserScope(db: Db, itemId: string, userId: string): Promise<void> {
  await addUserScope(db, itemId, userId);
  const key = userScopeKey(userId);
  await t(db)
    .updateTable('items')
    .set({ scope_keys: sql`array_append(scope_keys, ${key}::text)` })
    .where('id', '=', itemId)
    .where(sql<SqlBool>`not (${key}::text = any(scope_keys))`)
    .execute();
}

export async function insertItem(db: Db, row: ItemInsert): Promise<void> {
  await t(db)
    .insertInto('items')
    .values({
      ...row,
      search: sql<string>`setweight(to_tsvector('portshield', ${row.title}), 'A') || setweight(to_tsvector('portshield', ${row.body}), 'B')`,
    })
    .execute();
}

export async function insertObservables(
  db: Db,
  rows: Insertable<SharingTables['observables']>[],
): Promise<void> {
  // Chunked to stay under the protocol's 65535 bind parameters.
  for (let i = 0; i < rows.length; i += 5000) {
    await t(db)
      .insertInto('observables')
      .values(rows.slice(i, i + 5000))
      .execute();
  }
}

export async function insertAddressees(db: Db, itemId: string, userIds: string[]): Promise<void> {
  if (!userIds.length) return;
  await t(db)
    .insertInto('item_addressees')
    .values([...new Set(userIds)].map((user_id) => ({ item_id: itemId, user_id })))
    .execute();
}

/**
 * Reads one item with a `visible` flag instead of filtering it out, so a denied item and a
 * missing one cost the same query and the caller answers both the same way.
 */
export async function findItemForActor(db: Db, actor: Actor, id: string) {
  return t(db)
    .selectFrom('items as i')
    .selectAll('i')
    .select(itemVisible(actor).as('visible'))
    .where('i.id', '=', id)
    .executeTakeFirst();
}

export interface CorrelationMatch {
  item_id: string;
  title: string;
  kind: ItemKind;
  owner_org_id: string;
  type: string;
  normalized: string;
  visible: boolean;
}

/** One index probe per (type, normalized) pair: the cost does not grow with the number of items. */
/**
 * Values carried by more items than this are not correlated item by item (MISP calls it the
 * correlation limit; its default is 20): a port or a carrier named in thousands of reports says
 * nothing about any one of them, and hits for each hidden item would flood their owners.
 */
export const CORRELATION_LIMIT = 100;

export interface CommonValue {
  type: string;
  normalized: string;
  item_count: number;
}

export async function correlate(
  db: Db,
  actor: Actor,
  pairs: { type: string; normalized: string }[],
  excludeItemId: string | null,
  limit = CORRELATION_LIMIT,
): Promise<{ matches: CorrelationMatch[]; common: CommonValue[] }> {
  if (!pairs.length) return { matches: [], common: [] };
  const exclude = excludeItemId === null ? sql`true` : sql`o.item_id <> ${excludeItemId}::uuid`;
  // Counting first reads only the lookup index; the rows of the items are read for rare values only.
  const counts = await sql<CommonValue>`
    select q.type, q.normalized, count(distinct o.item_id)::int as item_count
    from unnest(${pairs.map((p) => p.type)}::text[], ${pairs.map((p) => p.normalized)}::text[]) as q(type, normalized)
    join observables o on o.type = q.type and o.normalized = q.normalized
    where ${exclude}
    group by q.type, q.normalized`.execute(db);
  const common = counts.rows.filter((c) => c.item_count > limit);
  const rare = counts.rows.filter((c) => c.item_count <= limit);
  if (!rare.length) return { matches: [], common };
  const res = await sql<CorrelationMatch>`
    select distinct o.item_id, i.title, i.kind, i.owner_org_id, o.type, o.normalized, ${itemVisible(actor)} as visible
    from unnest(${rare.map((p) => p.type)}::text[], ${rare.map((p) => p.normalized)}::text[]) as q(type, normalized)
    join observables o on o.type = q.type and o.normalized = q.normalized
    join items i on i.id = o.item_id
    where ${exclude}`.execute(db);
  return { matches: res.rows, common };
}

export async function observablesOf(db: Db, itemId: string) {
  return t(db).selectFrom('observables').selectAll().where('item_id', '=', itemId).orderBy('id').execute();
}

/** Read-only: for each (type, normalized) pair, how many items the actor may see carry it. */
/**
 * For each normalised value, by observable type, the number of items the actor may see that carry
 * it. The values travel as one JSON document (`{"container": [...], "company": [...]}`), which the
 * server unpacks itself: a batch asks about tens of thousands of values, and a JSON text costs the
 * node one JSON.stringify where a text[] parameter costs it an escaped literal per value.
 */
export async function visibleObservableCounts(
  db: Db,
  actor: Actor,
  byType: ReadonlyMap<string, Iterable<string>>,
): Promise<{ type: string; normalized: string; item_count: number }[]> {
  const doc: Record<string, string[]> = {};
  let n = 0;
  for (const [type, values] of byType) {
    const list = [...values];
    if (list.length === 0) continue;
    doc[type] = list;
    n += list.length;
  }
  if (n === 0) return [];
  // One probe of the (type, normalized) index per value, and of the items' primary key per match:
  // lateral subqueries (`offset 0` keeps them from being flattened) fix that plan whatever the
  // statistics say, where an ordinary join may be planned as a hash join over every observable.
  const res = await sql<{ type: string; normalized: string; item_count: number }>`
    select q.type, q.normalized, count(distinct o.item_id)::int as item_count
    from (
      select t.key as type, v.value as normalized
      from json_each(${JSON.stringify(doc)}::json) t, json_array_elements_text(t.value) v
    ) q
    cross join lateral (
      select o.item_id from observables o where o.type = q.type and o.normalized = q.normalized offset 0
    ) o
    cross join lateral (select 1 from items i where i.id = o.item_id and ${itemVisible(actor)} offset 0) v
    group by q.type, q.normalized`.execute(db);
  return res.rows;
}

/**
 * Items the actor may see that carry one of these normalised values as an observable of `type`,
 * newest first: what another module shows beside its own record of the value (a wallet's cluster).
 */
export async function visibleItemsWith(db: Db, actor: Actor, type: string, values: string[], limit: number) {
  if (!values.length) return [];
  const res = await sql<{
    item_id: string;
    title: string;
    kind: ItemKind;
    personal_data: boolean;
    normalized: string;
    created_at: Date;
  }>`
    select distinct on (i.created_at, i.id) i.id as item_id, i.title, i.kind, i.personal_data, o.normalized, i.created_at
    from observables o join items i on i.id = o.item_id
    where o.type = ${type} and o.normalized = any(${values}::text[]) and ${itemVisible(actor)}
    order by i.created_at desc, i.id
    limit ${limit}`.execute(db);
  return res.rows;
}

export async function addresseesOf(db: Db, itemId: string): Promise<string[]> {
  const rows = await t(db)
    .selectFrom('item_addressees')
    .select('user_id')
    .where('item_id', '=', itemId)
    .execute();
  return rows.map((r) => r.user_id);
}

export async function repliesOf(db: Db, itemId: string) {
  return t(db)
    .selectFrom('replies')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('created_at')
    .execute();
}

export async function sightingsOf(db: Db, itemId: string) {
  return t(db)
    .selectFrom('sightings')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('created_at')
    .execute();
}

export interface ListFilter {
  q?: string | undefined;
  kind?: ItemKind | undefined;
  tlp?: string | undefined;
  observableCandidates?: string[] | undefined;
  addressedTo?: string | undefined;
  limit: number;
  offset: number;
  /** Defaults to LIST_COUNT_CAP; tests lower it. */
  countCap?: number;
}

function filtered(db: Db, actor: Actor, f: ListFilter) {
  let q = t(db).selectFrom('items as i').where(itemVisible(actor));
  if (f.kind) q = q.where('i.kind', '=', f.kind);
  if (f.tlp) q = q.where('i.tlp', '=', f.tlp as ItemRow['tlp']);
  if (f.q) q = q.where(sql<SqlBool>`i.search @@ websearch_to_tsquery('portshield', ${f.q})`);
  if (f.observableCandidates?.length) {
    const c = f.observableCandidates;
    q = q.where(
      sql<SqlBool>`exists (select 1 from observables o where o.item_id = i.id and o.normalized = any(${c}::text[]))`,
    );
  }
  if (f.addressedTo) {
    const u = f.addressedTo;
    q = q.where(
      sql<SqlBool>`exists (select 1 from item_addressees a where a.item_id = i.id and a.user_id = ${u}::uuid)`,
    );
  }
  return q;
}

/**
 * Counting stops here: the exact total of a broad search means visiting every visible match
 * (seconds at a million items), so lists say "1,000+" instead.
 */
export const LIST_COUNT_CAP = 1000;

/**
 * One page of the items the actor may see, and how many there are up to LIST_COUNT_CAP.
 *
 * One candidate query takes the newest `cap` + 1 visible matches (ids only): its length
 * is the capped count, and a text query is ranked (ts_rank) among those candidates only. PostgreSQL
 * walks `items_created_idx` for broad terms and stops after the cap, or takes the GIN index for
 * rare ones, so neither the count nor the ranking visits every match. Pages past the candidates
 * of an unqueried list are read by date directly.
 */
export async function listItems(db: Db, actor: Actor, f: ListFilter) {
  const cap = f.countCap ?? LIST_COUNT_CAP;
  const window = cap + 1;
  const newest = filtered(db, actor, f)
    .select(['i.id', 'i.created_at', 'i.search'])
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id')
    .limit(window);
  // The rank is computed outside the limited subquery so that at most `window` rows are ranked.
  const candidates = await t(db)
    .selectFrom(newest.as('c'))
    .select(['c.id', 'c.created_at'])
    .select(
      f.q
        ? sql<number>`ts_rank(c.search, websearch_to_tsquery('portshield', ${f.q}))`.as('rank')
        : sql<number>`0`.as('rank'),
    )
    .execute();
  if (f.q) candidates.sort((a, b) => b.rank - a.rank || b.created_at.getTime() - a.created_at.getTime());
  const total = Math.min(candidates.length, cap);
  const totalCapped = candidates.length > cap;
  const end = f.offset + f.limit;
  let pageIds: string[];
  if (end <= window || f.q) pageIds = candidates.slice(f.offset, end).map((c) => c.id);
  else {
    const page = await filtered(db, actor, f)
      .select('i.id')
      .orderBy('i.created_at', 'desc')
      .orderBy('i.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    pageIds = page.map((r) => r.id);
  }
  if (!pageIds.length) return { rows: [], total, totalCapped };
  const found = await t(db)
    .selectFrom('items as i')
    .selectAll('i')
    .select(
      sql<number>`(select count(*)::int from observables o where o.item_id = i.id)`.as('observable_count'),
    )
    .where('i.id', 'in', pageIds)
    .execute();
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = pageIds.flatMap((id) => byId.get(id) ?? []);
  return { rows, total, totalCapped };
}

export async function insertReply(db: Db, r: SharingTables['replies']): Promise<void> {
  await t(db).insertInto('replies').values(r).execute();
}

export async function insertSighting(db: Db, s: SharingTables['sightings']): Promise<void> {
  await t(db).insertInto('sightings').values(s).execute();
}

export async function insertHits(db: Db, hits: SharingTables['hits'][]): Promise<void> {
  // Chunked to stay under the protocol's 65535 bind parameters (13 per hit): a value shared by
  // thousands of hidden items must not make the publish fail.
  for (let i = 0; i < hits.length; i += 4000) {
    await t(db)
      .insertInto('hits')
      .values(hits.slice(i, i + 4000))
      .execute();
  }
}

export async function findHit(db: Db, id: string) {
  return t(db).selectFrom('hits').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateHit(db: Db, id: string, set: Partial<SharingTables['hits']>): Promise<void> {
  await t(db).updateTable('hits').set(set).where('id', '=', id).execute();
}

export async function hitsFor(db: Db, actor: Actor, limit = 100) {
  const owned = await t(db)
    .selectFrom('hits as h')
    .innerJoin('items as i', 'i.id', 'h.hidden_item_id')
    .selectAll('h')
    .select('i.title as item_title')
    .where('h.owner_org_id', '=', actor.orgId)
    .orderBy('h.created_at', 'desc')
    .limit(limit)
    .execute();
  const mine = await t(db)
    .selectFrom('hits as h')
    .selectAll('h')
    .where('h.requester_user_id', '=', actor.userId)
    .orderBy('h.created_at', 'desc')
    .limit(limit)
    .execute();
  return { owned, mine };
}

export async function insertWidening(db: Db, w: SharingTables['widening_requests']): Promise<void> {
  await t(db).insertInto('widening_requests').values(w).execute();
}

export async function findWidening(db: Db, id: string) {
  return t(db).selectFrom('widening_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateWidening(db: Db, id: string, set: Partial<SharingTables['widening_requests']>) {
  await t(db).updateTable('widening_requests').set(set).where('id', '=', id).execute();
}

export async function pendingWideningsForOrg(db: Db, orgId: string) {
  return t(db)
    .selectFrom('widening_requests as w')
    .innerJoin('items as i', 'i.id', 'w.item_id')
    .selectAll('w')
    .select('i.title as item_title')
    .where('i.owner_org_id', '=', orgId)
    .where('w.status', '=', 'pending')
    .orderBy('w.created_at', 'desc')
    .execute();
}

export async function touchItem(db: Db, id: string, at: Date): Promise<void> {
  await t(db).updateTable('items').set({ updated_at: at }).where('id', '=', id).execute();
}

export async function itemsDueForReview(db: Db, today: string) {
  return t(db)
    .selectFrom('items')
    .select(['id', 'owner_org_id', 'author_id', 'title', 'review_date', 'review_flagged_at'])
    .where('personal_data', '=', true)
    .where('review_date', '<=', today)
    .execute();
}

export async function flagForReview(db: Db, id: string, at: Date): Promise<void> {
  await t(db).updateTable('items').set({ review_flagged_at: at }).where('id', '=', id).execute();
}

export async function deleteItem(db: Db, id: string): Promise<void> {
  await t(db).deleteFrom('items').where('id', '=', id).execute();
}

export async function setReviewDate(db: Db, id: string, date: string): Promise<void> {
  await t(db)
    .updateTable('items')
    .set({ review_date: date, review_flagged_at: null })
    .where('id', '=', id)
    .execute();
}

export async function insertAttachment(db: Db, a: SharingTables['attachments']): Promise<void> {
  await t(db).insertInto('attachments').values(a).execute();
}

export async function attachmentsOf(db: Db, itemId: string) {
  return t(db)
    .selectFrom('attachments')
    .select(['id', 'filename', 'media_type', 'size', 'sha256', 'created_at'])
    .where('item_id', '=', itemId)
    .orderBy('created_at')
    .execute();
}

export async function findAttachment(db: Db, itemId: string, id: string) {
  return t(db)
    .selectFrom('attachments')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('id', '=', id)
    .executeTakeFirst();
}
