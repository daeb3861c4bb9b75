import { describe, expect, it } from 'vitest';
import { rootFromLeafHashes } from './merkle.ts';
import { type AuditRecord, recordLeafHash } from './record-hash.ts';
import { type StoredLeaf, verifyLog } from './verify.ts';

/** A stored audit row: the record's content and the leaf hash saved when it was appended. */
interface Row {
  index: number;
  record: AuditRecord;
  leafHash: Buffer;
}

function makeLog(size: number): Row[] {
  return Array.from({ length: size }, (_, index) => {
    const record = { index, action: 'item.view', userId: `user-${index % 7}`, itemId: `item-${index * 13}` };
    return { index, record, leafHash: recordLeafHash(record) };
  });
}

/** What the database layer hands to verifyLog: stored hash plus a fresh recomputation. */
function leaves(rows: readonly Row[]): StoredLeaf[] {
  return rows.map((r) => ({
    index: r.index,
    leafHash: r.leafHash,
    computedLeafHash: recordLeafHash(r.record),
  }));
}

function headOf(rows: readonly Row[]): { treeSize: number; rootHash: string } {
  return { treeSize: rows.length, rootHash: rootFromLeafHashes(rows.map((r) => r.leafHash)).toString('hex') };
}

const codes = (result: ReturnType<typeof verifyLog>): string[] =>
  result.problems.map((p) => `${p.code}@${p.index}`);

describe('verifyLog', () => {
  const log = makeLog(40);
  const head = headOf(log);

  it('accepts an intact log and reports its size and root', () => {
    const result = verifyLog(leaves(log), head);
    expect(result).toEqual({ ok: true, treeSize: 40, rootHash: head.rootHash, problems: [] });
  });

  it('accepts an intact log without a saved head, and the empty log', () => {
    expect(verifyLog(leaves(log)).ok).toBe(true);
    const empty = verifyLog([]);
    expect(empty.ok).toBe(true);
    expect(empty.treeSize).toBe(0);
    expect(empty.rootHash).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(verifyLog([], { treeSize: 0, rootHash: empty.rootHash }).ok).toBe(true);
  });

  it('accepts a log that grew after the saved head', () => {
    const grown = makeLog(55);
    const result = verifyLog(leaves(grown), head);
    expect(result.ok).toBe(true);
    expect(result.treeSize).toBe(55);
    expect(result.rootHash).toBe(headOf(grown).rootHash);
  });

  it('accepts the saved root in upper case', () => {
    expect(verifyLog(leaves(log), { ...head, rootHash: head.rootHash.toUpperCase() }).ok).toBe(true);
  });

  it('streams from any iterable', () => {
    function* stream(): Generator<StoredLeaf> {
      yield* leaves(log);
    }
    expect(verifyLog(stream(), head).ok).toBe(true);
  });

  it('detects a changed byte in a record', () => {
    const tampered = log.map((r) =>
      r.index === 17
        ? { ...r, record: { ...r.record, itemId: r.record.itemId!.toString().replace('1', '0') } }
        : r,
    );
    const result = verifyLog(leaves(tampered), head);
    expect(result.ok).toBe(false);
    expect(codes(result)).toEqual(['LEAF_MISMATCH@17', 'ROOT_MISMATCH@null']);
    // Without a saved head the content change is still visible.
    expect(codes(verifyLog(leaves(tampered)))).toEqual(['LEAF_MISMATCH@17']);
  });

  it('detects a changed record whose stored hash was recomputed to match', () => {
    const tampered = log.map((r) => {
      if (r.index !== 5) return r;
      const record = { ...r.record, userId: 'someone-else' };
      return { ...r, record, leafHash: recordLeafHash(record) };
    });
    expect(codes(verifyLog(leaves(tampered), head))).toEqual(['ROOT_MISMATCH@null']);
  });

  it('detects a deleted record', () => {
    const tampered = log.filter((r) => r.index !== 23);
    const result = verifyLog(leaves(tampered), head);
    expect(codes(result)).toEqual(['INDEX_GAP@23', 'TRUNCATED@39']);
    expect(result.problems[0]!.message).toMatch(/record 23 is missing/);
  });

  it('detects a deleted record even after the log grew past the saved head', () => {
    const tampered = makeLog(50).filter((r) => r.index !== 23);
    expect(codes(verifyLog(leaves(tampered), head))).toEqual(['INDEX_GAP@23', 'ROOT_MISMATCH@null']);
  });

  it('detects a deleted first record and a deleted run', () => {
    expect(codes(verifyLog(leaves(log.slice(1))))).toEqual(['INDEX_GAP@0']);
    const run = log.filter((r) => r.index < 10 || r.index > 12);
    const result = verifyLog(leaves(run));
    expect(codes(result)).toEqual(['INDEX_GAP@10']);
    expect(result.problems[0]!.message).toMatch(/records 10\.\.12 are missing/);
  });

  it('detects two swapped records (read in stored order)', () => {
    const swapped = [...log];
    [swapped[8], swapped[9]] = [swapped[9]!, swapped[8]!];
    expect(codes(verifyLog(leaves(swapped), head))).toEqual([
      'INDEX_GAP@8',
      'INDEX_GAP@8',
      'ROOT_MISMATCH@null',
    ]);
    expect(verifyLog(leaves(swapped)).problems.map((p) => p.message)).toEqual([
      'record 8 is missing (found 9 after 7)',
      'record 8 is out of order or duplicated (found after 9)',
    ]);
  });

  it('detects two records whose contents and hashes were swapped but not their indices', () => {
    const a = log[8]!;
    const b = log[30]!;
    const swapped = log.map((r) =>
      r === a ? { ...b, index: a.index } : r === b ? { ...a, index: b.index } : r,
    );
    // The records themselves are self-consistent (hash matches content): only the root shows it.
    expect(codes(verifyLog(leaves(swapped), head))).toEqual(['ROOT_MISMATCH@null']);
  });

  it('detects a duplicated record', () => {
    const duplicated = [...log.slice(0, 11), log[10]!, ...log.slice(11)];
    expect(codes(verifyLog(leaves(duplicated), head))).toEqual(['INDEX_GAP@10', 'ROOT_MISMATCH@null']);
  });

  it('detects truncation (newest records deleted)', () => {
    const result = verifyLog(leaves(log.slice(0, 33)), head);
    expect(result.ok).toBe(false);
    expect(result.treeSize).toBe(33);
    expect(codes(result)).toEqual(['TRUNCATED@33']);
    expect(codes(verifyLog([], head))).toEqual(['TRUNCATED@0']);
  });

  it('detects a saved head that does not match the log', () => {
    expect(codes(verifyLog(leaves(log), { treeSize: 40, rootHash: headOf(makeLog(41)).rootHash }))).toEqual([
      'ROOT_MISMATCH@null',
    ]);
    expect(codes(verifyLog(leaves(log), { treeSize: 40, rootHash: 'not hex' }))).toEqual([
      'ROOT_MISMATCH@null',
    ]);
    expect(codes(verifyLog(leaves(log), { treeSize: 0, rootHash: head.rootHash }))).toEqual([
      'ROOT_MISMATCH@null',
    ]);
  });

  it('treats a malformed stored hash as a mismatch and a bad index as a gap', () => {
    const rows = leaves(log.slice(0, 3));
    rows[1] = { ...rows[1]!, leafHash: rows[1]!.leafHash.subarray(0, 31) };
    expect(codes(verifyLog(rows))).toEqual(['LEAF_MISMATCH@1']);
    const badIndex = leaves(log.slice(0, 3));
    badIndex[2] = { ...badIndex[2]!, index: Number.NaN };
    expect(codes(verifyLog(badIndex))).toEqual(['INDEX_GAP@null']);
  });

  it('rejects programming errors loudly', () => {
    expect(() => verifyLog(leaves(log), { treeSize: -1, rootHash: head.rootHash })).toThrow(RangeError);
    const rows = leaves(log.slice(0, 2));
    rows[0] = { ...rows[0]!, computedLeafHash: Buffer.alloc(3) };
    expect(() => verifyLog(rows)).toThrow(TypeError);
  });
});
