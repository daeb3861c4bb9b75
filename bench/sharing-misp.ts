/**
 * The same correlation done the MISP way, for comparison: a pairwise table with one row per pair
 * of attributes sharing a value, carrying both sides' event, organisation and distribution, as
 * MISP's `default_correlations` does (with `correlation_values` holding each value once and
 * `over_correlating_values` the values left out because they recur more than
 * MISP.correlation_limit times, 20 by default). Ids are 4-byte integers, as in MISP, so the row
 * is no wider than MISP's own.
 *
 * Written from the published description of those tables; no MISP code is used.
 */
import type pg from 'pg';

/** MISP.correlation_limit default: values shared by more attributes are not correlated. */
export const MISP_CORRELATION_LIMIT = 20;

const PAIR_COLUMNS = `value_id,
  "1_event_id", "1_object_id", "1_attribute_id", "1_org_id", "1_distribution", "1_event_distribution",
  "1_object_distribution", "1_sharing_group_id", "1_event_sharing_group_id", "1_object_sharing_group_id",
  event_id, object_id, attribute_id, org_id, distribution, event_distribution,
  object_distribution, sharing_group_id, event_sharing_group_id, object_sharing_group_id`;

/** The columns for pair (a, b); `ea`/`eb` are rows of misp_events, `v` of misp_correlation_values. */
const PAIR_VALUES = `v.id,
  ea.event_no, 0, a.id::int, ea.org_no, 5, ea.distribution, 0, 0, ea.sharing_group_id, 0,
  eb.event_no, 0, b.id::int, eb.org_no, 5, eb.distribution, 0, 0, eb.sharing_group_id, 0`;

/**
 * MISP's events table equivalent (untimed: MISP has its events already): an integer id, owner
 * organisation and a distribution code per item (0 organisation only, 3 all communities,
 * 4 sharing group for named organisations, users or communities). `pending` marks the items
 * published by the benchmark, kept out of the initial build so their upkeep can be measured.
 */
export async function createMispEvents(c: pg.ClientBase, pendingItemIds: string[]): Promise<void> {
  await c.query(
    `create table misp_orgs as select id, (row_number() over (order by id))::int as org_no from organisations`,
  );
  await c.query('alter table misp_orgs add primary key (id)');
  await c.query(
    `create table misp_events as
    select i.id as item_id, (row_number() over (order by i.created_at, i.id))::int as event_no, o.org_no,
      (case when s.has_node then 3 when s.n > 0 then 4 else 0 end)::smallint as distribution,
      (case when s.n > 0 and not s.has_node then 1 + abs(hashtext(s.first_ref)) % 100000 else 0 end)::int as sharing_group_id,
      i.id = any($1::uuid[]) as pending
    from items i
    join misp_orgs o on o.id = i.owner_org_id
    left join lateral (select bool_or(kind = 'node') as has_node, count(*) as n, min(ref::text) as first_ref
                       from distribution_scopes d where d.object_id = i.id) s on true`,
    [pendingItemIds],
  );
  await c.query('alter table misp_events add primary key (item_id)');
  await c.query('analyze misp_events');
}

export interface MispBuild {
  seconds: number;
  pairs: number;
  values: number;
  overCorrelating: number;
  tableBytes: number;
  estimatedPairs: number;
}

/** Builds the pairwise table for every non-pending item: timed, as MISP's "recorrelate" would be. */
export async function buildMispCorrelations(c: pg.ClientBase): Promise<MispBuild> {
  const t0 = performance.now();
  await c.query(`create table misp_correlation_values (id serial primary key, value text not null)`);
  await c.query(
    `create table misp_over_correlating_values (type text not null, value text not null, occurrence int not null)`,
  );
  await c.query(`create table misp_correlations (
    id serial primary key,
    value_id int not null,
    "1_event_id" int not null, "1_object_id" int not null, "1_attribute_id" int not null, "1_org_id" int not null,
    "1_distribution" smallint not null, "1_event_distribution" smallint not null, "1_object_distribution" smallint not null,
    "1_sharing_group_id" int not null, "1_event_sharing_group_id" int not null, "1_object_sharing_group_id" int not null,
    event_id int not null, object_id int not null, attribute_id int not null, org_id int not null,
    distribution smallint not null, event_distribution smallint not null, object_distribution smallint not null,
    sharing_group_id int not null, event_sharing_group_id int not null, object_sharing_group_id int not null)`);
  // Values seen more than once among the non-pending items, with their number of attributes.
  await c.query(`create temp table misp_counts as
    select o.type, o.normalized, count(*)::int as n
    from observables o join misp_events e on e.item_id = o.item_id and not e.pending
    group by o.type, o.normalized having count(*) > 1`);
  await c.query(
    `insert into misp_over_correlating_values select type, normalized, n from misp_counts where n > $1`,
    [MISP_CORRELATION_LIMIT],
  );
  await c.query('create unique index misp_over_correlating_idx on misp_over_correlating_values(type, value)');
  const est = await c.query<{ p: string | null }>(
    `select sum(n::bigint * (n - 1) / 2) as p from misp_counts where n <= $1`,
    [MISP_CORRELATION_LIMIT],
  );
  const estimatedPairs = Number(est.rows[0]?.p ?? 0);
  await c.query(
    `insert into misp_correlation_values (value) select distinct normalized from misp_counts where n <= $1`,
    [MISP_CORRELATION_LIMIT],
  );
  await c.query('create unique index misp_correlation_values_value_idx on misp_correlation_values(value)');
  await c.query(
    `insert into misp_correlations (${PAIR_COLUMNS})
     select ${PAIR_VALUES}
     from misp_counts s
     join misp_correlation_values v on v.value = s.normalized
     join observables a on a.type = s.type and a.normalized = s.normalized
     join observables b on b.type = s.type and b.normalized = s.normalized and b.id > a.id and b.item_id <> a.item_id
     join misp_events ea on ea.item_id = a.item_id and not ea.pending
     join misp_events eb on eb.item_id = b.item_id and not eb.pending
     where s.n <= $1`,
    [MISP_CORRELATION_LIMIT],
  );
  // The indexes of MISP's default_correlations.
  for (const col of ['event_id', 'attribute_id', 'object_id', 'org_id', '1_event_id', '1_attribute_id']) {
    await c.query(`create index "misp_correlations_${col}_idx" on misp_correlations("${col}")`);
  }
  const seconds = (performance.now() - t0) / 1000;
  await c.query('analyze misp_correlations');
  const r = await c.query<{ pairs: string; values: string; over: string; bytes: string }>(
    `select (select count(*) from misp_correlations) as pairs, (select count(*) from misp_correlation_values) as values,
       (select count(*) from misp_over_correlating_values) as over,
       pg_total_relation_size('misp_correlations') + pg_total_relation_size('misp_correlation_values') as bytes`,
  );
  const row = r.rows[0]!;
  return {
    seconds,
    pairs: Number(row.pairs),
    values: Number(row.values),
    overCorrelating: Number(row.over),
    tableBytes: Number(row.bytes),
    estimatedPairs,
  };
}

/**
 * What publishing one item costs the MISP way on top of the lookup: register the item's
 * correlating values and insert one row per pair with every earlier attribute sharing a value
 * (over-correlating values skipped). Returns the number of pairs written.
 */
export async function maintainForItem(c: pg.ClientBase, itemId: string): Promise<number> {
  await c.query('update misp_events set pending = false where item_id = $1', [itemId]);
  await c.query(
    `insert into misp_correlation_values (value)
     select distinct n.normalized from observables n
     where n.item_id = $1
       and exists (select 1 from observables o where o.type = n.type and o.normalized = n.normalized and o.item_id <> n.item_id)
       and not exists (select 1 from misp_over_correlating_values x where x.type = n.type and x.value = n.normalized)
       and not exists (select 1 from misp_correlation_values v where v.value = n.normalized)`,
    [itemId],
  );
  const r = await c.query(
    `insert into misp_correlations (${PAIR_COLUMNS})
     select ${PAIR_VALUES}
     from observables a
     join observables b on b.type = a.type and b.normalized = a.normalized and b.item_id <> a.item_id
     join misp_events ea on ea.item_id = a.item_id
     join misp_events eb on eb.item_id = b.item_id and not eb.pending
     join misp_correlation_values v on v.value = a.normalized
     where a.item_id = $1
       and not exists (select 1 from misp_over_correlating_values x where x.type = a.type and x.value = a.normalized)`,
    [itemId],
  );
  return r.rowCount ?? 0;
}
