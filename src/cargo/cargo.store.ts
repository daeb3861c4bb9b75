/**
 * All SQL of the cargo module. Reads of declarations filter with the access module's `visibleTo`
 * (a declaration is an object of its owner organisation, marked AMBER+STRICT and never
 * distributed), so a declaration of another organisation reads exactly like a missing one.
 */
import { type Kysely, sql } from 'kysely';
import { type Actor, visibleTo } from '../access/index.ts';
import type { Db } from '../platform/database.ts';

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
    created_at: Date;
    updated_at: Date;
  };
  cargo_declaration_versions: {
    declaration_id: string;
    version: number;
    filed_at: Date;
    changes: string[];
    declaration: unknown;
    batch_id: string | null;
    recorded_at: Date;
  };
  cargo_scores: {
    declaration_id: string;
    version: number;
    score: number;
    channel: string;
    reasons: unknown;
    rule_set_version: number | null;
    rule_set_hash: string | null;
    watchlist_version: string | null;
    scored_at: Date;
  };
  cargo_history: { org_id: string; seq: number; observed: number; snapshot: unknown; updated_at: Date };
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

export async function insertQuarantine(db: Db, rows: CargoTables['cargo_quarantine'][]): Promise<void> {
  await insertChunked(db, 'cargo_quarantine', rows);
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

/** Current versions of the organisation's declarations with these references. */
export async function currentByReference(db: Db, orgId: string, references: readonly string[]) {
  if (references.length === 0) return [];
  return t(db)
    .selectFrom('cargo_declarations')
    .select(['id', 'reference', 'version', 'declaration'])
    .where('owner_org_id', '=', orgId)
    .where('reference', 'in', [...references])
    .execute();
}

export async function upsertDeclarations(db: Db, rows: DeclarationRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await t(db)
      .insertInto('cargo_declarations')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['owner_org_id', 'reference']).doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          container: eb.ref('excluded.container'),
          container_type: eb.ref('excluded.container_type'),
          port: eb.ref('excluded.port'),
          loading: eb.ref('excluded.loading'),
          vessel_imo: eb.ref('excluded.vessel_imo'),
          vessel_name: eb.ref('excluded.vessel_name'),
          shipper_key: eb.ref('excluded.shipper_key'),
          consignee_key: eb.ref('excluded.consignee_key'),
          hs: eb.ref('excluded.hs'),
          filed_at: eb.ref('excluded.filed_at'),
          eta: eb.ref('excluded.eta'),
          eta_day: eb.ref('excluded.eta_day'),
          declaration: eb.ref('excluded.declaration'),
          score: eb.ref('excluded.score'),
          channel: eb.ref('excluded.channel'),
          reasons: eb.ref('excluded.reasons'),
          rule_set_version: eb.ref('excluded.rule_set_version'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function insertVersions(
  db: Db,
  rows: CargoTables['cargo_declaration_versions'][],
): Promise<void> {
  await insertChunked(db, 'cargo_declaration_versions', rows);
}

export async function insertScores(db: Db, rows: CargoTables['cargo_scores'][]): Promise<void> {
  await insertChunked(db, 'cargo_scores', rows);
}

export async function readHistory(db: Db, orgId: string) {
  return t(db).selectFrom('cargo_history').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

export async function historySeq(db: Db, orgId: string): Promise<number> {
  const r = await t(db)
    .selectFrom('cargo_history')
    .select('seq')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return r === undefined ? 0 : Number(r.seq);
}

export async function writeHistory(
  db: Db,
  orgId: string,
  seq: number,
  observed: number,
  snapshot: string,
  at: Date,
): Promise<void> {
  await t(db)
    .insertInto('cargo_history')
    .values({ org_id: orgId, seq, observed, snapshot, updated_at: at })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ seq, observed, snapshot, updated_at: at }))
    .execute();
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

export async function versionsOf(db: Db, declarationId: string) {
  return t(db)
    .selectFrom('cargo_declaration_versions')
    .select(['version', 'filed_at', 'changes'])
    .where('declaration_id', '=', declarationId)
    .orderBy('version')
    .execute();
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
