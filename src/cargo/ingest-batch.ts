/**
 * One ingest batch, row by row, inside its transaction: each read row is refused (quarantined with
 * its errors), recognised as a file sent again (unchanged), refused as stale, or scored and turned
 * into the rows to store; first filings are folded into history in filing order.
 *
 * A declaration whose reference is new to the organisation and appears once in the batch — nearly
 * every row of a day's file — is encoded for COPY as soon as it is scored and streamed to the
 * server while the next rows are scored, so the node's scoring and the server's inserting overlap.
 * The rest (amendments of stored declarations, references filed twice in the batch) is kept and
 * written after the loop by the caller, with the same statements as before.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { newSortableId } from '../platform/ids.ts';
import type { BinaryCopyWriter, CopyIn } from '../platform/pg-copy.ts';
import type { AmendablePart } from './cargo.schema.ts';
import * as store from './cargo.store.ts';
import { type Declaration, diffDeclarations } from './declaration.ts';
import type { History } from './history.ts';
import type { ReadRow, RowErrorOut } from './read-rows.ts';
import { type Channel, type Reason, type ScoringContext, scoreDeclaration } from './scoring.ts';

/** A reason as stored and served: `code` is the indicator id or `rule:<id>`. */
export interface ReasonOut {
  code: string;
  label: string;
  contribution: number;
  detail: string;
}

/** The stored current version of a reference (read under the organisation's ingest lock). */
export interface StoredCurrent {
  id: string;
  version: number;
  d: Declaration;
}

export interface IngestedResult {
  id: string;
  version: number;
  amended: boolean;
  score: number;
  channel: Channel;
  reasons: ReasonOut[];
}

export interface BatchRows {
  accepted: number;
  amended: number;
  unchanged: number;
  /** Rows refused (a row refused for several reasons counts once). */
  quarantined: number;
  errors: RowErrorOut[];
  quarantine: store.CargoTables['cargo_quarantine'][];
  /** Current rows not streamed: amendments of stored declarations, references filed twice here. */
  finals: store.DeclarationRowText[];
  /** Versions superseded by a later row of this same batch (written with their bodies). */
  versions: store.VersionRowText[];
  /** Stored declarations this batch supersedes (their current row moves into a version row). */
  supersededStored: string[];
  /** Declarations added to history, in order. */
  observedIds: string[];
  /** New declarations streamed by COPY. */
  streamed: number;
  /** Per stored row, when asked for (a single declaration's answer). */
  results: IngestedResult[];
}

export interface BatchInput {
  prepared: readonly ReadRow[];
  /** Stored current versions of the batch's references. */
  current: Map<string, StoredCurrent>;
  ctx: ScoringContext;
  history: History;
  write: store.IngestWrite;
  /** Single declarations: a stale version is an error (409), not a quarantined row. */
  rejectStale: boolean;
  collectResults: boolean;
  reasonOut: (r: Reason) => ReasonOut;
  /** Where new declarations go as they are scored; null: all are kept in `finals`. */
  copy: CopyIn | null;
  writer: BinaryCopyWriter | null;
  /** Thrown for a stale single declaration. */
  staleError: (reason: string, code: string) => Error;
}

/** Rows scored between two hand-overs to the COPY stream (and turns of the event loop, so the socket drains). */
const STREAM_EVERY = 256;

const DAY_MS = 86_400_000;
/** YYYY-MM-DD of each day met (a batch spans a few hundred days at most). */
const days = new Map<number, string>();
function dayOf(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let text = days.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (days.size >= 100_000) days.clear();
    days.set(day, text);
  }
  return text;
}

/**
 * The same filing sent again: the same version with the same content (the stored body carries the
 * filing trail the service added, so the trail is left out of the comparison).
 */
function sameFiling(stored: Declaration, sent: Declaration): boolean {
  return JSON.stringify({ ...stored, amendments: [] }) === JSON.stringify({ ...sent, amendments: [] });
}

/** How often each reference occurs among the batch's readable rows. */
function referenceCounts(prepared: readonly ReadRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of prepared) if (p.d !== null) counts.set(p.d.id, (counts.get(p.d.id) ?? 0) + 1);
  return counts;
}

export async function ingestRows(input: BatchInput): Promise<BatchRows> {
  const { prepared, current, ctx, history, write, copy, writer } = input;
  const counts = copy === null ? null : referenceCounts(prepared);
  const out: BatchRows = {
    accepted: 0,
    amended: 0,
    unchanged: 0,
    quarantined: 0,
    errors: [],
    quarantine: [],
    finals: [],
    versions: [],
    supersededStored: [],
    observedIds: [],
    streamed: 0,
    results: [],
  };
  const kept = new Map<string, store.DeclarationRowText>();
  const quarantinedRows = new Set<number>();
  const refuse = (p: ReadRow, errs: RowErrorOut[]) => {
    quarantinedRows.add(p.row);
    for (const e of errs) {
      out.errors.push(e);
      out.quarantine.push({
        batch_id: write.batchId,
        org_id: write.orgId,
        row_number: p.row,
        field: e.field,
        reason: e.reason,
        code: e.code,
        raw: p.raw,
        created_at: write.at,
      });
    }
  };
  let sinceHandOver = 0;
  for (const p of prepared) {
    if (p.d === null) {
      refuse(p, p.errors);
      continue;
    }
    let d = p.d;
    const prev = current.get(d.id);
    if (!input.rejectStale && prev !== undefined && d.version === prev.version && sameFiling(prev.d, d)) {
      out.unchanged++;
      continue;
    }
    if (prev !== undefined && d.version <= prev.version) {
      const reason = `version ${d.version} of '${d.id}' is not newer than the stored version ${prev.version}`;
      if (input.rejectStale) throw input.staleError(reason, 'STALE_VERSION');
      refuse(p, [{ row: p.row, field: 'version', reason, code: 'STALE_VERSION' }]);
      continue;
    }
    let changes: AmendablePart[] = [];
    if (prev !== undefined) {
      changes = diffDeclarations(prev.d, d);
      if (changes.length === 0) changes = ['other'];
      // The filing trail: the filer's own, else the stored one plus what this version changed.
      if (!d.amendments.some((a) => a.version === d.version)) {
        d = {
          ...d,
          amendments: [...prev.d.amendments, { version: d.version, filedAt: d.filedAt, parts: changes }],
        };
      }
    }
    ctx.now = d.filedAt;
    const s = scoreDeclaration(d, ctx);
    const reasons = s.reasons.map(input.reasonOut);
    const id = prev?.id ?? newSortableId(write.at.getTime());
    if (prev === undefined) {
      history.observe(d);
      out.observedIds.push(id);
    }
    // Each body is written once: by the reader's worker when it read the row (unless the filing
    // trail was added here), else straight into the COPY buffer, else stringified here.
    const readBody = d === p.d && p.body !== undefined ? p.body : null;
    const streamed = copy !== null && writer !== null && prev === undefined && counts?.get(d.id) === 1;
    const row: store.DeclarationRowText = {
      id,
      reference: d.id,
      version: d.version,
      container: d.container,
      container_type: d.sizeType,
      port: d.discharge,
      loading: d.loading,
      vessel_imo: d.vesselImo,
      vessel_name: d.vesselName,
      shipper_key: d.shipper.key,
      consignee_key: d.consignee.key,
      hs: d.hs,
      filed_at: d.filedAt,
      eta: d.eta,
      eta_day: dayOf(d.eta),
      declaration: streamed ? '' : (readBody ?? JSON.stringify(d)),
      score: s.score,
      channel: s.channel,
      reasons: JSON.stringify(reasons),
      rule_set_version: s.ruleSetVersion,
      rule_set_hash: s.ruleSetHash,
      watchlist_version: s.watchlistVersion,
      changes,
    };
    if (prev !== undefined) {
      const before = kept.get(d.id);
      if (before !== undefined) out.versions.push(store.versionRowOf(before));
      else out.supersededStored.push(id);
      out.amended++;
    } else out.accepted++;
    if (input.collectResults) {
      out.results.push({
        id,
        version: d.version,
        amended: prev !== undefined,
        score: s.score,
        channel: s.channel,
        reasons,
      });
    }
    if (streamed && copy !== null && writer !== null) {
      // Filed once in this batch: no later row can look for it in `current`.
      store.encodeNewDeclaration(writer, write, row, readBody ?? d);
      out.streamed++;
      if (++sinceHandOver === STREAM_EVERY) {
        sinceHandOver = 0;
        await copy.push(writer.take());
        await nextTurn();
      }
      continue;
    }
    current.set(d.id, { id, version: d.version, d });
    kept.set(d.id, row);
  }
  out.quarantined = quarantinedRows.size;
  out.finals = [...kept.values()];
  return out;
}
