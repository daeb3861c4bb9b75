/**
 * Scoring: the built-in indicators and the compiled rules add up to a score; thresholds per
 * port of discharge give the channel (red = physical inspection, amber = scan, green = release);
 * `rankQueue` then enforces each port's daily inspection capacity.
 *
 * Time is passed in (`ctx.now`); nothing here reads the clock. Scoring reads history features
 * by key and never scans history; the caller adds the declaration to history afterwards if it
 * should count for later ones.
 */
import type { Declaration } from './declaration.ts';
import type { Subject } from './fields.ts';
import type { Features } from './history.ts';
import {
  BUILTIN_INDICATORS,
  DEFAULT_INDICATOR_CONFIG,
  type Indicator,
  type IndicatorConfig,
  type IndicatorContext,
  type IntelHit,
  type IntelHits,
  observablesOf,
} from './indicators.ts';
import { DAY_MS, HOUR_MS } from './reference.ts';
import type { CompiledRuleSet } from './rules.ts';
import type { WatchlistHit, Watchlists } from './watchlist.ts';

export type Channel = 'red' | 'amber' | 'green';

export interface Thresholds {
  /** Score from which a declaration is scanned (amber). */
  amber: number;
  /** Score from which it is physically inspected (red), capacity permitting. */
  red: number;
  /** Score from which a deep-sea container scored before loading gets a do-not-load message. */
  doNotLoad: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = { amber: 45, red: 75, doNotLoad: 110 };

export interface Reason {
  /** Indicator id, or `rule:<id>@<version>` for a rule. */
  indicatorId: string;
  contribution: number;
  explanation: string;
}

export interface ScoreResult {
  declarationId: string;
  declarationVersion: number;
  /** Port of discharge (where the inspection happens). */
  port: string;
  eta: number;
  score: number;
  channel: Channel;
  reasons: Reason[];
  doNotLoad: boolean;
  ruleSetVersion: number | null;
  ruleSetHash: string | null;
  watchlistVersion: string | null;
  scoredAt: number;
}

export interface HistoryReader {
  features(d: Declaration): Features;
}

export interface ScoringContext {
  /** The time of scoring (epoch ms). */
  now: number;
  history: HistoryReader;
  rules: CompiledRuleSet | null;
  watchlists: Watchlists | null;
  intel: IntelHits | null;
  indicators: readonly Indicator[];
  indicatorConfig: IndicatorConfig;
  thresholds: Thresholds;
  /** Thresholds by port of discharge (UN/LOCODE), over the default. */
  portThresholds: ReadonlyMap<string, Thresholds>;
  /** Scratch space, one slot per indicator (reused across calls; scoring is synchronous). */
  strengths: Float64Array;
}

export interface ScoringOptions {
  now?: number;
  history: HistoryReader;
  rules?: CompiledRuleSet | null;
  watchlists?: Watchlists | null;
  intel?: IntelHits | null;
  indicators?: readonly Indicator[];
  indicatorConfig?: Partial<IndicatorConfig>;
  thresholds?: Partial<Thresholds>;
  portThresholds?: Readonly<Record<string, Partial<Thresholds>>>;
}

/** Builds a context once; per declaration, set `ctx.now` (or spread `{...ctx, now}`). */
export function createScoringContext(o: ScoringOptions): ScoringContext {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...o.thresholds };
  const indicators = o.indicators ?? BUILTIN_INDICATORS;
  const ids = o.rules?.indicatorIds ?? [];
  if (ids.some((id, i) => indicators[i]?.id !== id)) {
    throw new RangeError('the rule set was compiled against a different indicator list (indicatorIds)');
  }
  return {
    now: o.now ?? 0,
    history: o.history,
    rules: o.rules ?? null,
    watchlists: o.watchlists ?? null,
    intel: o.intel ?? null,
    indicators,
    indicatorConfig: { ...DEFAULT_INDICATOR_CONFIG, ...o.indicatorConfig },
    thresholds,
    portThresholds: new Map(
      Object.entries(o.portThresholds ?? {}).map(([p, t]) => [p, { ...thresholds, ...t }]),
    ),
    strengths: new Float64Array(indicators.length),
  };
}

const NO_WATCH: readonly WatchlistHit[] = [];
const NO_INTEL: readonly IntelHit[] = [];

/** How long after filing a deep-sea container is assumed not yet loaded when no ETD is given (24-hour rule). */
const LOADING_AFTER_FILING_MS = 24 * HOUR_MS;

/**
 * Sorts reasons by decreasing contribution, keeping the order of equal ones: the order of
 * `reasons.sort((a, b) => b.contribution - a.contribution)` (a stable sort), in place. A handful
 * of reasons is usual, and Array.prototype.sort copies them into a work array on every call.
 */
function sortByContribution(reasons: Reason[]): void {
  // NaN orders inconsistently: leave that to the built-in sort, as before.
  for (const r of reasons) {
    if (Number.isNaN(r.contribution)) {
      reasons.sort((a, b) => b.contribution - a.contribution);
      return;
    }
  }
  for (let i = 1; i < reasons.length; i++) {
    const cur = reasons[i] as Reason;
    const c = cur.contribution;
    let j = i - 1;
    while (j >= 0 && (reasons[j] as Reason).contribution < c) {
      reasons[j + 1] = reasons[j] as Reason;
      j--;
    }
    reasons[j + 1] = cur;
  }
}

export function scoreDeclaration(d: Declaration, ctx: ScoringContext): ScoreResult {
  const now = ctx.now;
  const features = ctx.history.features(d);
  const ictx: IndicatorContext = {
    now,
    features,
    config: ctx.indicatorConfig,
    watchlistHits: ctx.watchlists === null ? NO_WATCH : ctx.watchlists.screenDeclaration(d),
    intelHits: ctx.intel === null ? NO_INTEL : ctx.intel(observablesOf(d)),
  };
  const indicators = ctx.indicators;
  const strengths = ctx.strengths;
  strengths.fill(0);
  const reasons: Reason[] = [];
  let score = 0;
  for (let i = 0; i < indicators.length; i++) {
    const ind = indicators[i] as Indicator;
    const fired = ind.evaluate(d, ictx);
    if (fired === null) continue;
    strengths[i] = fired.strength;
    const contribution = ind.weight * fired.strength;
    score += contribution;
    reasons.push({ indicatorId: ind.id, contribution, explanation: fired.explanation });
  }
  const rules = ctx.rules;
  if (rules !== null && rules.rules.length > 0) {
    const subject: Subject = { d, f: features, now, strengths, indicatorPoints: score };
    for (const r of rules.rules) {
      if (now < r.validFrom || now >= r.validTo) continue;
      if (r.ports !== null && !r.ports.has(d.discharge)) continue;
      if (r.countries !== null && !r.countries.has(d.dischargeCountry)) continue;
      if (!r.test(subject)) continue;
      score += r.weight;
      reasons.push({
        indicatorId: `rule:${r.id}@${r.version}`,
        contribution: r.weight,
        explanation: r.description,
      });
    }
  }
  if (reasons.length > 1) sortByContribution(reasons);
  score = Math.round(score * 100) / 100;
  const t = ctx.portThresholds.get(d.discharge) ?? ctx.thresholds;
  const beforeLoading = d.etd !== null ? now < d.etd : now < d.filedAt + LOADING_AFTER_FILING_MS;
  return {
    declarationId: d.id,
    declarationVersion: d.version,
    port: d.discharge,
    eta: d.eta,
    score,
    channel: score >= t.red ? 'red' : score >= t.amber ? 'amber' : 'green',
    reasons,
    doNotLoad: d.deepSea && beforeLoading && score >= t.doNotLoad,
    ruleSetVersion: rules?.version ?? null,
    ruleSetHash: rules?.hash ?? null,
    watchlistVersion: ctx.watchlists?.version ?? null,
    scoredAt: now,
  };
}

/* ------------------------------------------------------------------------------------------ */
/* The targeting queue                                                                          */
/* ------------------------------------------------------------------------------------------ */

export interface QueueEntry extends ScoreResult {
  /** UTC day of arrival (YYYY-MM-DD): the day the inspection capacity is spent. */
  day: string;
  /** 1-based rank within (port, day), by score then declaration id. */
  rank: number;
  /** The channel the thresholds gave, before capacity. */
  thresholdChannel: Channel;
  /** true when a red was turned amber because the day's capacity was used up. */
  capacityLimited: boolean;
}

export interface QueueOptions {
  /** Fill spare red capacity with the highest amber declarations (default false). */
  promoteAmber?: boolean;
}

/**
 * Ranks scored declarations per port of discharge and day of arrival, and gives red to at most
 * `capacity` of them per port per day (a number for every port, or a record by UN/LOCODE with
 * `*` as the default; a port with no capacity gets none). Reds beyond capacity become amber.
 * Returns the entries ordered by day, port and rank.
 */
export function rankQueue(
  scored: readonly ScoreResult[],
  capacity: number | Readonly<Record<string, number>>,
  options: QueueOptions = {},
): QueueEntry[] {
  const capOf = (port: string): number =>
    typeof capacity === 'number' ? capacity : (capacity[port] ?? capacity['*'] ?? 0);
  const groups = new Map<string, ScoreResult[]>();
  for (const s of scored) {
    const key = `${Math.floor(s.eta / DAY_MS)}|${s.port}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [s]);
    else g.push(s);
  }
  const keys = [...groups.keys()].sort((a, b) => {
    const [da, pa] = a.split('|') as [string, string];
    const [db, pb] = b.split('|') as [string, string];
    return Number(da) - Number(db) || (pa < pb ? -1 : pa > pb ? 1 : 0);
  });
  const out: QueueEntry[] = [];
  for (const key of keys) {
    const g = groups.get(key) as ScoreResult[];
    g.sort(
      (a, b) =>
        b.score - a.score ||
        (a.declarationId < b.declarationId ? -1 : a.declarationId > b.declarationId ? 1 : 0),
    );
    const first = g[0] as ScoreResult;
    const day = new Date(Math.floor(first.eta / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    let left = Math.max(0, Math.floor(capOf(first.port)));
    g.forEach((s, i) => {
      let channel: Channel = s.channel;
      let capacityLimited = false;
      if (s.channel === 'red') {
        if (left > 0) left--;
        else {
          channel = 'amber';
          capacityLimited = true;
        }
      } else if (s.channel === 'amber' && options.promoteAmber === true && left > 0) {
        left--;
        channel = 'red';
      }
      out.push({ ...s, day, rank: i + 1, channel, thresholdChannel: s.channel, capacityLimited });
    });
  }
  return out;
}
