import { type Kysely, sql } from 'kysely';
import type { Db } from '../platform/database.ts';
import type { AuditAction } from './audit.schema.ts';
import type { MerkleFrontierJSON } from './merkle.ts';

export type AuditTables = {
  audit_log: {
    seq: number;
    at: Date;
    actor_user_id: string | null;
    actor_org_id: string | null;
    action: AuditAction;
    object_type: string;
    object_id: string | null;
    justification: string | null;
    recipients: string;
    details: string;
    leaf_hash: Buffer;
  };
  audit_state: { id: number; size: number; frontier: MerkleFrontierJSON | [] };
  audit_tree_heads: {
    tree_size: number;
    root_hash: string;
    signed_at: Date;
    signature: string;
    key_id: string;
  };
};

export type AuditRow = Omit<AuditTables['audit_log'], 'recipients' | 'details'> & {
  recipients: string[];
  details: Record<string, unknown>;
};

export function t(db: Db): Kysely<AuditTables> {
  return db.withTables<AuditTables>();
}

/** Locks the sequencer row for the rest of the transaction and returns its state. */
export async function lockState(db: Db): Promise<{ size: number; frontier: MerkleFrontierJSON }> {
  const row = await t(db)
    .selectFrom('audit_state')
    .select(['size', 'frontier'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const frontier = Array.isArray(row.frontier) ? { size: 0, frontier: [] } : row.frontier;
  return { size: row.size, frontier };
}

export async function saveState(db: Db, frontier: MerkleFrontierJSON): Promise<void> {
  await t(db)
    .updateTable('audit_state')
    .set({ size: frontier.size, frontier: JSON.stringify(frontier) as unknown as MerkleFrontierJSON })
    .where('id', '=', 1)
    .execute();
}

export async function readState(db: Db): Promise<{ size: number; frontier: MerkleFrontierJSON }> {
  const row = await t(db)
    .selectFrom('audit_state')
    .select(['size', 'frontier'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { size: row.size, frontier: Array.isArray(row.frontier) ? { size: 0, frontier: [] } : row.frontier };
}

export async function insertRecord(db: Db, row: AuditRow): Promise<void> {
  await t(db)
    .insertInto('audit_log')
    .values({ ...row, recipients: JSON.stringify(row.recipients), details: JSON.stringify(row.details) })
    .execute();
}

function fromDb(r: AuditTables['audit_log']): AuditRow {
  const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  return {
    ...r,
    recipients: parse<string[]>(r.recipients),
    details: parse<Record<string, unknown>>(r.details),
  };
}

/** Reads records in sequence order, in pages, so verification of a large log stays in bounded memory. */
export async function* scanRecords(db: Db, pageSize = 5000): AsyncGenerator<AuditRow> {
  let after = -1;
  for (;;) {
    const rows = await t(db)
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield fromDb(r);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.seq;
  }
}

export async function leafHashes(db: Db, size: number): Promise<Buffer[]> {
  const rows = await t(db)
    .selectFrom('audit_log')
    .select('leaf_hash')
    .where('seq', '<', size)
    .orderBy('seq')
    .execute();
  return rows.map((r) => Buffer.from(r.leaf_hash));
}

export interface RecordQuery {
  userId?: string;
  orgId?: string;
  objectId?: string;
  action?: AuditAction;
  /** Restricts to records whose actor belongs to this organisation (a data-protection officer's view). */
  limitToOrg?: string;
  limit: number;
  offset: number;
}

export async function queryRecords(db: Db, q: RecordQuery): Promise<{ rows: AuditRow[]; total: number }> {
  let base = t(db).selectFrom('audit_log');
  if (q.userId) base = base.where('actor_user_id', '=', q.userId);
  if (q.objectId) base = base.where('object_id', '=', q.objectId);
  if (q.action) base = base.where('action', '=', q.action);
  if (q.limitToOrg) base = base.where('actor_org_id', '=', q.limitToOrg);
  const [rows, total] = await Promise.all([
    base.selectAll().orderBy('seq', 'desc').limit(q.limit).offset(q.offset).execute(),
    base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(fromDb), total: total.n };
}

export async function saveTreeHead(db: Db, h: AuditTables['audit_tree_heads']): Promise<void> {
  await t(db)
    .insertInto('audit_tree_heads')
    .values(h)
    .onConflict((oc) => oc.column('tree_size').doNothing())
    .execute();
}

export async function latestTreeHead(db: Db): Promise<AuditTables['audit_tree_heads'] | undefined> {
  return t(db)
    .selectFrom('audit_tree_heads')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
}
