/**
 * AuditLog against a real database, on both engines: appends ride in the caller's transaction,
 * sequence numbers never have gaps, and `verify()` catches every kind of tampering with the
 * stored rows (which needs the append-only trigger switched off first, as an attacker with
 * database rights would do).
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type Engine, engines, openTestDatabase } from '../../test/support/node.ts';
import { ManualClock } from '../platform/clock.ts';
import { type Database, type Db, migrate } from '../platform/database.ts';
import type { NodeKey } from '../platform/node-key.ts';
import { auditMigrations } from './audit.migrations.ts';
import { AUDIT_ACTIONS, type AuditEntry } from './audit.schema.ts';
import { readState, scanRecords } from './audit.store.ts';
import { AuditLog, type AuditSubject, hashedContent, type VerifyReport } from './audit.ts';
import { MerkleAccumulator, rootFromLeafHashes } from './merkle.ts';
import { RecordEncodingError, recordLeafHash } from './record-hash.ts';
import { type SignedTreeHead, signTreeHead, verifyTreeHead } from './tree-head.ts';

function newNodeKey(): NodeKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A deterministic UUID per number, so a test can name the actors and objects it expects. */
function uuid(kind: number, n: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function subject(i: number): AuditSubject {
  return { userId: uuid(1, i % 5), orgId: uuid(2, i % 3) };
}

/** Every field filled in, with every kind of value the canonical encoding accepts. */
function entry(i: number): AuditEntry {
  return {
    action: AUDIT_ACTIONS[i % AUDIT_ACTIONS.length]!,
    objectType: i % 2 === 0 ? 'item' : 'user',
    objectId: uuid(3, i),
    justification: `case ${1000 + i}/2026 — art. 6(1)(e) ✓`,
    recipients: [`org:${uuid(2, i)}`, 'node'],
    details: { n: i, tag: `tag-${i}`, flag: i % 2 === 0, none: null, list: ['a', `b${i}`] },
  };
}

interface Rig {
  db: Db;
  log: AuditLog;
  clock: ManualClock;
  key: NodeKey;
  headFile: string | null;
  dir: string;
}

/** One database per engine for this file: opening PGlite is the slow part, emptying it is not. */
async function openShared(engine: Engine): Promise<Database> {
  const database = await openTestDatabase(engine);
  await migrate(database.db, auditMigrations);
  // The "act" of the tests below: any write that must stand or fall with its audit record.
  await sql`create table test_act (k int primary key)`.execute(database.db);
  return database;
}

/**
 * Empties the log, then gives the test a fresh node key,
 * clock and head folder: every test starts from the same empty state, whatever ran before it.
 */
async function rig(db: Db, opts: { headFile?: boolean } = {}): Promise<Rig> {
  await sql`alter table audit_log enable trigger audit_log_no_change`.execute(db);
  // The log refuses TRUNCATE (statement trigger): only a test rig switches that off, briefly.
  await sql`alter table audit_log disable trigger audit_log_no_truncate`.execute(db);
  await sql`truncate audit_log, audit_tree_heads, test_act`.execute(db);
  await sql`alter table audit_log enable trigger audit_log_no_truncate`.execute(db);
  await sql`update audit_state set size = 0, frontier = '[]' where id = 1`.execute(db);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ps-audit-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new ManualClock('2026-03-02T08:00:00.000Z');
  const key = newNodeKey();
  const headFile = opts.headFile === false ? null : path.join(dir, 'audit-head.json');
  return { db, log: new AuditLog(db, clock, key, headFile), clock, key, headFile, dir };
}

/** Appends records i = from … to-1, one transaction each, the clock moving 1 s per record. */
async function appendRange(r: Rig, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    r.clock.advance(1000);
    await r.log.append(r.db, subject(i), entry(i));
  }
}

async function countRows(db: Db, table: 'audit_log' | 'test_act'): Promise<number> {
  const res = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return res.rows[0]!.n;
}

/** What an attacker with database rights does first: switch the append-only trigger off. */
async function tamper(db: Db, change: (db: Db) => Promise<unknown>): Promise<void> {
  await sql`alter table audit_log disable trigger audit_log_no_change`.execute(db);
  try {
    await change(db);
  } finally {
    await sql`alter table audit_log enable trigger audit_log_no_change`.execute(db);
  }
}

/** The attacker's next step after editing a record: store the leaf hash of its new content. */
async function rehash(db: Db, seqs: number[]): Promise<void> {
  for await (const row of scanRecords(db)) {
    if (!seqs.includes(row.seq)) continue;
    const leaf = recordLeafHash(hashedContent(row));
    await sql`update audit_log set leaf_hash = ${leaf} where seq = ${row.seq}`.execute(db);
  }
}

const codes = (report: VerifyReport): string[] =>
  report.problems.map((p) => `${p.code}@${p.index ?? '-'}`).sort();

/** Changes one character: a hex digit stays a hex digit, any other character moves by one code point. */
function flipChar(s: string, at: number): string {
  const c = s[at]!;
  const hex = '0123456789abcdef';
  const next = hex.includes(c) ? hex[(hex.indexOf(c) + 1) % 16]! : String.fromCharCode(c.charCodeAt(0) ^ 1);
  return s.slice(0, at) + next + s.slice(at + 1);
}

async function field(db: Db, seq: number, column: string): Promise<string> {
  const res = await sql<{
    v: string;
  }>`select ${sql.ref(column)}::text as v from audit_log where seq = ${seq}`.execute(db);
  return res.rows[0]!.v;
}

/**
 * One small change per stored column of record `seq`. `content` says whether the change is to what the
 * leaf hash commits to (then the root over the recomputed leaves moves too) or to the stored hash itself.
 */
const SINGLE_CHANGES: {
  column: string;
  content: boolean;
  change: (db: Db, seq: number) => Promise<unknown>;
}[] = [
  {
    column: 'at',
    content: true,
    change: (db, seq) =>
      sql`update audit_log set at = at + interval '1 millisecond' where seq = ${seq}`.execute(db),
  },
  ...(['actor_user_id', 'actor_org_id'] as const).map((column) => ({
    column,
    content: true,
    change: async (db: Db, seq: number) => {
      const v = flipChar(await field(db, seq, column), 35);
      await sql`update audit_log set ${sql.ref(column)} = ${v}::uuid where seq = ${seq}`.execute(db);
    },
  })),
  ...(['action', 'object_type', 'object_id', 'justification'] as const).map((column) => ({
    column,
    content: true,
    change: async (db: Db, seq: number) => {
      const v = flipChar(await field(db, seq, column), 2);
      await sql`update audit_log set ${sql.ref(column)} = ${v} where seq = ${seq}`.execute(db);
    },
  })),
  {
    column: 'recipients',
    content: true,
    change: (db, seq) =>
      sql`update audit_log set recipients = jsonb_set(recipients, '{1}', '"nodf"') where seq = ${seq}`.execute(
        db,
      ),
  },
  {
    column: 'details (string)',
    content: true,
    change: (db, seq) =>
      sql`update audit_log set details = jsonb_set(details, '{tag}', to_jsonb(${`tag-${seq}`.replace('t', 'T')}::text))
            where seq = ${seq}`.execute(db),
  },
  {
    column: 'details (integer)',
    content: true,
    change: (db, seq) =>
      sql`update audit_log set details = jsonb_set(details, '{n}', to_jsonb(${seq + 1}::int)) where seq = ${seq}`.execute(
        db,
      ),
  },
  {
    column: 'details (boolean)',
    content: true,
    change: (db, seq) =>
      sql`update audit_log set details = jsonb_set(details, '{flag}', to_jsonb(not (details->>'flag')::boolean))
            where seq = ${seq}`.execute(db),
  },
  {
    column: 'leaf_hash',
    content: false,
    change: (db, seq) =>
      sql`update audit_log set leaf_hash = set_byte(leaf_hash, 7, get_byte(leaf_hash, 7) # 1) where seq = ${seq}`.execute(
        db,
      ),
  },
];

describe.each(engines())('AuditLog on %s', (engine) => {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await openShared(engine);
  });
  afterAll(async () => {
    await database?.close();
  });
  const fresh = (opts: { headFile?: boolean } = {}) => rig(database!.db, opts);
  describe('appending in the caller’s transaction', () => {
    it('hands out gap-free sequence numbers and stores every field as given', async () => {
      const r = await fresh();
      await appendRange(r, 0, 12);
      expect((await readState(r.db)).size).toBe(12);
      const { records, total } = await r.log.query({ limit: 100, offset: 0 });
      expect(total).toBe(12);
      expect(records.map((x) => x.index)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      const third = records.find((x) => x.index === 3)!;
      const e = entry(3);
      expect(third).toEqual({
        index: 3,
        timestamp: '2026-03-02T08:00:04.000Z',
        userId: subject(3).userId,
        orgId: subject(3).orgId,
        action: e.action,
        objectType: e.objectType,
        itemId: e.objectId,
        justification: e.justification,
        recipients: e.recipients,
        details: e.details,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('rolls the record and its sequence number back with the act', async () => {
      const r = await fresh();
      await appendRange(r, 0, 3);
      const failed = r.db.transaction().execute(async (tx) => {
        await sql`insert into test_act (k) values (1)`.execute(tx);
        const seq = await r.log.append(tx, subject(3), entry(3));
        expect(seq).toBe(3);
        throw new Error('the act failed after its audit record was written');
      });
      await expect(failed).rejects.toThrow('the act failed');
      expect(await countRows(r.db, 'test_act')).toBe(0);
      expect(await countRows(r.db, 'audit_log')).toBe(3);
      expect((await readState(r.db)).size).toBe(3);

      // The number is handed out again: no gap.
      const seq = await r.db.transaction().execute(async (tx) => {
        await sql`insert into test_act (k) values (2)`.execute(tx);
        return r.log.append(tx, subject(4), entry(4));
      });
      expect(seq).toBe(3);
      expect(await countRows(r.db, 'test_act')).toBe(1);
      const report = await r.log.verify();
      expect(report).toMatchObject({ ok: true, treeSize: 4, problems: [] });
    });

    it.each([
      ['a fraction', 0.5],
      ['NaN', Number.NaN],
      ['an integer beyond 2^53', 2 ** 53],
    ])(
      'fails the act and stores nothing when the audit write fails (details hold %s)',
      async (_what, bad) => {
        const r = await fresh();
        await appendRange(r, 0, 2);
        const act = r.db.transaction().execute(async (tx) => {
          await sql`insert into test_act (k) values (7)`.execute(tx);
          await r.log.append(tx, subject(2), { ...entry(2), details: { score: bad } });
        });
        await expect(act).rejects.toBeInstanceOf(RecordEncodingError);
        expect(await countRows(r.db, 'test_act')).toBe(0);
        expect(await countRows(r.db, 'audit_log')).toBe(2);
        expect((await readState(r.db)).size).toBe(2);

        // Without a transaction of the caller's, append makes its own: the same holds.
        await expect(
          r.log.append(r.db, subject(2), { ...entry(2), details: { score: bad } }),
        ).rejects.toBeInstanceOf(RecordEncodingError);
        expect((await readState(r.db)).size).toBe(2);

        expect(await r.log.append(r.db, subject(2), entry(2))).toBe(2);
        expect((await r.log.verify()).ok).toBe(true);
      },
    );

    it('keeps the sequence gap-free under concurrent acts, some of which roll back', async () => {
      const r = await fresh();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 15 }, (_, k) =>
          r.db.transaction().execute(async (tx) => {
            const seq = await r.log.append(tx, subject(k), entry(k));
            await sql`insert into test_act (k) values (${k})`.execute(tx);
            if (k % 3 === 1) throw new Error(`act ${k} failed`);
            return seq;
          }),
        ),
      );
      const committed = outcomes.flatMap((o, k) => (o.status === 'fulfilled' ? [{ k, seq: o.value }] : []));
      expect(committed).toHaveLength(10);
      expect(committed.map((c) => c.seq).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await countRows(r.db, 'audit_log')).toBe(10);
      expect((await readState(r.db)).size).toBe(10);
      // Each committed act kept its own record: the record at its number names its object.
      const { records } = await r.log.query({ limit: 100, offset: 0 });
      for (const c of committed) {
        expect(records.find((x) => x.index === c.seq)!.itemId).toBe(uuid(3, c.k));
      }
      const acts = await sql<{ k: number }>`select k from test_act order by k`.execute(r.db);
      expect(acts.rows.map((x) => x.k)).toEqual(committed.map((c) => c.k));
      expect((await r.log.verify()).ok).toBe(true);
    });

    it('refuses updates and deletes while the append-only trigger is on', async () => {
      const r = await fresh();
      await appendRange(r, 0, 2);
      await expect(
        sql`update audit_log set justification = 'rewritten' where seq = 0`.execute(r.db),
      ).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log where seq = 1`.execute(r.db)).rejects.toThrow(/append-only/);
      expect((await r.log.verify()).ok).toBe(true);
    });
  });

  describe('verify()', () => {
    it('passes an untouched log, with and without saved heads, and after it grew past them', async () => {
      const r = await fresh();
      const empty = await r.log.verify();
      expect(empty).toEqual({
        ok: true,
        treeSize: 0,
        rootHash: rootFromLeafHashes([]).toString('hex'),
        savedHead: null,
        problems: [],
      });
      await appendRange(r, 0, 20);
      const before = await r.log.verify();
      expect(before).toMatchObject({ ok: true, treeSize: 20, savedHead: null, problems: [] });
      const head = await r.log.signHead();
      expect(head.rootHash).toBe(before.rootHash);
      const signed = await r.log.verify();
      expect(signed).toMatchObject({
        ok: true,
        treeSize: 20,
        rootHash: head.rootHash,
        savedHead: { treeSize: 20, rootHash: head.rootHash },
        problems: [],
      });
      await appendRange(r, 20, 33);
      const grown = await r.log.verify();
      expect(grown).toMatchObject({ ok: true, treeSize: 33, savedHead: { treeSize: 20 }, problems: [] });
    });

    it.each(SINGLE_CHANGES)('detects one changed byte in $column', async ({ change, content }) => {
      const r = await fresh();
      await appendRange(r, 0, 16);
      await r.log.signHead();
      await appendRange(r, 16, 19);
      const target = 9;
      const before = await sql<{
        row: string;
      }>`select audit_log::text as row from audit_log where seq = ${target}`.execute(r.db);
      await tamper(r.db, (db) => change(db, target));
      const after = await sql<{
        row: string;
      }>`select audit_log::text as row from audit_log where seq = ${target}`.execute(r.db);
      expect(after.rows[0]!.row).not.toBe(before.rows[0]!.row);

      const report = await r.log.verify();
      expect(report.ok).toBe(false);
      // The record is named; a change to its content also moves the root away from the signed head.
      expect(codes(report)).toEqual(content ? ['LEAF_MISMATCH@9', 'ROOT_MISMATCH@-'] : ['LEAF_MISMATCH@9']);
    });

    it('detects a change to a record newer than the last head (no head covers it yet)', async () => {
      const r = await fresh();
      await appendRange(r, 0, 10);
      await r.log.signHead();
      await appendRange(r, 10, 14);
      await tamper(r.db, (db) => sql`update audit_log set object_type = 'iten' where seq = 12`.execute(db));
      expect(codes(await r.log.verify())).toEqual(['LEAF_MISMATCH@12']);
    });

    it('detects an edited record whose leaf hash was recomputed, through the signed head', async () => {
      const r = await fresh();
      await appendRange(r, 0, 16);
      await r.log.signHead();
      await tamper(r.db, async (db) => {
        await sql`update audit_log set justification = 'routine check' where seq = 4`.execute(db);
        await rehash(db, [4]);
      });
      const report = await r.log.verify();
      expect(report.ok).toBe(false);
      expect(codes(report)).toEqual(['ROOT_MISMATCH@-']);
    });

    it('detects a deleted record', async () => {
      const r = await fresh();
      await appendRange(r, 0, 16);
      await r.log.signHead();
      await tamper(r.db, (db) => sql`delete from audit_log where seq = 6`.execute(db));
      const report = await r.log.verify();
      expect(report.ok).toBe(false);
      expect(report.problems).toContainEqual(expect.objectContaining({ code: 'INDEX_GAP', index: 6 }));
      // The sequencer still counts 16 records, and the signed head covers 16.
      expect(codes(report)).toEqual(['INDEX_GAP@6', 'TRUNCATED@-', 'TRUNCATED@15']);
    });

    it('detects a deleted record even with no head saved anywhere', async () => {
      const r = await fresh({ headFile: false });
      await appendRange(r, 0, 8);
      await tamper(r.db, (db) => sql`delete from audit_log where seq = 2`.execute(db));
      expect(codes(await r.log.verify())).toEqual(['INDEX_GAP@2', 'TRUNCATED@-']);
    });

    it('detects two records whose contents were swapped', async () => {
      const r = await fresh();
      await appendRange(r, 0, 16);
      await r.log.signHead();
      await tamper(r.db, (db) =>
        sql`update audit_log a set at = b.at, actor_user_id = b.actor_user_id, actor_org_id = b.actor_org_id,
              action = b.action, object_type = b.object_type, object_id = b.object_id,
              justification = b.justification, recipients = b.recipients, details = b.details,
              leaf_hash = b.leaf_hash
            from audit_log b
            where (a.seq = 3 and b.seq = 11) or (a.seq = 11 and b.seq = 3)`.execute(db),
      );
      const report = await r.log.verify();
      expect(report.ok).toBe(false);
      expect(codes(report)).toEqual(['LEAF_MISMATCH@11', 'LEAF_MISMATCH@3', 'ROOT_MISMATCH@-']);
    });

    it('detects two records reordered, and still after their leaf hashes were recomputed', async () => {
      const r = await fresh();
      await appendRange(r, 0, 16);
      await r.log.signHead();
      await tamper(r.db, async (db) => {
        await sql`update audit_log set seq = -1 where seq = 5`.execute(db);
        await sql`update audit_log set seq = 5 where seq = 6`.execute(db);
        await sql`update audit_log set seq = 6 where seq = -1`.execute(db);
      });
      expect(codes(await r.log.verify())).toEqual(['LEAF_MISMATCH@5', 'LEAF_MISMATCH@6', 'ROOT_MISMATCH@-']);

      await tamper(r.db, (db) => rehash(db, [5, 6]));
      const report = await r.log.verify();
      expect(report.ok).toBe(false);
      expect(codes(report)).toEqual(['ROOT_MISMATCH@-']);
    });

    it('detects the last records deleted', async () => {
      const r = await fresh({ headFile: false });
      await appendRange(r, 0, 16);
      await tamper(r.db, (db) => sql`delete from audit_log where seq >= 13`.execute(db));
      const report = await r.log.verify();
      expect(report.ok).toBe(false);
      // No head was signed: the sequencer is the witness.
      expect(codes(report)).toEqual(['TRUNCATED@-']);
    });

    describe('truncation with the sequencer rolled back too', () => {
      /** Appends 10 records, notes the sequencer, appends 6 more and signs a head over all 16. */
      async function truncated(opts: { headFile: boolean }) {
        const r = await fresh(opts);
        await appendRange(r, 0, 10);
        const snap = await sql<{ size: number; frontier: unknown }>`
          select size, frontier from audit_state where id = 1`.execute(r.db);
        const saved = snap.rows[0]!;
        await appendRange(r, 10, 16);
        const head = await r.log.signHead();
        await tamper(r.db, async (db) => {
          await sql`delete from audit_log where seq >= 10`.execute(db);
          await sql`update audit_state set size = ${saved.size},
                frontier = ${JSON.stringify(saved.frontier)}::jsonb where id = 1`.execute(db);
        });
        return { r, head };
      }

      it('is caught by the head saved in the database', async () => {
        const { r, head } = await truncated({ headFile: false });
        const report = await r.log.verify();
        expect(report.ok).toBe(false);
        expect(codes(report)).toEqual(['TRUNCATED@10']);
        expect(report.savedHead).toEqual({ treeSize: 16, rootHash: head.rootHash, source: 'database' });
        expect(report.treeSize).toBe(10);
      });

      it('is caught by the head file when the database heads were deleted as well', async () => {
        const { r, head } = await truncated({ headFile: true });
        await sql`delete from audit_tree_heads where tree_size > 10`.execute(r.db);
        const report = await r.log.verify();
        expect(report.ok).toBe(false);
        expect(codes(report)).toEqual(['TRUNCATED@10']);
        expect(report.savedHead).toEqual({ treeSize: 16, rootHash: head.rootHash, source: r.headFile });
      });
    });

    describe('forged saved heads', () => {
      it('reports a database head whose signature does not verify', async () => {
        const r = await fresh({ headFile: false });
        await appendRange(r, 0, 8);
        const head = await r.log.signHead();
        const other = signTreeHead(
          { treeSize: 8, rootHash: head.rootHash, timestamp: head.timestamp },
          newNodeKey().privateKey,
        );
        await sql`update audit_tree_heads set signature = ${other.signature} where tree_size = 8`.execute(
          r.db,
        );
        const report = await r.log.verify();
        expect(report.ok).toBe(false);
        expect(report.problems).toEqual([
          { index: null, code: 'BAD_SIGNATURE', message: expect.stringContaining('database') },
        ]);
      });

      it('reports a head re-rooted over an edited log, with the old signature kept', async () => {
        const r = await fresh({ headFile: false });
        await appendRange(r, 0, 8);
        await r.log.signHead();
        await tamper(r.db, async (db) => {
          await sql`update audit_log set object_id = null where seq = 2`.execute(db);
          await rehash(db, [2]);
        });
        const forgedRoot = (await r.log.verify()).rootHash;
        await sql`update audit_tree_heads set root_hash = ${forgedRoot} where tree_size = 8`.execute(r.db);
        const report = await r.log.verify();
        expect(report.ok).toBe(false);
        expect(codes(report)).toEqual(['BAD_SIGNATURE@-']);
      });

      it('reports a head signed with another key', async () => {
        const r = await fresh({ headFile: false });
        await appendRange(r, 0, 8);
        await r.log.signHead();
        const stranger = signTreeHead(
          { treeSize: 8, rootHash: (await r.log.verify()).rootHash, timestamp: r.clock.now().toISOString() },
          newNodeKey().privateKey,
        );
        await sql`update audit_tree_heads set signature = ${stranger.signature}, key_id = ${stranger.keyId}
          where tree_size = 8`.execute(r.db);
        expect(codes(await r.log.verify())).toEqual(['BAD_SIGNATURE@-']);
      });
    });

    it('reports progress over the whole log', async () => {
      const r = await fresh();
      await appendRange(r, 0, 7);
      const seen: [number, number][] = [];
      await r.log.verify((done, total) => seen.push([done, total]));
      expect(seen.at(-1)).toEqual([7, 7]);
    });
  });

  describe('the head file (PGlite with a data folder)', () => {
    it('holds the last signed head, verifiable with the node key, written whole', async () => {
      const r = await fresh();
      await appendRange(r, 0, 5);
      const first = await r.log.signHead();
      const file = r.headFile!;
      const stored = JSON.parse(readFileSync(file, 'utf8')) as SignedTreeHead;
      const { publicKey, ...sth } = first;
      expect(stored).toEqual(sth);
      expect(verifyTreeHead(stored, createPublicKey(publicKey))).toBe(true);
      expect(existsSync(`${file}.tmp`)).toBe(false);

      // Signing again without growth changes nothing; growth replaces the file.
      r.clock.advance(60_000);
      expect(await r.log.signHead()).toEqual(first);
      await appendRange(r, 5, 9);
      const second = await r.log.signHead();
      expect(second.treeSize).toBe(9);
      expect((JSON.parse(readFileSync(file, 'utf8')) as SignedTreeHead).treeSize).toBe(9);
      expect(await r.log.verify()).toMatchObject({ ok: true, savedHead: { treeSize: 9 } });
    });

    it('is not written when the log has no head file', async () => {
      const r = await fresh({ headFile: false });
      await appendRange(r, 0, 3);
      await r.log.signHead();
      expect(existsSync(path.join(r.dir, 'audit-head.json'))).toBe(false);
      expect(await r.log.verify()).toMatchObject({ ok: true, savedHead: { source: 'database' } });
    });

    it('is checked too: a forged file head is reported with the file named', async () => {
      const r = await fresh();
      await appendRange(r, 0, 6);
      const head = await r.log.signHead();
      const forged: SignedTreeHead = { ...head, treeSize: 4 };
      writeFileSync(r.headFile!, JSON.stringify(forged));
      const report = await r.log.verify();
      expect(report.ok).toBe(false);
      expect(codes(report)).toEqual(['BAD_SIGNATURE@-']);
      expect(report.problems[0]!.message).toContain(r.headFile!);
    });

    it('catches an edit that the database heads were rewritten to hide', async () => {
      const r = await fresh();
      await appendRange(r, 0, 12);
      const head = await r.log.signHead();
      await tamper(r.db, async (db) => {
        await sql`update audit_log set actor_user_id = null where seq = 0`.execute(db);
        await rehash(db, [0]);
      });
      // Without the key the attacker cannot sign a new head: they remove the database's.
      await sql`delete from audit_tree_heads`.execute(r.db);
      const report = await r.log.verify();
      expect(report.ok).toBe(false);
      expect(codes(report)).toEqual(['ROOT_MISMATCH@-']);
      expect(report.savedHead).toEqual({ treeSize: 12, rootHash: head.rootHash, source: r.headFile });
    });
  });
});

describe.each(engines())('the log refuses to be rewritten (%s)', (engine: Engine) => {
  it('refuses TRUNCATE, and refuses to sign a truncated log that grew again', async () => {
    const database = await openShared(engine);
    try {
      const r = await rig(database.db);
      await appendRange(r, 0, 10);
      await r.log.signHead();
      await expect(sql`truncate audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
      // Truncate behind the log's back, roll the sequencer back, let it grow past the old head.
      await sql`alter table audit_log disable trigger audit_log_no_change`.execute(database.db);
      await sql`delete from audit_log where seq >= 6`.execute(database.db);
      const acc = new MerkleAccumulator();
      for (const h of await leafHashesOf(database.db)) acc.append(h);
      await sql`update audit_state set size = 6, frontier = ${JSON.stringify(acc.toJSON())} where id = 1`.execute(
        database.db,
      );
      await appendRange(r, 6, 14);
      await expect(r.log.signHead()).rejects.toThrow(/no longer match the last signed head/);
    } finally {
      await database.close();
    }
  });
});

async function leafHashesOf(db: Db): Promise<Buffer[]> {
  const rows = await sql<{ leaf_hash: Buffer }>`select leaf_hash from audit_log order by seq`.execute(db);
  return rows.rows.map((x) => Buffer.from(x.leaf_hash));
}
