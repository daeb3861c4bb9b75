/**
 * All SQL of the cargo module. Reads of declarations filter with the access module's `visibleTo`
 * (a declaration is an object of its owner organisation, marked AMBER+STRICT and never
 * distributed), so a declaration of another organisation reads exactly like a missing one.
 */
import { type Kysely, sql } from 'kysely';
import { type Actor, visibleTo } from '../access/index.ts';
import type { Db } from '../platform/database.ts';
import { type BinaryCopyWriter, type CopyIn, copyIn, encodeFields } from '../platform/pg-copy.ts';
import type { Declaration } from './declaration.ts';
import { writeDeclarationJson } from './declaration-json.ts';
import { History, type HistoryJSON } from './history.ts';

export type CargoTables = {
  cargo_batches: {
    id: string;
    org_id: string;
    author_id: string;
    format: string;
    accepted: number;
    amended: number;
    quarantined: number;
    created_at: Date;
  };
  cargo_quarantine: {
    batch_id: string;
    org_id: string;
    row_number: number;
    field: string;
    reason: string;
    code: string;
    raw: string;
    created_at: Date;
  };
  cargo_declarations: {
    id: string;
    owner_org_id: string;
    author_id: string;
    tlp: string;
    handling_code: string | null;
    reference: string;
    version: number;
    container: string;
    container_type: string;
    port: string;
    loading: string;
    vessel_imo: string;
    vessel_name: string | null;
    shipper_key: string;
    consignee_key: string;
    hs: string;
    filed_at: Date;
    eta: Date;
    eta_day: string;
    declaration: unknown;
    score: number;
    channel: 'red' | 'amber' | 'green';
    reasons: unknown;
    rule_set_version: number | null;
    /** Of the current version (a version row once superseded). */
    changes: string[];
    batch_id: string | null;
    rule_set_hash: string | null;
    watchlist_version: string | null;
    created_at: Date;
    updated_at: Date;
  };
  cargo_declaration_versions: {
    declaration_id: string;
    version: number;
    filed_at: Date;
    changes: string[];
    batch_id: string;
    recorded_at: Date;
    score: number;
    channel: string;
    rule_set_version: number | null;
    rule_set_hash: string | null;
    watchlist_version: string | null;
    declaration: unknown;
    reasons: unknown;
  };
  cargo_history: {
    org_id: string;
    seq: number;
    observed: number;
    snapshot: unknown;
    snapshot_seq: number;
    updated_at: Date;
  };
  cargo_history_log: { org_id: string; seq: number; declaration_ids: string[] };
  cargo_port_settings: {
    org_id: string;
    port: string;
    capacity: number;
    red: number;
    amber: number;
    updated_by: string;
    updated_at: Date;
  };
  cargo_assignments: { declaration_id: string; assignee_id: string; assigned_by: string; assigned_at: Date };
  cargo_inspections: {
    id: string;
    declaration_id: string;
    org_id: string;
    outcome: 'nothing' | 'seizure';
    drug: string | null;
    kilograms: number | null;
    concealment: string | null;
    notes: string | null;
    inspector_id: string;
    inspected_at: Date;
  };
  cargo_alerts: { declaration_id: string; item_id: string; created_by: string; created_at: Date };
  cargo_rule_sets: {
    org_id: string;
    version: number;
    yaml: string;
    doc: unknown;
    hash: string;
    author_id: string;
    comment: string;
    created_at: Date;
  };
  cargo_watchlist_entries: {
    id: string;
    org_id: string;
    list: string;
    entry_id: string;
    kind: string;
    entry: unknown;
    created_by: string;
    created_at: Date;
  };
  cargo_watchlist_state: { org_id: string; version: number };
};

export type DeclarationRow = CargoTables['cargo_declarations'];
export type InspectionRow = CargoTables['cargo_inspections'];

export function t(db: Db): Kysely<CargoTables> {
  return db.withTables<CargoTables>();
}

const DECLARATION_COLS = {
  id: 'd.id',
  ownerOrg: 'd.owner_org_id',
  author: 'd.author_id',
  tlp: 'd.tlp',
  handlingCode: 'd.handling_code',
} as const;

/** The one access condition, bound to the `cargo_declarations as d` alias used below. */
export function declarationVisible(actor: Actor) {
  return visibleTo(actor, DECLARATION_COLS);
}

/** jsonb comes back parsed from both drivers; older paths may hand text. */
export function json<T>(x: unknown): T {
  return (typeof x === 'string' ? JSON.parse(x) : x) as T;
}

/** Rows per multi-row INSERT (keeps bind parameters far below the protocol limit of 65,535). */
const CHUNK = 400;

async function insertChunked<K extends keyof CargoTables>(
  db: Db,
  table: K,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // The rows are typed by the callers below; the generic table makes Kysely's row type opaque here.
    await t(db)
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
  }
}

/** Serialises the ingest batches of one organisation (history is read, changed and written back). */
export async function lockOrgIngest(tx: Db, orgId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(5000452, hashtext(${orgId}))`.execute(tx);
}

/* —— ingest —— */

export async function insertBatch(db: Db, row: CargoTables['cargo_batches']): Promise<void> {
  await t(db).insertInto('cargo_batches').values(row).execute();
}

/** PostgreSQL text cannot hold U+0000: a refused row is kept with U+FFFD in its place. */
const storable = (s: string) => (s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s);

export async function insertQuarantine(db: Db, rows: CargoTables['cargo_quarantine'][]): Promise<void> {
  await insertChunked(
    db,
    'cargo_quarantine',
    rows.map((r) => ({ ...r, field: storable(r.field), reason: storable(r.reason), raw: storable(r.raw) })),
  );
}

export async function quarantineOf(db: Db, orgId: string, batchId: string) {
  return t(db)
    .selectFrom('cargo_quarantine')
    .select(['row_number', 'field', 'reason', 'code', 'raw'])
    .where('org_id', '=', orgId)
    .where('batch_id', '=', batchId)
    .orderBy('row_number')
    .execute();
}

/**
 * Current versions of the organisation's declarations with these references: one probe of the
 * (organisation, reference) unique index per reference. Written as a lateral join so that the plan
 * is that whatever the statistics say (the `limit 1`, harmless under the unique constraint, keeps
 * the planner from flattening the lateral join into an ordinary one): with the estimate of a table that grew since it was last
 * analysed, the planner otherwise scans every declaration of the organisation (seen: 100 ms a
 * batch at 100,000 declarations, growing with the table).
 */
export async function currentByReference(db: Db, orgId: string, references: readonly string[]) {
  if (references.length === 0) return [];
  const res = await sql<{ id: string; reference: string; version: number; declaration: string }>`
    select d.id, d.reference, d.version, d.declaration
    from unnest(${[...references]}::text[]) as r(reference)
    cross join lateral (
      select id, reference, version, declaration from cargo_declarations
      where owner_org_id = ${orgId}::uuid and reference = r.reference
      limit 1
    ) d`.execute(db);
  return res.rows;
}

/*
 * Ingest writes each table with one statement per batch: `insert … select … from unnest(…)`, one
 * array parameter per column. The declaration bodies and reasons, already JSON text (stringified
 * once by the service), travel as one newline-separated text each (JSON text never holds a raw
 * newline) split on the server, so no driver escapes megabytes of array literal. Batch-wide values
 * (organisation, author, times) are single parameters.
 */

/** Rows per ingest statement: bounds the size of the parameters (~1.5 KB a row). */
const INGEST_CHUNK = 10_000;

/** A current declaration with its body and reasons as JSON text (stringified once by the service). */
export interface DeclarationRowText {
  id: string;
  reference: string;
  version: number;
  container: string;
  container_type: string;
  port: string;
  loading: string;
  vessel_imo: string;
  vessel_name: string | null;
  shipper_key: string;
  consignee_key: string;
  hs: string;
  /** Epoch milliseconds. */
  filed_at: number;
  /** Epoch milliseconds. */
  eta: number;
  eta_day: string;
  declaration: string;
  score: number;
  channel: 'red' | 'amber' | 'green';
  reasons: string;
  rule_set_version: number | null;
  rule_set_hash: string | null;
  watchlist_version: string | null;
  /** The parts this version changed (empty for a first filing). */
  changes: string[];
}

/** The version row of a current row written earlier in the same batch and superseded in it. */
export function versionRowOf(r: DeclarationRowText): VersionRowText {
  return {
    declaration_id: r.id,
    version: r.version,
    filed_at: r.filed_at,
    changes: r.changes,
    score: r.score,
    channel: r.channel,
    rule_set_version: r.rule_set_version,
    rule_set_hash: r.rule_set_hash,
    watchlist_version: r.watchlist_version,
    declaration: r.declaration,
    reasons: r.reasons,
  };
}

/** What the rows of one batch share. */
export interface IngestWrite {
  orgId: string;
  authorId: string;
  batchId: string;
  at: Date;
}

const col = <R, V>(rows: readonly R[], f: (r: R) => V): V[] => rows.map(f);
const iso = (ms: number) => new Date(ms).toISOString();
const lines = <R>(rows: readonly R[], f: (r: R) => string): string => rows.map(f).join('\n');

/**
 * The columns `encodeNewDeclaration` writes, in its order: the batch's constants first, encoded
 * once per batch (`batchFields`), then the row's own.
 */
const NEW_DECLARATION_COLUMNS = [
  'owner_org_id',
  'author_id',
  'tlp',
  'created_at',
  'updated_at',
  'batch_id',
  'id',
  'reference',
  'version',
  'container',
  'container_type',
  'port',
  'loading',
  'vessel_imo',
  'vessel_name',
  'shipper_key',
  'consignee_key',
  'hs',
  'filed_at',
  'eta',
  'eta_day',
  'declaration',
  'score',
  'channel',
  'reasons',
  'rule_set_version',
  'changes',
  'rule_set_hash',
  'watchlist_version',
] as const;

/**
 * Starts the COPY of a batch's new declarations (references the organisation has not stored):
 * rows encoded by `encodeNewDeclaration` are streamed while the batch is scored. The caller holds
 * the organisation's ingest lock and has checked that none of these references is stored.
 */
export function copyNewDeclarations(tx: Db): CopyIn {
  return copyIn(tx, 'cargo_declarations', NEW_DECLARATION_COLUMNS);
}

const batchFieldsOf = new WeakMap<IngestWrite, Uint8Array>();

/** The fields every row of the batch shares, encoded once. */
function batchFields(batch: IngestWrite): Uint8Array {
  let f = batchFieldsOf.get(batch);
  if (f === undefined) {
    const at = batch.at.getTime();
    f = encodeFields((w) => {
      w.uuid(batch.orgId);
      w.uuid(batch.authorId);
      w.text('AMBER+STRICT');
      w.timestamptz(at);
      w.timestamptz(at);
      w.uuid(batch.batchId);
    });
    batchFieldsOf.set(batch, f);
  }
  return f;
}

/**
 * One new declaration for `copyNewDeclarations`, in NEW_DECLARATION_COLUMNS order; its body is
 * the JSON text already made, or the declaration itself, written as JSON into the buffer (the
 * row's `declaration` is not read).
 */
export function encodeNewDeclaration(
  w: BinaryCopyWriter,
  batch: IngestWrite,
  r: DeclarationRowText,
  body: string | Declaration,
): void {
  w.row(NEW_DECLARATION_COLUMNS.length);
  w.fields(batchFields(batch));
  w.uuid(r.id);
  w.text(r.reference);
  w.int4(r.version);
  w.text(r.container);
  w.text(r.container_type);
  w.text(r.port);
  w.text(r.loading);
  w.text(r.vessel_imo);
  w.text(r.vessel_name);
  w.text(r.shipper_key);
  w.text(r.consignee_key);
  w.text(r.hs);
  w.timestamptz(r.filed_at);
  w.timestamptz(r.eta);
  w.text(r.eta_day);
  if (typeof body === 'string') w.text(body);
  else writeDeclarationJson(w, body);
  w.float8(r.score);
  w.text(r.channel);
  w.text(r.reasons);
  w.int4(r.rule_set_version);
  w.textArray(r.changes);
  w.text(r.rule_set_hash);
  w.text(r.watchlist_version);
}

/** Inserts new declarations and overwrites amended ones (same organisation and reference). */
export async function upsertDeclarations(
  db: Db,
  w: IngestWrite,
  all: readonly DeclarationRowText[],
): Promise<void> {
  for (let i = 0; i < all.length; i += INGEST_CHUNK) {
    const rows = all.slice(i, i + INGEST_CHUNK);
    await sql`insert into cargo_declarations (id, owner_org_id, author_id, tlp, handling_code, reference,
        version, container, container_type, port, loading, vessel_imo, vessel_name, shipper_key,
        consignee_key, hs, filed_at, eta, eta_day, declaration, score, channel, reasons,
        rule_set_version, created_at, updated_at, changes, batch_id, rule_set_hash, watchlist_version)
      select r.id, ${w.orgId}::uuid, ${w.authorId}::uuid, 'AMBER+STRICT', null, r.reference,
        r.version, r.container, r.container_type, r.port, r.loading, r.vessel_imo, r.vessel_name,
        r.shipper_key, r.consignee_key, r.hs, r.filed_at, r.eta, r.eta_day, r.declaration, r.score,
        r.channel, r.reasons, r.rule_set_version, ${w.at}::timestamptz, ${w.at}::timestamptz,
        string_to_array(r.changes, ','), ${w.batchId}::uuid, r.rule_set_hash, r.watchlist_version
      from unnest(
        ${col(rows, (r) => r.id)}::uuid[], ${col(rows, (r) => r.reference)}::text[],
        ${col(rows, (r) => r.version)}::int[], ${col(rows, (r) => r.container)}::text[],
        ${col(rows, (r) => r.container_type)}::text[], ${col(rows, (r) => r.port)}::text[],
        ${col(rows, (r) => r.loading)}::text[], ${col(rows, (r) => r.vessel_imo)}::text[],
        ${col(rows, (r) => r.vessel_name)}::text[], ${col(rows, (r) => r.shipper_key)}::text[],
        ${col(rows, (r) => r.consignee_key)}::text[], ${col(rows, (r) => r.hs)}::text[],
        ${col(rows, (r) => iso(r.filed_at))}::timestamptz[],
        ${col(rows, (r) => iso(r.eta))}::timestamptz[], ${col(rows, (r) => r.eta_day)}::text[],
        string_to_array(${lines(rows, (r) => r.declaration)}, E'\n'),
        ${col(rows, (r) => r.score)}::float8[], ${col(rows, (r) => r.channel)}::text[],
        string_to_array(${lines(rows, (r) => r.reasons)}, E'\n'),
        ${col(rows, (r) => r.rule_set_version)}::int[],
        ${col(rows, (r) => r.changes.join(','))}::text[], ${col(rows, (r) => r.rule_set_hash)}::text[],
        ${col(rows, (r) => r.watchlist_version)}::text[]
      ) as r(id, reference, version, container, container_type, port, loading, vessel_imo,
        vessel_name, shipper_key, consignee_key, hs, filed_at, eta, eta_day, declaration, score,
        channel, reasons, rule_set_version, changes, rule_set_hash, watchlist_version)
      on conflict (owner_org_id, reference) do update set
        version = excluded.version, container = excluded.container,
        container_type = excluded.container_type, port = excluded.port, loading = excluded.loading,
        vessel_imo = excluded.vessel_imo, vessel_name = excluded.vessel_name,
        shipper_key = excluded.shipper_key, consignee_key = excluded.consignee_key, hs = excluded.hs,
        filed_at = excluded.filed_at, eta = excluded.eta, eta_day = excluded.eta_day,
        declaration = excluded.declaration, score = excluded.score, channel = excluded.channel,
        reasons = excluded.reasons, rule_set_version = excluded.rule_set_version,
        updated_at = excluded.updated_at, changes = excluded.changes, batch_id = excluded.batch_id,
        rule_set_hash = excluded.rule_set_hash, watchlist_version = excluded.watchlist_version`.execute(db);
  }
}

/**
 * Before their declarations are overwritten by newer versions: the stored current versions become
 * version rows, body and reasons included (server-side, nothing travels).
 */
export async function moveSupersededToVersions(db: Db, declarationIds: readonly string[]): Promise<void> {
  if (declarationIds.length === 0) return;
  await sql`insert into cargo_declaration_versions (declaration_id, version, filed_at, changes,
      batch_id, recorded_at, score, channel, rule_set_version, rule_set_hash, watchlist_version,
      declaration, reasons)
    select d.id, d.version, d.filed_at, d.changes, d.batch_id, d.updated_at, d.score, d.channel,
      d.rule_set_version, d.rule_set_hash, d.watchlist_version, d.declaration, d.reasons
    from cargo_declarations d
    where d.id = any(${[...declarationIds]}::uuid[])`.execute(db);
}

/** A superseded version, with its body and reasons. */
export interface VersionRowText {
  declaration_id: string;
  version: number;
  /** Epoch milliseconds. */
  filed_at: number;
  changes: string[];
  score: number;
  channel: string;
  rule_set_version: number | null;
  rule_set_hash: string | null;
  watchlist_version: string | null;
  declaration: string;
  reasons: string;
}

export async function insertVersions(db: Db, w: IngestWrite, all: readonly VersionRowText[]): Promise<void> {
  for (let i = 0; i < all.length; i += INGEST_CHUNK) {
    const rows = all.slice(i, i + INGEST_CHUNK);
    // Parts are identifiers (no commas): one comma-joined text per row, since unnest cannot
    // take a ragged two-dimensional array.
    await sql`insert into cargo_declaration_versions (declaration_id, version, filed_at, changes,
        batch_id, recorded_at, score, channel, rule_set_version, rule_set_hash, watchlist_version,
        declaration, reasons)
      select r.declaration_id, r.version, r.filed_at, string_to_array(r.changes, ','),
        ${w.batchId}::uuid, ${w.at}::timestamptz, r.score, r.channel, r.rule_set_version,
        r.rule_set_hash, r.watchlist_version, r.declaration, r.reasons
      from unnest(
        ${col(rows, (r) => r.declaration_id)}::uuid[], ${col(rows, (r) => r.version)}::int[],
        ${col(rows, (r) => iso(r.filed_at))}::timestamptz[],
        ${col(rows, (r) => r.changes.join(','))}::text[], ${col(rows, (r) => r.score)}::float8[],
        ${col(rows, (r) => r.channel)}::text[], ${col(rows, (r) => r.rule_set_version)}::int[],
        ${col(rows, (r) => r.rule_set_hash)}::text[], ${col(rows, (r) => r.watchlist_version)}::text[],
        ${col(rows, (r) => r.declaration)}::text[], ${col(rows, (r) => r.reasons)}::text[]
      ) as r(declaration_id, version, filed_at, changes, score, channel, rule_set_version,
        rule_set_hash, watchlist_version, declaration, reasons)`.execute(db);
  }
}

/** Where the organisation's history stands (seq 0: nothing observed yet). */
export async function historyHead(db: Db, orgId: string): Promise<{ seq: number; snapshotSeq: number }> {
  const r = await t(db)
    .selectFrom('cargo_history')
    .select(['seq', 'snapshot_seq'])
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return r === undefined
    ? { seq: 0, snapshotSeq: 0 }
    : { seq: Number(r.seq), snapshotSeq: Number(r.snapshot_seq) };
}

async function historySnapshot(db: Db, orgId: string) {
  return t(db)
    .selectFrom('cargo_history')
    .select(['snapshot', 'snapshot_seq'])
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}

/**
 * The declarations added to history after batch `afterSeq`, in the order they were observed: the
 * body of each one's first version (kept in its version row once superseded, else current).
 */
async function historyLogSince(db: Db, orgId: string, afterSeq: number) {
  const res = await sql<{ declaration: unknown }>`
    select coalesce(v.declaration, d.declaration) as declaration
    from cargo_history_log l
    cross join lateral unnest(l.declaration_ids) with ordinality as x(id, ord)
    join cargo_declarations d on d.id = x.id
    left join lateral (
      select declaration from cargo_declaration_versions
      where declaration_id = x.id order by version limit 1
    ) v on true
    where l.org_id = ${orgId}::uuid and l.seq > ${afterSeq}
    order by l.seq, x.ord`.execute(db);
  return res.rows;
}

/** The organisation's whole history: the snapshot with the log replayed onto it. */
export async function loadHistory(db: Db, orgId: string): Promise<{ history: History; logged: number }> {
  const row = await historySnapshot(db, orgId);
  if (row === undefined) return { history: new History(), logged: 0 };
  const history = row.snapshot == null ? new History() : History.fromJSON(json<HistoryJSON>(row.snapshot));
  const log = await historyLogSince(db, orgId, Number(row.snapshot_seq));
  for (const r of log) history.observe(json<Declaration>(r.declaration));
  return { history, logged: log.length };
}

/** Records a batch's additions to history: its log row, and the snapshot when one is given. */
export async function writeHistory(
  db: Db,
  h: {
    orgId: string;
    seq: number;
    observed: number;
    declarationIds: readonly string[];
    snapshot: string | null;
    at: Date;
  },
): Promise<void> {
  if (h.snapshot !== null) {
    await t(db).deleteFrom('cargo_history_log').where('org_id', '=', h.orgId).execute();
    await sql`insert into cargo_history (org_id, seq, observed, snapshot, snapshot_seq, updated_at)
      values (${h.orgId}::uuid, ${h.seq}, ${h.observed}, ${h.snapshot}::text, ${h.seq}, ${h.at})
      on conflict (org_id) do update set seq = excluded.seq, observed = excluded.observed,
        snapshot = excluded.snapshot, snapshot_seq = excluded.snapshot_seq,
        updated_at = excluded.updated_at`.execute(db);
    return;
  }
  await sql`insert into cargo_history_log (org_id, seq, declaration_ids)
    values (${h.orgId}::uuid, ${h.seq}, ${[...h.declarationIds]}::uuid[])`.execute(db);
  await sql`insert into cargo_history (org_id, seq, observed, snapshot, snapshot_seq, updated_at)
    values (${h.orgId}::uuid, ${h.seq}, ${h.observed}, null, 0, ${h.at})
    on conflict (org_id) do update set seq = excluded.seq, observed = excluded.observed,
      updated_at = excluded.updated_at`.execute(db);
}

/* —— declarations —— */

export async function findDeclaration(db: Db, actor: Actor, id: string) {
  return t(db)
    .selectFrom('cargo_declarations as d')
    .selectAll('d')
    .where(declarationVisible(actor))
    .where('d.id', '=', id)
    .executeTakeFirst();
}

/** Every version of a declaration: the superseded ones and the current one. */
export async function versionsOf(db: Db, declarationId: string) {
  const res = await sql<{ version: number; filed_at: Date; changes: string[] }>`
    select version, filed_at, changes from cargo_declaration_versions where declaration_id = ${declarationId}::uuid
    union all
    select version, filed_at, changes from cargo_declarations where id = ${declarationId}::uuid
    order by version`.execute(db);
  return res.rows;
}

export async function assignmentOf(db: Db, declarationIds: readonly string[]) {
  if (declarationIds.length === 0) return [];
  return t(db)
    .selectFrom('cargo_assignments')
    .selectAll()
    .where('declaration_id', 'in', [...declarationIds])
    .execute();
}

/** The latest inspection of each declaration. */
export async function latestInspections(db: Db, declarationIds: readonly string[]): Promise<InspectionRow[]> {
  if (declarationIds.length === 0) return [];
  const res = await sql<InspectionRow>`
    select distinct on (declaration_id) * from cargo_inspections
    where declaration_id = any(${[...declarationIds]}::uuid[])
    order by declaration_id, inspected_at desc, id`.execute(db);
  return res.rows;
}

/** What the second opinion learns from: the organisation's inspections, the latest per declaration. */
export async function inspectionState(db: Db, orgId: string): Promise<string> {
  const res = await sql<{ n: number; latest: Date | null }>`
    select count(*)::int as n, max(inspected_at) as latest from cargo_inspections
    where org_id = ${orgId}::uuid`.execute(db);
  const r = res.rows[0];
  return `${r?.n ?? 0}@${r?.latest ? new Date(r.latest).toISOString() : ''}`;
}

/** The reasons and outcome of the organisation's most recent inspections (latest per declaration). */
export async function inspectedReasons(db: Db, orgId: string, limit: number) {
  const res = await sql<{ reasons: unknown; outcome: string }>`
    select reasons, outcome from (
      select distinct on (i.declaration_id) d.reasons, i.outcome, i.inspected_at
      from cargo_inspections i join cargo_declarations d on d.id = i.declaration_id
      where i.org_id = ${orgId}::uuid and d.owner_org_id = ${orgId}::uuid
      order by i.declaration_id, i.inspected_at desc, i.id
    ) latest
    order by inspected_at desc
    limit ${limit}`.execute(db);
  return res.rows;
}

export async function queue(db: Db, actor: Actor, port: string, day: string) {
  return t(db)
    .selectFrom('cargo_declarations as d')
    .selectAll('d')
    .where(declarationVisible(actor))
    .where('d.owner_org_id', '=', actor.orgId)
    .where('d.port', '=', port)
    .where('d.eta_day', '=', day)
    .orderBy('d.score', 'desc')
    .orderBy('d.reference')
    .limit(5000)
    .execute();
}

export async function upsertAssignment(db: Db, row: CargoTables['cargo_assignments']): Promise<void> {
  await t(db)
    .insertInto('cargo_assignments')
    .values(row)
    .onConflict((oc) =>
      oc.column('declaration_id').doUpdateSet({
        assignee_id: row.assignee_id,
        assigned_by: row.assigned_by,
        assigned_at: row.assigned_at,
      }),
    )
    .execute();
}

export async function insertInspection(db: Db, row: InspectionRow): Promise<void> {
  await t(db).insertInto('cargo_inspections').values(row).execute();
}

export async function insertInspections(db: Db, rows: InspectionRow[]): Promise<void> {
  await insertChunked(db, 'cargo_inspections', rows);
}

export async function insertAlert(db: Db, row: CargoTables['cargo_alerts']): Promise<void> {
  await t(db).insertInto('cargo_alerts').values(row).execute();
}

/** What performance and simulation need: scores, fired codes and the latest inspection outcome. */
export interface OutcomeRow {
  id: string;
  reference: string;
  port: string;
  eta_day: string;
  filed_at: Date;
  score: number;
  channel: 'red' | 'amber' | 'green';
  reasons: unknown;
  outcome: 'nothing' | 'seizure' | null;
}

export async function outcomes(
  db: Db,
  actor: Actor,
  f: { port?: string; fromDay?: string; toDay?: string; filedFrom?: Date },
): Promise<OutcomeRow[]> {
  const res = await sql<OutcomeRow>`
    select d.id, d.reference, d.port, d.eta_day, d.filed_at, d.score, d.channel, d.reasons,
      (select i.outcome from cargo_inspections i where i.declaration_id = d.id
        order by i.inspected_at desc limit 1) as outcome
    from cargo_declarations d
    where d.owner_org_id = ${actor.orgId}::uuid and ${declarationVisible(actor)}
      ${f.port !== undefined ? sql`and d.port = ${f.port}` : sql``}
      ${f.fromDay !== undefined ? sql`and d.eta_day >= ${f.fromDay}` : sql``}
      ${f.toDay !== undefined ? sql`and d.eta_day <= ${f.toDay}` : sql``}
      ${f.filedFrom !== undefined ? sql`and d.filed_at >= ${f.filedFrom}` : sql``}
    order by d.filed_at, d.id`.execute(db);
  return res.rows;
}

/** Every current declaration of the organisation in filing order (for replaying history in a simulation). */
export async function declarationsInFilingOrder(db: Db, actor: Actor, limit: number) {
  return t(db)
    .selectFrom('cargo_declarations as d')
    .select(['d.id', 'd.declaration', 'd.filed_at'])
    .where(declarationVisible(actor))
    .where('d.owner_org_id', '=', actor.orgId)
    .orderBy('d.filed_at')
    .orderBy('d.id')
    .limit(limit)
    .execute();
}

/* —— port settings —— */

export async function portSettings(db: Db, orgId: string, ports: readonly string[]) {
  if (ports.length === 0) return [];
  return t(db)
    .selectFrom('cargo_port_settings')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('port', 'in', [...ports])
    .execute();
}

export async function allPortSettings(db: Db, orgId: string) {
  return t(db).selectFrom('cargo_port_settings').selectAll().where('org_id', '=', orgId).execute();
}

export async function upsertPortSettings(db: Db, row: CargoTables['cargo_port_settings']): Promise<void> {
  await t(db)
    .insertInto('cargo_port_settings')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['org_id', 'port']).doUpdateSet({
        capacity: row.capacity,
        red: row.red,
        amber: row.amber,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/* —— rule sets —— */

export async function currentRuleSet(db: Db, orgId: string) {
  return t(db)
    .selectFrom('cargo_rule_sets')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function ruleSetVersions(db: Db, orgId: string) {
  return t(db)
    .selectFrom('cargo_rule_sets')
    .select(['version', 'hash', 'author_id', 'comment', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('version', 'desc')
    .execute();
}

/** One stored version of an organisation's rule set, with its text (undefined: none of this org's). */
export async function ruleSetVersion(db: Db, orgId: string, version: number) {
  return t(db)
    .selectFrom('cargo_rule_sets')
    .select(['version', 'hash', 'author_id', 'comment', 'created_at', 'yaml'])
    .where('org_id', '=', orgId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function insertRuleSet(db: Db, row: CargoTables['cargo_rule_sets']): Promise<void> {
  await t(db).insertInto('cargo_rule_sets').values(row).execute();
}

/** Serialises rule-set writers of one organisation (versions are max + 1). */
export async function lockOrgRules(tx: Db, orgId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(5000453, hashtext(${orgId}))`.execute(tx);
}

/* —— watchlists —— */

export async function watchlistEntries(db: Db, orgId: string) {
  return t(db)
    .selectFrom('cargo_watchlist_entries')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('list')
    .orderBy('entry_id')
    .execute();
}

export async function watchlistVersion(db: Db, orgId: string): Promise<number> {
  const r = await t(db)
    .selectFrom('cargo_watchlist_state')
    .select('version')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return r?.version ?? 0;
}

export async function bumpWatchlistVersion(db: Db, orgId: string): Promise<number> {
  const r = await sql<{ version: number }>`
    insert into cargo_watchlist_state (org_id, version) values (${orgId}::uuid, 1)
    on conflict (org_id) do update set version = cargo_watchlist_state.version + 1
    returning version`.execute(db);
  return r.rows[0]?.version ?? 1;
}

export async function upsertWatchlistEntries(
  db: Db,
  rows: CargoTables['cargo_watchlist_entries'][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await t(db)
      .insertInto('cargo_watchlist_entries')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['org_id', 'list', 'entry_id']).doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          entry: eb.ref('excluded.entry'),
          created_by: eb.ref('excluded.created_by'),
          created_at: eb.ref('excluded.created_at'),
        })),
      )
      .execute();
  }
}

export async function deleteWatchlistList(db: Db, orgId: string, list: string): Promise<number> {
  const r = await t(db)
    .deleteFrom('cargo_watchlist_entries')
    .where('org_id', '=', orgId)
    .where('list', '=', list)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteWatchlistEntry(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await t(db)
    .deleteFrom('cargo_watchlist_entries')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
