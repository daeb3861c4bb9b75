import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Actor } from '../access/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/database.ts';
import { AppError } from '../platform/errors.ts';
import type { NodeKey } from '../platform/node-key.ts';
import type { AuditEntry, AuditRecord } from './audit.schema.ts';
import {
  type AuditRow,
  insertRecord,
  latestTreeHead,
  leafHashes,
  lockState,
  queryRecords,
  type RecordQuery,
  readState,
  saveState,
  saveTreeHead,
  scanRecords,
} from './audit.store.ts';
import { consistencyProof, inclusionProof, MerkleAccumulator, rootFromLeafHashes } from './merkle.ts';
import { recordLeafHash } from './record-hash.ts';
import { type SignedTreeHead, signTreeHead, verifyTreeHead } from './tree-head.ts';
import { verifyLog } from './verify.ts';

/** Who acted, when no user did: a failed login names nobody the log may trust. */
export interface AuditSubject {
  userId: string | null;
  orgId: string | null;
}

export function subjectOf(actor: Actor): AuditSubject {
  return { userId: actor.kind === 'user' ? actor.userId : null, orgId: actor.orgId };
}

/** The exact bytes a leaf commits to: every field of the record except its own hash. */
export function hashedContent(r: Omit<AuditRow, 'leaf_hash'>) {
  return {
    seq: r.seq,
    at: r.at.toISOString(),
    actorUserId: r.actor_user_id,
    actorOrgId: r.actor_org_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    justification: r.justification,
    recipients: r.recipients,
    details: r.details,
  };
}

export function toApiRecord(r: AuditRow): AuditRecord {
  return {
    index: r.seq,
    timestamp: r.at.toISOString(),
    userId: r.actor_user_id,
    orgId: r.actor_org_id,
    action: r.action,
    objectType: r.object_type,
    itemId: r.object_id,
    justification: r.justification,
    recipients: r.recipients,
    details: r.details,
    hash: Buffer.from(r.leaf_hash).toString('hex'),
  };
}

export interface VerifyReport {
  ok: boolean;
  treeSize: number;
  rootHash: string;
  savedHead: { treeSize: number; rootHash: string; source: string } | null;
  problems: { index: number | null; code: string; message: string }[];
}

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly key: NodeKey,
    /** Where the last signed head is also kept outside the database, so truncating both is harder. */
    private readonly headFile: string | null,
  ) {}

  /**
   * Appends one record inside the caller's transaction (DESIGN rule 4): if this write fails the
   * act fails, and if the act rolls back so does the record and its sequence number.
   */
  async append(tx: Db, who: AuditSubject, e: AuditEntry): Promise<number> {
    const run = async (db: Db) => {
      const state = await lockState(db);
      const acc = MerkleAccumulator.fromJSON(state.frontier);
      const row: Omit<AuditRow, 'leaf_hash'> = {
        seq: state.size,
        at: this.clock.now(),
        actor_user_id: who.userId,
        actor_org_id: who.orgId,
        action: e.action,
        object_type: e.objectType,
        object_id: e.objectId,
        justification: e.justification ?? null,
        recipients: e.recipients ?? [],
        details: e.details ?? {},
      };
      const leaf = recordLeafHash(hashedContent(row));
      acc.append(leaf);
      await insertRecord(db, { ...row, leaf_hash: leaf });
      await saveState(db, acc.toJSON());
      return row.seq;
    };
    return tx.isTransaction ? run(tx) : tx.transaction().execute(run);
  }

  async query(q: RecordQuery): Promise<{ records: AuditRecord[]; total: number; pageSize: number }> {
    const { rows, total } = await queryRecords(this.db, q);
    return { records: rows.map(toApiRecord), total, pageSize: q.limit };
  }

  /** Signs the current tree head (if the log grew since the last one) and saves it. */
  async signHead(): Promise<SignedTreeHead & { publicKey: string }> {
    const state = await readState(this.db);
    const last = await latestTreeHead(this.db);
    if (last && last.tree_size === state.size) {
      return {
        treeSize: last.tree_size,
        rootHash: last.root_hash,
        timestamp: last.signed_at.toISOString(),
        signature: last.signature,
        keyId: last.key_id,
        publicKey: this.key.publicKeyPem,
      };
    }
    if (last && last.tree_size > state.size) {
      throw new AppError(
        'INTERNAL',
        `The audit log has ${state.size} records but a head was signed at ${last.tree_size}: refusing to sign a truncated log`,
      );
    }
    if (last) {
      // Never sign a history that does not extend the last signed one (truncate-then-regrow).
      const prefix = rootFromLeafHashes(await leafHashes(this.db, last.tree_size), last.tree_size).toString(
        'hex',
      );
      if (prefix !== last.root_hash) {
        throw new AppError(
          'INTERNAL',
          `The first ${last.tree_size} audit records no longer match the last signed head: refusing to sign`,
        );
      }
    }
    const root = MerkleAccumulator.fromJSON(state.frontier).root().toString('hex');
    const sth = signTreeHead(
      { treeSize: state.size, rootHash: root, timestamp: this.clock.now().toISOString() },
      this.key.privateKey,
    );
    await saveTreeHead(this.db, {
      tree_size: sth.treeSize,
      root_hash: sth.rootHash,
      signed_at: new Date(sth.timestamp),
      signature: sth.signature,
      key_id: sth.keyId,
    });
    if (this.headFile) {
      mkdirSync(path.dirname(this.headFile), { recursive: true });
      const tmp = `${this.headFile}.tmp`;
      writeFileSync(tmp, JSON.stringify(sth, null, 2));
      renameSync(tmp, this.headFile);
    }
    return { ...sth, publicKey: this.key.publicKeyPem };
  }

  async inclusion(index: number, treeSize: number) {
    const state = await readState(this.db);
    if (!(treeSize >= 1 && treeSize <= state.size && index >= 0 && index < treeSize)) {
      throw new AppError('BAD_REQUEST', `Need 0 <= index < treeSize <= ${state.size}`);
    }
    const leaves = await leafHashes(this.db, treeSize);
    return {
      leafIndex: index,
      treeSize,
      leafHash: leaves[index]!.toString('hex'),
      rootHash: rootFromLeafHashes(leaves, treeSize).toString('hex'),
      path: inclusionProof(leaves, index, treeSize).map((h) => h.toString('hex')),
    };
  }

  async consistency(from: number, to: number) {
    const state = await readState(this.db);
    if (!(from >= 1 && from <= to && to <= state.size)) {
      throw new AppError('BAD_REQUEST', `Need 1 <= from <= to <= ${state.size}`);
    }
    const leaves = await leafHashes(this.db, to);
    return {
      from,
      to,
      fromRoot: rootFromLeafHashes(leaves, from).toString('hex'),
      toRoot: rootFromLeafHashes(leaves, to).toString('hex'),
      path: consistencyProof(leaves, from, to).map((h) => h.toString('hex')),
    };
  }

  /**
   * Recomputes every leaf from the record's content, checks the sequence has no gap, and checks
   * the tree against the last saved head — the newer of the database's and the file's — whose
   * signature must verify with the node key.
   */
  async verify(onProgress?: (done: number, total: number) => void): Promise<VerifyReport> {
    const state = await readState(this.db);
    const entries: { index: number; leafHash: Buffer; computedLeafHash: Buffer }[] = [];
    for await (const r of scanRecords(this.db)) {
      entries.push({
        index: r.seq,
        leafHash: Buffer.from(r.leaf_hash),
        computedLeafHash: recordLeafHash(hashedContent(r)),
      });
      if (onProgress && entries.length % 5000 === 0) onProgress(entries.length, state.size);
    }
    onProgress?.(entries.length, state.size);
    const heads = await this.savedHeads();
    const problems: VerifyReport['problems'] = [];
    for (const h of heads) {
      if (!verifyTreeHead(h.sth, this.key.publicKey)) {
        problems.push({
          index: null,
          code: 'BAD_SIGNATURE',
          message: `the saved head in ${h.source} has a bad signature`,
        });
      }
    }
    const newest = heads.sort((a, b) => b.sth.treeSize - a.sth.treeSize)[0];
    const result = verifyLog(
      entries,
      newest ? { treeSize: newest.sth.treeSize, rootHash: newest.sth.rootHash } : undefined,
    );
    problems.push(...result.problems);
    if (entries.length !== state.size) {
      problems.push({
        index: null,
        code: 'TRUNCATED',
        message: `the sequencer says ${state.size} records, the log holds ${entries.length}`,
      });
    }
    return {
      ok: problems.length === 0,
      treeSize: result.treeSize,
      rootHash: result.rootHash,
      savedHead: newest
        ? { treeSize: newest.sth.treeSize, rootHash: newest.sth.rootHash, source: newest.source }
        : null,
      problems,
    };
  }

  private async savedHeads(): Promise<{ sth: SignedTreeHead; source: string }[]> {
    const out: { sth: SignedTreeHead; source: string }[] = [];
    const last = await latestTreeHead(this.db);
    if (last) {
      out.push({
        source: 'database',
        sth: {
          treeSize: last.tree_size,
          rootHash: last.root_hash,
          timestamp: last.signed_at.toISOString(),
          signature: last.signature,
          keyId: last.key_id,
        },
      });
    }
    if (this.headFile && existsSync(this.headFile)) {
      out.push({
        source: this.headFile,
        sth: JSON.parse(readFileSync(this.headFile, 'utf8')) as SignedTreeHead,
      });
    }
    return out;
  }
}
