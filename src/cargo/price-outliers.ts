/**
 * Price outliers for the trade-based money-laundering view (read-only; nothing here writes or audits:
 * the caller audits its consultation).
 *
 * The test is Zdanowicz's interquartile price filter [ZDA in indicators.ts]: a declaration's unit value
 * (declared value in EUR per gross kilogram) is set against the first and third quartiles of its HS code
 * on its lane (loading>discharge) when that lane has enough history, else of the HS code alone. These
 * are the very quartiles the `value-per-kg-outlier` indicator reads (History.features on the
 * organisation's stored history snapshot), so the view and the risk score look at one distribution.
 *
 * What differs from the indicator: the score uses Tukey fences on a linear scale (q1 − 1.5·IQR,
 * q3 + 1.5·IQR), whose lower fence is often below zero for skewed price distributions, so it rarely
 * sees under-invoicing. Prices are roughly log-normal, so the view measures the deviation as a factor:
 * value ÷ Q3 above the band (over-invoicing), Q1 ÷ value below it (under-invoicing), and flags a
 * declaration when that factor reaches `minFactor` (2 by default; 1 flags everything outside Q1–Q3, the
 * filter as Zdanowicz published it). `scoredAsOutlier` says whether the indicator fired when the
 * declaration was scored.
 *
 * Gross weight is mandatory and positive in every accepted declaration (cargo.schema.ts), so the unit
 * is always the kilogram; a declaration without a declared value (or in a currency without a EUR rate)
 * has no unit value and is counted, not judged.
 *
 * The quartiles are those of the current snapshot (the organisation's whole history, including the
 * declaration itself), whereas the score used the history as of filing: the band shown can differ a
 * little from the one the score saw.
 */
import type { Actor } from '../access/index.ts';
import type { Db } from '../platform/database.ts';
import { isUuid } from '../platform/ids.ts';
import * as store from './cargo.store.ts';
import type { Declaration } from './declaration.ts';
import type { History, QuartileView } from './history.ts';

export type PriceDirection = 'over' | 'under';

export interface PriceOutlierQuery {
  /** Port of discharge (UN/LOCODE, as stored). */
  port?: string | undefined;
  /** HS code or its first digits (2–6). */
  hs?: string | undefined;
  /** Filing date range, YYYY-MM-DD, both inclusive (UTC). */
  from?: string | undefined;
  to?: string | undefined;
  direction?: PriceDirection | undefined;
  /** Smallest deviation factor that flags (≥ 1; default 2). */
  minFactor?: number | undefined;
  /** Flags returned at most (default 200). */
  limit?: number | undefined;
}

export interface PriceParty {
  name: string;
  /** Normalised name (identifiers.normalizeCompanyName), the key payment records are matched on. */
  normName: string;
  country: string;
}

export interface PriceCheck {
  declarationId: string;
  reference: string;
  container: string;
  filedAt: string;
  loading: string;
  discharge: string;
  lane: string;
  hs: string;
  description: string;
  shipper: PriceParty;
  consignee: PriceParty;
  packages: number;
  grossKg: number;
  declaredValue: { amount: number; currency: string } | null;
  valueEur: number | null;
  /** EUR per kg; null when no value was declared or its currency has no rate. */
  unitValue: number | null;
  unit: 'kg';
  /** Q1–Q3 of the unit value; null when history holds too few samples. */
  band: QuartileView | null;
  /** null inside the band (or when it cannot be judged). */
  direction: PriceDirection | null;
  /** value ÷ Q3 (over) or Q1 ÷ value (under); null inside the band, and for a declared value of 0 (infinite). */
  factor: number | null;
  flagged: boolean;
  /** The `value-per-kg-outlier` indicator fired when the declaration was scored. */
  scoredAsOutlier: boolean;
  score: number;
}

export interface PriceOutlierReport {
  /** Declarations read (the newest `MAX_SCAN` matching the filters at most). */
  scanned: number;
  truncated: boolean;
  /** Read but without a unit value, or without enough history for a band. */
  unvalued: number;
  noBand: number;
  minFactor: number;
  outliers: PriceCheck[];
}

/** Declarations read by one query: bounded so a wide filter stays an interactive request. */
export const MAX_SCAN = 20_000;
export const DEFAULT_MIN_FACTOR = 2;

const DAY_MS = 86_400_000;

function party(p: Declaration['shipper']): PriceParty {
  return { name: p.name, normName: p.normName, country: p.country };
}

/** Where `value` sits against the band; `minFactor` decides the flag. */
export function judgePrice(
  value: number,
  band: { q1: number; q3: number },
  minFactor: number,
): { direction: PriceDirection | null; factor: number | null; flagged: boolean } {
  if (value > band.q3) {
    const factor = value / band.q3;
    return { direction: 'over', factor, flagged: factor >= minFactor };
  }
  if (value < band.q1) {
    if (value <= 0) return { direction: 'under', factor: null, flagged: true };
    const factor = band.q1 / value;
    return { direction: 'under', factor, flagged: factor >= minFactor };
  }
  return { direction: null, factor: null, flagged: false };
}

function check(row: store.DeclarationRow, history: History, minFactor: number): PriceCheck {
  const d = store.json<Declaration>(row.declaration);
  const reasons = store.json<{ code: string }[]>(row.reasons);
  const band = d.valuePerKg === null ? null : history.features(d).valuePerKg;
  const judged =
    d.valuePerKg === null || band === null
      ? { direction: null, factor: null, flagged: false }
      : judgePrice(d.valuePerKg, band, minFactor);
  return {
    declarationId: row.id,
    reference: row.reference,
    container: d.container,
    filedAt: new Date(d.filedAt).toISOString(),
    loading: d.loading,
    discharge: d.discharge,
    lane: d.lane,
    hs: d.hs,
    description: d.description,
    shipper: party(d.shipper),
    consignee: party(d.consignee),
    packages: d.packages,
    grossKg: d.grossKg,
    declaredValue:
      d.valueAmount === null || d.currency === null ? null : { amount: d.valueAmount, currency: d.currency },
    valueEur: d.valueEur,
    unitValue: d.valuePerKg,
    unit: 'kg',
    band,
    ...judged,
    scoredAsOutlier: reasons.some((r) => r.code === 'value-per-kg-outlier'),
    score: row.score,
  };
}

/**
 * The organisation's history as the scorer holds it: CargoService passes its own cached copy, so the
 * view never loads a second one of a snapshot that can weigh tens of megabytes at a busy port.
 */
export type HistoryOf = (db: Db, orgId: string) => Promise<History>;

/** Most extreme first; an infinite factor (declared value 0) before every finite one. */
function byDeviation(a: PriceCheck, b: PriceCheck): number {
  const fa = a.factor ?? Number.POSITIVE_INFINITY;
  const fb = b.factor ?? Number.POSITIVE_INFINITY;
  if (fa !== fb) return fb - fa;
  return b.filedAt.localeCompare(a.filedAt) || a.declarationId.localeCompare(b.declarationId);
}

/**
 * Over- and under-invoiced declarations of the actor's own organisation (read through `visibleTo`,
 * owner organisation only), most extreme first.
 */
export async function priceOutliers(
  db: Db,
  actor: Actor,
  q: PriceOutlierQuery,
  historyOf: HistoryOf,
): Promise<PriceOutlierReport> {
  const minFactor = Math.max(1, q.minFactor ?? DEFAULT_MIN_FACTOR);
  const limit = Math.min(Math.max(1, q.limit ?? 200), 1000);
  let query = store
    .t(db)
    .selectFrom('cargo_declarations as d')
    .selectAll('d')
    .where(store.declarationVisible(actor))
    .where('d.owner_org_id', '=', actor.orgId);
  if (q.port !== undefined) query = query.where('d.port', '=', q.port);
  if (q.hs !== undefined) query = query.where('d.hs', 'like', `${q.hs.replace(/\D/g, '')}%`);
  if (q.from !== undefined) query = query.where('d.filed_at', '>=', new Date(`${q.from}T00:00:00Z`));
  if (q.to !== undefined)
    query = query.where('d.filed_at', '<', new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS));
  const rows = await query
    .orderBy('d.filed_at', 'desc')
    .orderBy('d.id')
    .limit(MAX_SCAN + 1)
    .execute();
  const truncated = rows.length > MAX_SCAN;
  if (truncated) rows.length = MAX_SCAN;
  const history = await historyOf(db, actor.orgId);
  let unvalued = 0;
  let noBand = 0;
  const outliers: PriceCheck[] = [];
  for (const row of rows) {
    const c = check(row, history, minFactor);
    if (c.unitValue === null) unvalued++;
    else if (c.band === null) noBand++;
    if (!c.flagged) continue;
    if (q.direction !== undefined && c.direction !== q.direction) continue;
    outliers.push(c);
  }
  outliers.sort(byDeviation);
  if (outliers.length > limit) outliers.length = limit;
  return { scanned: rows.length, truncated, unvalued, noBand, minFactor, outliers };
}

/**
 * The price check of one declaration the actor may see (flagged or not), or null when it is missing or
 * not the actor's: the caller answers both alike.
 */
export async function priceCheckOf(
  db: Db,
  actor: Actor,
  declarationId: string,
  historyOf: HistoryOf,
  minFactor = DEFAULT_MIN_FACTOR,
): Promise<PriceCheck | null> {
  if (!isUuid(declarationId)) return null;
  const row = await store.findDeclaration(db, actor, declarationId);
  // Judged against the actor's organisation's own history, like priceOutliers: a declaration it
  // does not own (visible to its author in another organisation, say) has no price band here.
  if (row === undefined || row.owner_org_id !== actor.orgId) return null;
  return check(row, await historyOf(db, actor.orgId), Math.max(1, minFactor));
}
