/**
 * CargoService: declarations (ingest, amendments, scoring on ingest), the targeting queue,
 * assignments, inspections, alerts to the other ports of a route, rule performance, rule-set
 * versions and simulation, and watchlists. The actor comes first in every method.
 *
 * Ownership: everything belongs to the organisation that filed it. Declarations are read through
 * the access module's `visibleTo` (owner organisation only: they are stored AMBER+STRICT and never
 * distributed), so another organisation — even a customs organisation of the same country — gets
 * the answer of a missing declaration. Rule sets, port settings, watchlists and history features
 * are per organisation too: one organisation's traffic never shapes another's scores.
 *
 * Scoring time: a declaration is scored as of its own filing time (`now = filedAt`), so a file of
 * last month's declarations scores exactly as the live stream would have scored it.
 */
import type { Actor } from '../access/index.ts';
import { type AuditLog, subjectOf } from '../audit/index.ts';
import { type IdentityService, namesOf, requirePermission } from '../identity/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/database.ts';
import { AppError, type ErrorDetail, notFound } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import { BinaryCopyWriter } from '../platform/pg-copy.ts';
import type { SharingService } from '../sharing/index.ts';
import type { WatchlistEntryInput } from './cargo.schema.ts';
import * as store from './cargo.store.ts';
import type { Declaration } from './declaration.ts';
import { DeclarationReader, type DeclarationReaderOptions, type ReaderInput } from './declaration-reader.ts';
import { DEFAULT_RULES_YAML, defaultRuleSet } from './default-rules.ts';
import { History } from './history.ts';
import { BUILTIN_INDICATORS, type IntelHits } from './indicators.ts';
import type { IngestFormat, ParsedRow } from './ingest.ts';
import { type IngestedResult, ingestRows, type ReasonOut } from './ingest-batch.ts';
import { prefetchIntelHits } from './intel-hits.ts';
import {
  type PriceCheck,
  type PriceOutlierQuery,
  type PriceOutlierReport,
  priceCheckOf,
  priceOutliers,
} from './price-outliers.ts';
import type { ReadRow, RowErrorOut } from './read-rows.ts';
import { portLabel } from './reference.ts';
import {
  type CompiledRuleSet,
  compileRuleSet,
  parseRuleSet,
  type RuleSetDoc,
  reviseRuleSet,
} from './rules.ts';
import {
  type Channel,
  createScoringContext,
  DEFAULT_THRESHOLDS,
  type Reason,
  type ScoringContext,
  scoreDeclaration,
} from './scoring.ts';
import { SecondOpinion } from './second-opinion.ts';
import { importFtm, Watchlist } from './watchlist.ts';

export const INDICATOR_IDS = BUILTIN_INDICATORS.map((i) => i.id);
const INDICATOR_TITLES = new Map(BUILTIN_INDICATORS.map((i) => [i.id, i.title]));

/** Daily inspection capacity of a port with no settings. */
export const DEFAULT_CAPACITY = 20;
/** Readable rows from which a batch streams its new declarations by COPY instead of one INSERT. */
const COPY_MIN_ROWS = 50;

export type { ReasonOut } from './ingest-batch.ts';

/** Rows one HTTP batch may carry (larger files go through the CLI, which batches). */
export const MAX_BATCH_ROWS = 50_000;

/** Where one batch's time went, in milliseconds (for the operator and the ingest benchmark). */
export interface IngestTimings {
  /** Validation and normalisation of the rows. */
  normalise: number;
  /** The shared-intelligence look-up of the batch's observables. */
  intel: number;
  /** Lock, history, rules, watchlists, settings and the stored versions of the batch's references. */
  load: number;
  /** Scoring, history upkeep and building the rows, in memory. */
  score: number;
  /** Writing declarations, versions, quarantine, history log, batch and audit record. */
  write: number;
  /** The whole transaction, commit included. */
  transaction: number;
}

export interface BatchReport {
  batchId: string;
  accepted: number;
  amended: number;
  /** Rows identical to the version already stored (a file sent again): neither stored nor refused. */
  unchanged: number;
  quarantined: number;
  errors: RowErrorOut[];
}

export interface PortSettings {
  port: string;
  capacity: number;
  thresholds: { red: number; amber: number };
}

export interface InspectionInput {
  outcome: 'nothing' | 'seizure';
  drug?: 'cocaine' | 'cannabis' | 'heroin' | 'synthetic' | 'other' | undefined;
  kilograms?: number | undefined;
  concealment?: 'rip-on-rip-off' | 'cover-load' | 'container-structure' | 'reefer-unit' | 'other' | undefined;
  notes?: string | undefined;
}

export interface Inspection {
  id: string;
  declarationId: string;
  outcome: 'nothing' | 'seizure';
  drug: string | null;
  kilograms: number | null;
  concealment: string | null;
  notes: string | null;
  inspectedAt: string;
  inspector: { id: string; name: string };
}

interface RuleState {
  version: number;
  builtIn: boolean;
  doc: RuleSetDoc;
  yaml: string;
  compiled: CompiledRuleSet;
  labels: Map<string, string>;
}

type Prepared = ReadRow;

const PORT_RE = /^[A-Z]{2}[A-Z2-9]{3}$/;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

const dayOf = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
const round2 = (x: number) => Math.round(x * 100) / 100;

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** Monday of the ISO week of a YYYY-MM-DD day. */
export function isoWeekStart(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const dow = (new Date(ms).getUTCDay() + 6) % 7;
  return dayOf(ms - dow * DAY_MS);
}

/** History as loaded: `logged` of its declarations are in the log after the snapshot. */
interface HistoryState {
  seq: number;
  history: History;
  logged: number;
}

/** Declarations in the history log before a snapshot is worth rewriting (see cargo_history_log). */
const HISTORY_SNAPSHOT_MIN = 20_000;

/** Entries in each normalisation memo of the service (names, ports, parties; a few tens of MB). */
const NORMALIZE_MEMO_LIMIT = 100_000;

export class CargoService {
  private readonly histories = new Map<string, HistoryState>();
  private readonly watchlists = new Map<string, { version: number; list: Watchlist }>();
  private readonly ruleCache = new Map<string, RuleState>();
  private readonly orgKinds = new Map<string, string>();
  /**
   * Reads (parses, validates, normalises) ingested rows, large batches on a worker thread. Its
   * memo of normalised names, ports and parties lasts across batches: the same trading partners
   * file again and again, and normalisation is a pure function of the filed text, so any
   * organisation's batch may reuse it.
   */
  private readonly reader: DeclarationReader;
  /** The model learned from the organisation's inspections, shown beside the rules' score. */
  private readonly secondOpinion: SecondOpinion;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly identity: IdentityService,
    private readonly sharing: SharingService,
    private readonly options: { historySnapshotMin?: number; reader?: DeclarationReaderOptions } = {},
  ) {
    this.reader = new DeclarationReader({ memoLimit: NORMALIZE_MEMO_LIMIT, ...options.reader });
    this.secondOpinion = new SecondOpinion(db);
  }

  /** Stops the reader's worker thread. */
  close(): Promise<void> {
    return this.reader.close();
  }

  /* ———————————————————————————— authorisation ———————————————————————————— */

  private async orgKind(orgId: string): Promise<string | null> {
    if (!this.orgKinds.has(orgId))
      for (const o of await this.identity.listOrgs()) this.orgKinds.set(o.id, o.kind);
    return this.orgKinds.get(orgId) ?? null;
  }

  /** Declarations, settings, rules and watchlists are written by users of customs organisations. */
  private async requireCustomsWriter(actor: Actor): Promise<void> {
    requirePermission(actor, 'items:write');
    if ((await this.orgKind(actor.orgId)) !== 'customs') {
      throw new AppError('FORBIDDEN', 'Cargo targeting is for customs organisations');
    }
  }

  /* ———————————————————————————— scoring state ———————————————————————————— */

  /** The organisation's history: the cached one if no batch landed since, else snapshot + log. */
  private async loadHistory(db: Db, orgId: string): Promise<HistoryState> {
    const head = await store.historyHead(db, orgId);
    const cached = this.histories.get(orgId);
    if (cached !== undefined && cached.seq === head.seq) return cached;
    const { history, logged } =
      head.seq === 0 ? { history: new History(), logged: 0 } : await store.loadHistory(db, orgId);
    const state = { seq: head.seq, history, logged };
    this.histories.set(orgId, state);
    return state;
  }

  /* ———————————————————————————— price checks (read-only, for finance's TBML view) ———————————————————————————— */

  /** Over- and under-invoiced declarations of the actor's organisation, against the scorer's history. */
  priceOutliers(actor: Actor, q: PriceOutlierQuery, db: Db = this.db): Promise<PriceOutlierReport> {
    return priceOutliers(db, actor, q, this.historyOf);
  }

  /** One declaration's price check, or null when it is missing or another organisation's. */
  priceCheckOf(actor: Actor, declarationId: string, db: Db = this.db): Promise<PriceCheck | null> {
    return priceCheckOf(db, actor, declarationId, this.historyOf);
  }

  private readonly historyOf = async (db: Db, orgId: string) => (await this.loadHistory(db, orgId)).history;

  /** A new snapshot once the log holds half as many declarations as the snapshot (bounded replay). */
  private snapshotDue(state: HistoryState): boolean {
    const min = this.options.historySnapshotMin ?? HISTORY_SNAPSHOT_MIN;
    return state.logged >= Math.max(min, (state.history.size - state.logged) / 2);
  }

  private async loadWatchlist(db: Db, orgId: string): Promise<Watchlist> {
    const version = await store.watchlistVersion(db, orgId);
    const cached = this.watchlists.get(orgId);
    if (cached !== undefined && cached.version === version) return cached.list;
    const rows = await store.watchlistEntries(db, orgId);
    const list = new Watchlist(
      rows.map((r) => store.json<WatchlistEntryInput>(r.entry)),
      { version: `${orgId.slice(0, 8)}:${version}` },
    );
    this.watchlists.set(orgId, { version, list });
    return list;
  }

  private async loadRules(db: Db, orgId: string): Promise<RuleState> {
    const row = await store.currentRuleSet(db, orgId);
    const version = row?.version ?? 0;
    const cached = this.ruleCache.get(orgId);
    if (
      cached !== undefined &&
      (row === undefined ? cached.builtIn : !cached.builtIn && cached.version === version)
    )
      return cached;
    const doc = row === undefined ? defaultRuleSet() : store.json<RuleSetDoc>(row.doc);
    const state = this.ruleState(doc, row?.yaml ?? DEFAULT_RULES_YAML, row === undefined);
    this.ruleCache.set(orgId, state);
    return state;
  }

  private ruleState(doc: RuleSetDoc, yaml: string, builtIn: boolean): RuleState {
    const compiled = compileRuleSet(doc, { indicatorIds: INDICATOR_IDS });
    const labels = new Map(INDICATOR_TITLES);
    for (const r of doc.rules) labels.set(`rule:${r.id}`, r.name);
    return { version: doc.version, builtIn, doc, yaml, compiled, labels };
  }

  private async settingsMap(
    db: Db,
    orgId: string,
    ports: readonly string[],
  ): Promise<Map<string, PortSettings>> {
    const rows = await store.portSettings(db, orgId, ports);
    return new Map(
      rows.map((r) => [
        r.port,
        { port: r.port, capacity: r.capacity, thresholds: { red: r.red, amber: r.amber } },
      ]),
    );
  }

  private context(
    history: History,
    rules: RuleState | null,
    watchlist: Watchlist | null,
    intel: IntelHits | null,
    settings: Map<string, PortSettings>,
  ): ScoringContext {
    return createScoringContext({
      history,
      rules: rules?.compiled ?? null,
      watchlists: watchlist,
      intel,
      portThresholds: Object.fromEntries(
        [...settings.values()].map((s) => [s.port, { red: s.thresholds.red, amber: s.thresholds.amber }]),
      ),
    });
  }

  /* ———————————————————————————— ingest ———————————————————————————— */

  private prepare(rows: readonly ParsedRow[]): Prepared[] {
    return this.reader.readHere({ rows });
  }

  /** A batch from a file (CSV or JSON Lines): good rows land, bad rows are quarantined; one transaction. */
  async ingestBatch(actor: Actor, format: IngestFormat, text: string): Promise<BatchReport> {
    await this.requireCustomsWriter(actor);
    // An oversized batch is refused once parsed, before any row is validated.
    const prepared = await this.reader.read({ format, text, maxRows: MAX_BATCH_ROWS });
    const { report } = await this.ingestPrepared(actor, format, prepared, { rejectStale: false });
    return report;
  }

  /** One declaration (streaming filers). Invalid input is refused whole (400, nothing stored). */
  async ingestOne(actor: Actor, raw: unknown) {
    await this.requireCustomsWriter(actor);
    const prepared = this.prepare([{ row: 1, raw: '', value: raw, errors: [] }]);
    const bad = prepared[0]?.errors ?? [];
    if (bad.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        'Invalid declaration',
        bad.map((e) => ({ path: e.field, message: e.reason, code: e.code })),
      );
    }
    const { report, results } = await this.ingestPrepared(actor, 'json', prepared, {
      rejectStale: true,
      results: true,
    });
    const r = results[0];
    if (r === undefined) throw new AppError('INTERNAL', 'declaration not stored');
    return { ...r, batchId: report.batchId };
  }

  /** Rows already parsed (the demo world), with the score given to each stored row. */
  async ingestRows(actor: Actor, format: string, rows: readonly ParsedRow[]) {
    return this.ingestPrepared(actor, format, this.prepare(rows), { rejectStale: false, results: true });
  }

  /**
   * Consecutive batches of one file, each its own transaction, committed in their order (an
   * amendment must land after the version it amends). Each next batch is read, validated,
   * normalised and looked up in shared intelligence while the previous one is being written, so
   * the node's work overlaps the database server's; at most one batch waits ahead.
   */
  async ingestBatches(
    actor: Actor,
    format: string,
    batches: Iterable<ReaderInput> | AsyncIterable<ReaderInput>,
    onBatch: (report: BatchReport, rows: number, timings: IngestTimings) => void = () => undefined,
  ): Promise<void> {
    await this.requireCustomsWriter(actor);
    let writing: Promise<void> | null = null;
    // The failure of the batch being written, rethrown before the next one starts (a rejection
    // is caught at once so that it is not reported as unhandled while the next batch is read).
    const failed: { error?: unknown } = {};
    const stopIfFailed = () => {
      if ('error' in failed) throw failed.error;
    };
    for await (const input of batches) {
      const t0 = performance.now();
      const prepared = await this.reader.read(input);
      const t1 = performance.now();
      const intel = await this.intelFor(actor, prepared);
      const ahead = { normalise: t1 - t0, intel: performance.now() - t1 };
      if (writing !== null) await writing;
      stopIfFailed();
      writing = this.ingestPrepared(actor, format, prepared, { rejectStale: false }, intel).then(
        ({ report, timings }) => onBatch(report, prepared.length, { ...timings, ...ahead }),
        (error: unknown) => {
          failed.error = error;
        },
      );
    }
    if (writing !== null) await writing;
    stopIfFailed();
  }

  /** Shared intelligence on a batch's declarations, read before its transaction (the embedded engine has one connection). */
  private intelFor(actor: Actor, prepared: readonly Prepared[]): Promise<IntelHits | null> {
    return prefetchIntelHits(
      this.sharing,
      actor,
      prepared.flatMap((p) => (p.d === null ? [] : [p.d])),
    );
  }

  private async ingestPrepared(
    actor: Actor,
    format: string,
    prepared: Prepared[],
    opts: { rejectStale: boolean; results?: boolean },
    prefetched?: IntelHits | null,
  ): Promise<{
    report: BatchReport;
    results: IngestedResult[];
    timings: Omit<IngestTimings, 'normalise' | 'intel'>;
  }> {
    const good = prepared.flatMap((p) => (p.d === null ? [] : [p.d]));
    const intel = prefetched !== undefined ? prefetched : await this.intelFor(actor, prepared);
    const batchId = newId();
    const now = this.clock.now();
    const started = performance.now();
    const timings = { load: 0, score: 0, write: 0, transaction: 0 };
    let lap = started;
    const phase = (name: 'load' | 'score' | 'write') => {
      const t = performance.now();
      timings[name] += t - lap;
      lap = t;
    };
    try {
      const out = await this.db.transaction().execute(async (tx) => {
        lap = performance.now();
        await store.lockOrgIngest(tx, actor.orgId);
        const state = await this.loadHistory(tx, actor.orgId);
        const { seq, history } = state;
        const rules = await this.loadRules(tx, actor.orgId);
        const watchlist = await this.loadWatchlist(tx, actor.orgId);
        const ports = [...new Set(good.map((d) => d.discharge))];
        const ctx = this.context(
          history,
          rules,
          watchlist,
          intel,
          await this.settingsMap(tx, actor.orgId, ports),
        );
        const existing = await store.currentByReference(tx, actor.orgId, [...new Set(good.map((d) => d.id))]);
        const current = new Map(
          existing.map((e) => [
            e.reference,
            { id: e.id, version: e.version, d: store.json<Declaration>(e.declaration) },
          ]),
        );
        phase('load');
        const write = { orgId: actor.orgId, authorId: actor.userId, batchId, at: now };
        // New declarations are streamed by COPY while the batch is scored (see ingest-batch.ts);
        // a single declaration is not worth a COPY.
        const streaming = good.length >= COPY_MIN_ROWS;
        const copy = streaming ? store.copyNewDeclarations(tx) : null;
        const writer = streaming ? new BinaryCopyWriter() : null;
        const rows = await ingestRows({
          prepared,
          current,
          ctx,
          history,
          write,
          rejectStale: opts.rejectStale,
          collectResults: opts.results === true,
          reasonOut: (r) => this.reasonOut(r, rules),
          copy,
          writer,
          staleError: (reason, code) =>
            new AppError('CONFLICT', reason, [{ path: 'version', message: reason, code }]),
        }).catch(async (e: unknown) => {
          // The COPY holds the connection: end it (it fails or is rolled back with the transaction).
          await copy?.end(writer?.end()).catch(() => undefined);
          throw e;
        });
        phase('score');
        if (copy !== null && writer !== null) await copy.end(writer.end());
        const { accepted, amended, unchanged, quarantined, errors, observedIds } = rows;
        await store.insertBatch(tx, {
          id: batchId,
          org_id: actor.orgId,
          author_id: actor.userId,
          format,
          accepted,
          amended,
          quarantined,
          created_at: now,
        });
        await store.moveSupersededToVersions(tx, rows.supersededStored);
        await store.upsertDeclarations(tx, write, rows.finals);
        await store.insertVersions(tx, write, rows.versions);
        await store.insertQuarantine(tx, rows.quarantine);
        if (observedIds.length > 0) {
          const next = { seq: seq + 1, history, logged: state.logged + observedIds.length };
          const snapshot = this.snapshotDue(next) ? JSON.stringify(history.toJSON()) : null;
          if (snapshot !== null) next.logged = 0;
          await store.writeHistory(tx, {
            orgId: actor.orgId,
            seq: next.seq,
            observed: history.size,
            declarationIds: observedIds,
            snapshot,
            at: now,
          });
          this.histories.set(actor.orgId, next);
        }
        await this.audit.append(tx, subjectOf(actor), {
          action: 'collection',
          objectType: 'cargo_batch',
          objectId: batchId,
          details: { format, accepted, amended, unchanged, quarantined, ruleSetVersion: rules.version },
        });
        phase('write');
        return {
          report: { batchId, accepted, amended, unchanged, quarantined, errors },
          results: rows.results,
        };
      });
      timings.transaction = performance.now() - started;
      return { ...out, timings };
    } catch (e) {
      // The in-memory history may hold declarations of the rolled-back batch: reload it next time.
      this.histories.delete(actor.orgId);
      throw e;
    }
  }

  private reasonOut(r: Reason, rules: RuleState | null): ReasonOut {
    const code = r.indicatorId.startsWith('rule:') ? r.indicatorId.replace(/@\d+$/, '') : r.indicatorId;
    return {
      code,
      label: rules?.labels.get(code) ?? INDICATOR_TITLES.get(code) ?? code,
      contribution: round2(r.contribution),
      detail: r.explanation,
    };
  }

  /** Scores declarations against the stored history, rules and watchlists without storing anything. */
  async scoreRows(actor: Actor, rows: readonly ParsedRow[]) {
    requirePermission(actor, 'items:read');
    const prepared = this.prepare(rows);
    const good = prepared.flatMap((p) => (p.d === null ? [] : [p.d]));
    const intel = await prefetchIntelHits(this.sharing, actor, good);
    const { history } = await this.loadHistory(this.db, actor.orgId);
    const rules = await this.loadRules(this.db, actor.orgId);
    const watchlist = await this.loadWatchlist(this.db, actor.orgId);
    const ports = [...new Set(good.map((d) => d.discharge))];
    const ctx = this.context(
      history,
      rules,
      watchlist,
      intel,
      await this.settingsMap(this.db, actor.orgId, ports),
    );
    return prepared.map((p) => {
      if (p.d === null) return { row: p.row, errors: p.errors };
      ctx.now = p.d.filedAt;
      const s = scoreDeclaration(p.d, ctx);
      return {
        row: p.row,
        id: p.d.id,
        container: p.d.container,
        score: s.score,
        channel: s.channel,
        reasons: s.reasons.map((r) => this.reasonOut(r, rules)),
      };
    });
  }

  /* ———————————————————————————— reads ———————————————————————————— */

  private async visibleDeclaration(actor: Actor, id: string, db: Db = this.db) {
    const row = isUuid(id) ? await store.findDeclaration(db, actor, id) : undefined;
    if (row === undefined) {
      await this.audit.append(db, subjectOf(actor), {
        action: 'access_denied',
        objectType: 'cargo_declaration',
        objectId: id.slice(0, 64),
      });
      throw notFound('declaration');
    }
    return row;
  }

  private async inspectionsOut(rows: store.InspectionRow[]): Promise<Map<string, Inspection>> {
    const names = await namesOf(this.db, [...new Set(rows.map((r) => r.inspector_id))], []);
    return new Map(
      rows.map((r) => [
        r.declaration_id,
        {
          id: r.id,
          declarationId: r.declaration_id,
          outcome: r.outcome,
          drug: r.drug,
          kilograms: r.kilograms,
          concealment: r.concealment,
          notes: r.notes,
          inspectedAt: r.inspected_at.toISOString(),
          inspector: { id: r.inspector_id, name: names.users.get(r.inspector_id)?.name ?? '—' },
        },
      ]),
    );
  }

  private async assigneesOf(ids: string[]): Promise<Map<string, { id: string; name: string }>> {
    const rows = await store.assignmentOf(this.db, ids);
    const names = await namesOf(this.db, [...new Set(rows.map((r) => r.assignee_id))], []);
    return new Map(
      rows.map((r) => [
        r.declaration_id,
        { id: r.assignee_id, name: names.users.get(r.assignee_id)?.name ?? '—' },
      ]),
    );
  }

  async getDeclaration(actor: Actor, id: string) {
    const row = await this.visibleDeclaration(actor, id);
    const versions = await store.versionsOf(this.db, row.id);
    const inspections = await this.inspectionsOut(await store.latestInspections(this.db, [row.id]));
    const assignees = await this.assigneesOf([row.id]);
    const reasons = store.json<ReasonOut[]>(row.reasons);
    const model = await this.secondOpinion.modelOf(actor.orgId);
    await this.audit.append(this.db, subjectOf(actor), {
      action: 'consultation',
      objectType: 'cargo_declaration',
      objectId: row.id,
    });
    return {
      id: row.id,
      reference: row.reference,
      version: row.version,
      declaration: store.json<Declaration>(row.declaration),
      score: row.score,
      channel: row.channel,
      reasons,
      secondOpinion: SecondOpinion.explain(model, reasons),
      versions: versions.map((v) => ({
        version: v.version,
        filedAt: v.filed_at.toISOString(),
        changes: v.changes,
      })),
      assignee: assignees.get(row.id) ?? null,
      inspection: inspections.get(row.id) ?? null,
    };
  }

  /* ———————————————————————————— ports and queue ———————————————————————————— */

  private checkPort(port: string): string {
    const p = port.trim().toUpperCase().replace(' ', '');
    if (!PORT_RE.test(p)) {
      throw new AppError('VALIDATION_FAILED', 'Invalid port', [
        { path: 'port', message: `'${port}' is not a UN/LOCODE` },
      ]);
    }
    return p;
  }

  async getPortSettings(actor: Actor, port: string): Promise<PortSettings> {
    requirePermission(actor, 'items:read');
    const p = this.checkPort(port);
    return (
      (await this.settingsMap(this.db, actor.orgId, [p])).get(p) ?? {
        port: p,
        capacity: DEFAULT_CAPACITY,
        thresholds: { red: DEFAULT_THRESHOLDS.red, amber: DEFAULT_THRESHOLDS.amber },
      }
    );
  }

  async putPortSettings(
    actor: Actor,
    port: string,
    input: { capacity: number; thresholds: { red: number; amber: number } },
  ): Promise<PortSettings> {
    await this.requireCustomsWriter(actor);
    const p = this.checkPort(port);
    if (input.thresholds.amber > input.thresholds.red) {
      throw new AppError('VALIDATION_FAILED', 'Invalid thresholds', [
        { path: 'thresholds.amber', message: 'amber must not be above red' },
      ]);
    }
    await this.db.transaction().execute(async (tx) => {
      await store.upsertPortSettings(tx, {
        org_id: actor.orgId,
        port: p,
        capacity: input.capacity,
        red: input.thresholds.red,
        amber: input.thresholds.amber,
        updated_by: actor.userId,
        updated_at: this.clock.now(),
      });
      await this.audit.append(tx, subjectOf(actor), {
        action: 'alteration',
        objectType: 'cargo_port_settings',
        objectId: p,
        details: { capacity: input.capacity, red: input.thresholds.red, amber: input.thresholds.amber },
      });
    });
    return { port: p, capacity: input.capacity, thresholds: { ...input.thresholds } };
  }

  /**
   * The day's ranked queue of a port: the organisation's declarations arriving that day, best first,
   * channels from the port's current thresholds, and red for at most `capacity` of them (the reds
   * beyond capacity are scanned: amber).
   */
  async queue(actor: Actor, port: string, date: string | undefined) {
    const settings = await this.getPortSettings(actor, port);
    const day = date ?? this.clock.now().toISOString().slice(0, 10);
    if (!DAY_RE.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
      throw new AppError('VALIDATION_FAILED', 'Invalid date', [
        { path: 'date', message: 'expected YYYY-MM-DD' },
      ]);
    }
    const rows = await store.queue(this.db, actor, settings.port, day);
    const ids = rows.map((r) => r.id);
    const inspections = await this.inspectionsOut(await store.latestInspections(this.db, ids));
    const assignees = await this.assigneesOf(ids);
    const model = await this.secondOpinion.modelOf(actor.orgId);
    let reds = 0;
    const entries = rows.map((r, i) => {
      const reasons = store.json<ReasonOut[]>(r.reasons);
      const d = store.json<Declaration>(r.declaration);
      const t = settings.thresholds;
      let channel: Channel = r.score >= t.red ? 'red' : r.score >= t.amber ? 'amber' : 'green';
      if (channel === 'red') {
        if (reds < settings.capacity) reds++;
        else channel = 'amber';
      }
      return {
        id: r.id,
        reference: r.reference,
        rank: i + 1,
        container: r.container,
        containerType: r.container_type,
        score: r.score,
        channel,
        reasons,
        /** Probability that an inspection finds drugs, learned from past inspections (null: too few). */
        secondOpinion: SecondOpinion.probability(model, reasons),
        route: routeOf(d),
        vessel: { imo: d.vesselImo, name: d.vesselName },
        consignee: d.consignee.name,
        shipper: d.shipper.name,
        hs: d.hs,
        eta: new Date(d.eta).toISOString(),
        assignee: assignees.get(r.id) ?? null,
        inspection: inspections.get(r.id) ?? null,
      };
    });
    return {
      port: settings.port,
      date: day,
      capacity: settings.capacity,
      thresholds: settings.thresholds,
      entries,
    };
  }

  /* ———————————————————————————— acts on a declaration ———————————————————————————— */

  async assign(actor: Actor, id: string, userId: string) {
    await this.requireCustomsWriter(actor);
    const row = await this.visibleDeclaration(actor, id);
    const user = isUuid(userId) ? await this.identity.publicUser(userId).catch(() => null) : null;
    if (user === null || user.orgId !== actor.orgId) {
      throw new AppError('VALIDATION_FAILED', 'Invalid assignee', [
        { path: 'userId', message: 'not a user of your organisation' },
      ]);
    }
    await this.db.transaction().execute(async (tx) => {
      await store.upsertAssignment(tx, {
        declaration_id: row.id,
        assignee_id: user.id,
        assigned_by: actor.userId,
        assigned_at: this.clock.now(),
      });
      await this.audit.append(tx, subjectOf(actor), {
        action: 'alteration',
        objectType: 'cargo_declaration',
        objectId: row.id,
        recipients: [user.id],
        details: { assignee: user.id },
      });
    });
    return { assignee: { id: user.id, name: user.displayName } };
  }

  async inspect(
    actor: Actor,
    id: string,
    input: InspectionInput,
    opts: { at?: Date } = {},
  ): Promise<Inspection> {
    await this.requireCustomsWriter(actor);
    checkInspection(input);
    const row = await this.visibleDeclaration(actor, id);
    const ins: store.InspectionRow = {
      id: newId(),
      declaration_id: row.id,
      org_id: actor.orgId,
      outcome: input.outcome,
      drug: input.drug ?? null,
      kilograms: input.kilograms ?? null,
      concealment: input.concealment ?? null,
      notes: input.notes ?? null,
      inspector_id: actor.userId,
      inspected_at: opts.at ?? this.clock.now(),
    };
    await this.db.transaction().execute(async (tx) => {
      await store.insertInspection(tx, ins);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'collection',
        objectType: 'cargo_inspection',
        objectId: ins.id,
        details: {
          declaration: row.id,
          outcome: ins.outcome,
          drug: ins.drug,
          // The audit record's canonical form takes integers only: a weight like 312.5 goes as text.
          kilograms: ins.kilograms === null ? null : String(ins.kilograms),
        },
      });
    });
    return (await this.inspectionsOut([ins])).get(row.id) as Inspection;
  }

  /**
   * Warns the customs organisations of the other ports of the container's route (those on this
   * node, by the ports' countries) with a TLP:AMBER alert carrying the container and the vessel.
   */
  async alert(actor: Actor, id: string): Promise<{ itemId: string; recipients: string[] }> {
    await this.requireCustomsWriter(actor);
    const row = await this.visibleDeclaration(actor, id);
    const d = store.json<Declaration>(row.declaration);
    const route = routeOf(d);
    const countries = new Set(route.filter((p) => p !== d.discharge).map((p) => p.slice(0, 2)));
    const orgs = (await this.identity.listOrgs()).filter(
      (o) => o.kind === 'customs' && o.id !== actor.orgId && countries.has(o.country),
    );
    if (orgs.length === 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        'No other port of this route has a customs organisation on this node',
        [{ path: 'route', message: `route ${route.join(' → ')}` }],
      );
    }
    const reasons = store.json<ReasonOut[]>(row.reasons);
    const { item } = await this.sharing.publish(actor, {
      kind: 'alert',
      title: `Container ${d.container} selected for inspection at ${portLabel(d.discharge)}`,
      body: [
        `Container **${d.container}** (${d.sizeType}) on vessel ${d.vesselName ?? ''} IMO ${d.vesselImo}, voyage ${d.voyage}.`,
        `Route: ${route.join(' → ')}; arrival ${new Date(d.eta).toISOString().slice(0, 10)}.`,
        `Risk score ${row.score}:`,
        ...reasons.slice(0, 8).map((r) => `- ${r.label} (+${r.contribution}): ${r.detail}`),
      ].join('\n'),
      marking: { tlp: 'AMBER', handlingCode: null, sourceReliability: null, infoCredibility: null },
      distribution: { orgs: orgs.map((o) => o.id), users: [], communities: [], node: false },
      personalData: null,
      observables: [
        { type: 'container', value: d.container },
        { type: 'vessel', value: d.vesselImo },
      ],
      addressees: [],
      deadline: null,
    });
    await this.db.transaction().execute(async (tx) => {
      await store.insertAlert(tx, {
        declaration_id: row.id,
        item_id: item.id,
        created_by: actor.userId,
        created_at: this.clock.now(),
      });
      await this.audit.append(tx, subjectOf(actor), {
        action: 'disclosure',
        objectType: 'cargo_declaration',
        objectId: row.id,
        recipients: orgs.map((o) => o.id),
        details: { item: item.id },
      });
    });
    return { itemId: item.id, recipients: orgs.map((o) => o.id) };
  }

  /* ———————————————————————————— performance ———————————————————————————— */

  /**
   * Rule performance over declarations arriving between two days (inclusive), from stored scores
   * and the latest inspection of each declaration. Definitions: docs/cargo-formats.md.
   */
  async performance(actor: Actor, port: string | undefined, from: string, to: string) {
    requirePermission(actor, 'items:read');
    for (const [k, v] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!DAY_RE.test(v))
        throw new AppError('VALIDATION_FAILED', 'Invalid date', [
          { path: k, message: 'expected YYYY-MM-DD' },
        ]);
    }
    const p = port === undefined ? undefined : this.checkPort(port);
    const rows = await store.outcomes(this.db, actor, {
      ...(p ? { port: p } : {}),
      fromDay: from,
      toDay: to,
    });
    const capacities = new Map(
      (await store.allPortSettings(this.db, actor.orgId)).map((s) => [s.port, s.capacity]),
    );
    return summarise(
      rows,
      (port) => capacities.get(port) ?? DEFAULT_CAPACITY,
      await this.loadRules(this.db, actor.orgId),
    );
  }

  /* ———————————————————————————— rules ———————————————————————————— */

  async rules(actor: Actor) {
    requirePermission(actor, 'items:read');
    const r = await this.loadRules(this.db, actor.orgId);
    return { version: r.version, builtIn: r.builtIn, yaml: r.yaml, ruleSet: r.doc };
  }

  /** What the second opinion learned from the organisation's inspections (or why it is not offered yet). */
  async outcomeModel(actor: Actor) {
    requirePermission(actor, 'items:read');
    const rules = await this.loadRules(this.db, actor.orgId);
    return this.secondOpinion.summary(
      actor.orgId,
      (code) => rules?.labels.get(code) ?? INDICATOR_TITLES.get(code) ?? code,
    );
  }

  async ruleVersions(actor: Actor) {
    requirePermission(actor, 'items:read');
    const rows = await store.ruleSetVersions(this.db, actor.orgId);
    const names = await namesOf(this.db, [...new Set(rows.map((r) => r.author_id))], []);
    return {
      versions: rows.map((r) => ({
        version: r.version,
        hash: r.hash,
        author: { id: r.author_id, name: names.users.get(r.author_id)?.name ?? '—' },
        comment: r.comment,
        createdAt: r.created_at.toISOString(),
      })),
    };
  }

  /**
   * One stored version of the organisation's rule set with its exact text, to view, compare or
   * restore (restoring is saving that text again, so history stays append-only). Another
   * organisation's version is answered like a missing one.
   */
  async ruleVersion(actor: Actor, version: number) {
    requirePermission(actor, 'items:read');
    if (!Number.isSafeInteger(version) || version < 1)
      throw new AppError('VALIDATION_FAILED', 'Invalid rule-set version', [
        { path: 'version', message: 'expected a positive integer' },
      ]);
    // Versions are int4: a larger number cannot exist (and must not reach the database as one).
    const row =
      version > 2_147_483_647 ? undefined : await store.ruleSetVersion(this.db, actor.orgId, version);
    if (row === undefined) throw notFound('rule-set version');
    const names = await namesOf(this.db, [row.author_id], []);
    return {
      version: row.version,
      hash: row.hash,
      author: { id: row.author_id, name: names.users.get(row.author_id)?.name ?? '—' },
      comment: row.comment,
      createdAt: row.created_at.toISOString(),
      yaml: row.yaml,
    };
  }

  /** Validates, versions (rules.ts reviseRuleSet) and stores a rule set; in force for the next batch. */
  async saveRules(actor: Actor, yaml: string, comment: string) {
    await this.requireCustomsWriter(actor);
    const proposed = parseRuleSet(yaml, { indicatorIds: INDICATOR_IDS });
    return this.db.transaction().execute(async (tx) => {
      await store.lockOrgRules(tx, actor.orgId);
      const previous = await this.loadRules(tx, actor.orgId);
      const rev = reviseRuleSet(previous.doc, proposed);
      const created = rev.ruleSet.version !== previous.version;
      if (created) {
        const compiled = compileRuleSet(rev.ruleSet, { indicatorIds: INDICATOR_IDS });
        await store.insertRuleSet(tx, {
          org_id: actor.orgId,
          version: rev.ruleSet.version,
          yaml,
          doc: JSON.stringify(rev.ruleSet),
          hash: compiled.hash,
          author_id: actor.userId,
          comment,
          created_at: this.clock.now(),
        });
        await this.audit.append(tx, subjectOf(actor), {
          action: 'collection',
          objectType: 'cargo_rule_set',
          objectId: String(rev.ruleSet.version),
          details: { added: rev.added, changed: rev.changed, removed: rev.removed, comment },
        });
        this.ruleCache.delete(actor.orgId);
      }
      return {
        version: rev.ruleSet.version,
        created,
        added: rev.added,
        changed: rev.changed,
        removed: rev.removed,
      };
    });
  }

  /**
   * What a rule set would have done over the organisation's declarations filed in the last `days`
   * days: history is replayed from the first stored declaration (so features are those of the time),
   * each declaration in the window is scored with the proposed rules and the current watchlists and
   * port thresholds (not shared intelligence: it may have changed since), and compared with the
   * recorded inspections.
   */
  async simulate(actor: Actor, yaml: string, days = 90) {
    requirePermission(actor, 'items:read');
    const doc = parseRuleSet(yaml, { indicatorIds: INDICATOR_IDS });
    const proposed = this.ruleState(doc, yaml, false);
    const since = this.clock.now().getTime() - days * DAY_MS;
    const all = await store.declarationsInFilingOrder(this.db, actor, 500_000);
    const outcomes = new Map(
      (await store.outcomes(this.db, actor, { filedFrom: new Date(since) })).map((o) => [o.id, o.outcome]),
    );
    const history = new History();
    const watchlist = await this.loadWatchlist(this.db, actor.orgId);
    const settings = new Map(
      (await store.allPortSettings(this.db, actor.orgId)).map((s) => [
        s.port,
        { port: s.port, capacity: s.capacity, thresholds: { red: s.red, amber: s.amber } },
      ]),
    );
    const ctx = this.context(history, proposed, watchlist, null, settings);
    const perRule = new Map(
      doc.rules.map((r) => [
        `rule:${r.id}`,
        { code: `rule:${r.id}`, label: r.name, selected: 0, inspected: 0, seizures: 0 },
      ]),
    );
    let scored = 0;
    let selected = 0;
    let inspected = 0;
    let seizures = 0;
    for (const row of all) {
      const d = store.json<Declaration>(row.declaration);
      // History features of the first filing: amendments were never observed twice.
      if (d.filedAt >= since && outcomes.has(row.id)) {
        ctx.now = d.filedAt;
        const s = scoreDeclaration(d, ctx);
        const outcome = outcomes.get(row.id) ?? null;
        scored++;
        if (s.channel === 'red') {
          selected++;
          if (outcome !== null) inspected++;
          if (outcome === 'seizure') seizures++;
        }
        for (const r of s.reasons) {
          const pr = perRule.get(r.indicatorId.replace(/@\d+$/, ''));
          if (pr === undefined) continue;
          pr.selected++;
          if (outcome !== null) pr.inspected++;
          if (outcome === 'seizure') pr.seizures++;
        }
      }
      history.observe(d);
    }
    return { days, declarations: scored, selected, inspected, seizures, perRule: [...perRule.values()] };
  }

  /* ———————————————————————————— watchlists ———————————————————————————— */

  async watchlistsOf(actor: Actor) {
    requirePermission(actor, 'items:read');
    const rows = await store.watchlistEntries(this.db, actor.orgId);
    const lists = new Map<string, number>();
    for (const r of rows) lists.set(r.list, (lists.get(r.list) ?? 0) + 1);
    return {
      version: await store.watchlistVersion(this.db, actor.orgId),
      lists: [...lists].map(([name, entries]) => ({ name, entries })),
      entries: rows.slice(0, 2000).map((r) => ({
        id: r.id,
        list: r.list,
        entry: store.json<WatchlistEntryInput>(r.entry),
        createdAt: r.created_at.toISOString(),
      })),
      total: rows.length,
    };
  }

  /** One entry, in the list named by its `source`; an entry with the same id in that list is replaced. */
  async addWatchlistEntry(actor: Actor, entry: WatchlistEntryInput) {
    await this.requireCustomsWriter(actor);
    const probe = new Watchlist([entry]);
    if (probe.size === 0) {
      throw new AppError('VALIDATION_FAILED', 'Unusable watchlist entry', [
        { path: '', message: probe.rejected.map((r) => r.reason).join('; ') || 'no usable value' },
      ]);
    }
    const id = newId();
    await this.db.transaction().execute(async (tx) => {
      await store.upsertWatchlistEntries(tx, [
        {
          id,
          org_id: actor.orgId,
          list: entry.source,
          entry_id: entry.id,
          kind: entry.kind,
          entry: JSON.stringify(entry),
          created_by: actor.userId,
          created_at: this.clock.now(),
        },
      ]);
      await store.bumpWatchlistVersion(tx, actor.orgId);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'collection',
        objectType: 'cargo_watchlist_entry',
        objectId: entry.id.slice(0, 200),
        details: { list: entry.source, kind: entry.kind },
      });
    });
    const stored = (await store.watchlistEntries(this.db, actor.orgId)).find(
      (r) => r.list === entry.source && r.entry_id === entry.id,
    );
    return { id: stored?.id ?? id, list: entry.source, entry };
  }

  async deleteWatchlistEntry(actor: Actor, id: string): Promise<void> {
    await this.requireCustomsWriter(actor);
    if (!isUuid(id)) throw notFound('watchlist entry');
    await this.db.transaction().execute(async (tx) => {
      if (!(await store.deleteWatchlistEntry(tx, actor.orgId, id))) throw notFound('watchlist entry');
      await store.bumpWatchlistVersion(tx, actor.orgId);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'erasure',
        objectType: 'cargo_watchlist_entry',
        objectId: id,
      });
    });
  }

  /** FollowTheMoney JSON lines as the watchlist `list` (replacing that list whole: a refreshed export). */
  async importFtm(actor: Actor, text: string, list: string) {
    await this.requireCustomsWriter(actor);
    const result = importFtm(text, { source: list });
    const now = this.clock.now();
    let replaced = 0;
    await this.db.transaction().execute(async (tx) => {
      replaced = await store.deleteWatchlistList(tx, actor.orgId, list);
      const unique = new Map(result.entries.map((e) => [e.id, e]));
      await store.upsertWatchlistEntries(
        tx,
        [...unique.values()].map((e) => ({
          id: newId(),
          org_id: actor.orgId,
          list,
          entry_id: e.id,
          kind: e.kind,
          entry: JSON.stringify(e),
          created_by: actor.userId,
          created_at: now,
        })),
      );
      await store.bumpWatchlistVersion(tx, actor.orgId);
      await this.audit.append(tx, subjectOf(actor), {
        action: 'collection',
        objectType: 'cargo_watchlist',
        objectId: list.slice(0, 200),
        details: { entries: unique.size, skipped: result.skipped.length, replaced },
      });
    });
    return {
      list,
      imported: new Set(result.entries.map((e) => e.id)).size,
      replaced,
      skipped: result.skipped.slice(0, 200),
    };
  }
}

/** Loading, calls, transshipments, discharge (each once, in that order). */
export function routeOf(d: Declaration): string[] {
  return [...new Set([d.loading, ...d.callPorts, ...d.transshipment, d.discharge])];
}

function checkInspection(i: InspectionInput): void {
  const details: ErrorDetail[] = [];
  if (i.outcome === 'seizure') {
    if (i.drug === undefined) details.push({ path: 'drug', message: 'a seizure needs the drug' });
    if (i.kilograms === undefined)
      details.push({ path: 'kilograms', message: 'a seizure needs the kilograms' });
  } else {
    for (const k of ['drug', 'kilograms', 'concealment'] as const) {
      if (i[k] !== undefined) details.push({ path: k, message: 'only for a seizure' });
    }
  }
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'Invalid inspection', details);
}

/** Performance figures (pure: rows in, figures out). */
export function summarise(
  rows: readonly store.OutcomeRow[],
  capacityOf: (port: string) => number,
  rules: RuleState | null,
) {
  const inspected = rows.filter((r) => r.outcome !== null);
  const seizures = inspected.filter((r) => r.outcome === 'seizure');
  const red = rows.filter((r) => r.channel === 'red');
  const redInspected = red.filter((r) => r.outcome !== null);
  const redSeizures = redInspected.filter((r) => r.outcome === 'seizure').length;
  const control = inspected.filter((r) => r.channel !== 'red');
  const randomHitRate =
    control.length > 0
      ? control.filter((r) => r.outcome === 'seizure').length / control.length
      : ratio(seizures.length, inspected.length);
  const hitRate = ratio(redSeizures, redInspected.length);
  const lift = (h: number | null) =>
    h === null || randomHitRate === null || randomHitRate === 0 ? null : h / randomHitRate;

  // Precision at capacity: per port and day, the `capacity` best-scored declarations.
  const groups = new Map<string, store.OutcomeRow[]>();
  for (const r of rows) {
    const k = `${r.port}|${r.eta_day}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  let topInspected = 0;
  let topSeizures = 0;
  for (const g of groups.values()) {
    // The queue's order: score, then reference.
    g.sort(
      (a, b) => b.score - a.score || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0),
    );
    for (const r of g.slice(0, capacityOf(g[0]?.port ?? ''))) {
      if (r.outcome !== null) topInspected++;
      if (r.outcome === 'seizure') topSeizures++;
    }
  }

  const perRule = new Map<
    string,
    { code: string; label: string; selections: number; inspections: number; seizures: number }
  >();
  for (const r of rows) {
    for (const reason of store.json<ReasonOut[]>(r.reasons)) {
      let x = perRule.get(reason.code);
      if (x === undefined) {
        x = {
          code: reason.code,
          label: rules?.labels.get(reason.code) ?? reason.label,
          selections: 0,
          inspections: 0,
          seizures: 0,
        };
        perRule.set(reason.code, x);
      }
      x.selections++;
      if (r.outcome !== null) x.inspections++;
      if (r.outcome === 'seizure') x.seizures++;
    }
  }
  const weekly = new Map<
    string,
    { week: string; selections: number; inspections: number; seizures: number }
  >();
  for (const r of rows) {
    const week = isoWeekStart(r.eta_day);
    let w = weekly.get(week);
    if (w === undefined) {
      w = { week, selections: 0, inspections: 0, seizures: 0 };
      weekly.set(week, w);
    }
    if (r.channel === 'red') w.selections++;
    if (r.outcome !== null) w.inspections++;
    if (r.outcome === 'seizure') w.seizures++;
  }
  return {
    overall: {
      declarations: rows.length,
      selections: red.length,
      inspections: inspected.length,
      seizures: seizures.length,
      hitRate,
      randomHitRate,
      lift: lift(hitRate),
      precisionAtCapacity: ratio(topSeizures, topInspected),
    },
    rules: [...perRule.values()]
      .map((x) => {
        const h = ratio(x.seizures, x.inspections);
        return { ...x, hitRate: h, lift: lift(h) };
      })
      .sort((a, b) => b.selections - a.selections || (a.code < b.code ? -1 : 1)),
    weekly: [...weekly.values()].sort((a, b) => (a.week < b.week ? -1 : 1)),
  };
}
