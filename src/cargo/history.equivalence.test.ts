/**
 * The history and sketch are tuned for speed (shared lookups between `features` and `observe`,
 * one-pass quartiles). This test keeps a deliberately plain reference implementation of the same
 * definitions — plain maps, a sorted-bucket quantile, the same recomputation schedule — and
 * checks that a stream of synthetic declarations gets exactly the same features and the same
 * scores, channels and reasons (explanations included) from both.
 */
import { describe, expect, it } from 'vitest';
import { createNormalizeCache, type Declaration, normalizeParsedDeclaration } from './declaration.ts';
import { compileDefaultRules } from './default-rules.ts';
import { type Features, History, type PartyStats, type QuartileView, sealProblem } from './history.ts';
import type { IntelHits } from './indicators.ts';
import { createScoringContext, type ScoreResult, scoreDeclaration } from './scoring.ts';
import { createWorld } from './synthetic.ts';
import { Watchlist } from './watchlist.ts';

/** A log-bucket histogram kept as a map of buckets; quantiles sort the buckets. */
class PlainSketch {
  private readonly gamma: number;
  private readonly logGamma: number;
  private readonly buckets = new Map<number, number>();
  private zeros = 0;
  n = 0;
  private cachedAt = -1;
  private q: [number, number] = [Number.NaN, Number.NaN];

  constructor(alpha: number) {
    this.gamma = (1 + alpha) / (1 - alpha);
    this.logGamma = Math.log(this.gamma);
  }

  add(v: number): void {
    if (!(v >= 0)) return;
    this.n++;
    if (v <= 1e-6) {
      this.zeros++;
      return;
    }
    const i = Math.ceil(Math.log(Math.min(v, 1e12)) / this.logGamma);
    this.buckets.set(i, (this.buckets.get(i) ?? 0) + 1);
  }

  private quantile(q: number): number {
    const rank = Math.floor(q * (this.n - 1));
    if (rank < this.zeros) return 0;
    let seen = this.zeros;
    for (const i of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(i) ?? 0;
      if (seen > rank) return (2 * this.gamma ** i) / (this.gamma + 1);
    }
    return 1e12;
  }

  quartiles(): [number, number] {
    // Same schedule as LogHistogram: recomputed once the count grew by more than 1/64.
    if (this.cachedAt < 0 || this.n - this.cachedAt > this.cachedAt >> 6) {
      this.q = [this.quantile(0.25), this.quantile(0.75)];
      this.cachedAt = this.n;
    }
    return this.q;
  }
}

interface PlainParty extends PartyStats {
  suppliers: Map<string, number>;
}

class PlainHistory {
  private readonly parties = new Map<string, PlainParty>();
  private readonly lanes = new Map<
    string,
    { n: number; tship: Map<string, number>; heads: Map<string, number> }
  >();
  private readonly sketches = new Map<string, PlainSketch>();
  private readonly seals = new Map<string, string>();

  features(d: Declaration): Features {
    const lane = this.lanes.get(d.lane);
    let share: number | null = null;
    let rarest: string | null = null;
    if (lane !== undefined && lane.n > 0) {
      for (const p of d.transshipment) {
        const s = (lane.tship.get(p) ?? 0) / lane.n;
        if (share === null || s < share) {
          share = s;
          rarest = p;
        }
      }
    }
    const reused = d.seals.find((s) => {
      const by = this.seals.get(s);
      return by !== undefined && by !== d.id;
    });
    const stats = (p: PlainParty | undefined): PartyStats | null =>
      p === undefined ? null : (p as PartyStats);
    const consignee = this.parties.get(d.consignee.key);
    const quart = (kind: string): QuartileView | null => {
      for (const [key, scope] of [
        [`${kind}|${d.hsLane}`, 'hs+lane'],
        [`${kind}|${d.hs}`, 'hs'],
      ] as const) {
        const s = this.sketches.get(key);
        if (s !== undefined && s.n >= 30) {
          const [q1, q3] = s.quartiles();
          return { q1, q3, n: s.n, scope };
        }
      }
      return null;
    };
    return {
      shipper: stats(this.parties.get(d.shipper.key)),
      consignee: stats(consignee),
      notify: d.notify === null ? null : stats(this.parties.get(d.notify.key)),
      pairShipments: consignee?.suppliers.get(d.shipper.key) ?? 0,
      laneShipments: lane?.n ?? 0,
      laneTransshipmentShare: share,
      rarestTransshipmentPort: rarest,
      laneHeadingShare:
        lane === undefined || lane.n === 0 ? null : (lane.heads.get(d.hsHeading) ?? 0) / lane.n,
      reusedSeal: reused ?? null,
      valuePerKg: d.valuePerKg === null ? null : quart('vpk'),
      weightPerPackage: quart('wpp'),
    };
  }

  observe(d: Declaration): void {
    const touch = (key: string, role: 'asShipper' | 'asConsignee' | 'asNotify') => {
      let p = this.parties.get(key);
      if (p === undefined) {
        p = {
          firstSeen: d.filedAt,
          lastSeen: d.filedAt,
          asShipper: 0,
          asConsignee: 0,
          asNotify: 0,
          suppliers: new Map(),
        };
        this.parties.set(key, p);
      }
      p.firstSeen = Math.min(p.firstSeen, d.filedAt);
      p.lastSeen = Math.max(p.lastSeen, d.filedAt);
      p[role]++;
      return p;
    };
    touch(d.shipper.key, 'asShipper');
    const k = touch(d.consignee.key, 'asConsignee');
    if (d.notify !== null && d.notify.key !== d.consignee.key) touch(d.notify.key, 'asNotify');
    k.suppliers.set(d.shipper.key, (k.suppliers.get(d.shipper.key) ?? 0) + 1);
    let lane = this.lanes.get(d.lane);
    if (lane === undefined) {
      lane = { n: 0, tship: new Map(), heads: new Map() };
      this.lanes.set(d.lane, lane);
    }
    lane.n++;
    for (const p of d.transshipment) lane.tship.set(p, (lane.tship.get(p) ?? 0) + 1);
    lane.heads.set(d.hsHeading, (lane.heads.get(d.hsHeading) ?? 0) + 1);
    const sample = (key: string, v: number) => {
      let s = this.sketches.get(key);
      if (s === undefined) {
        s = new PlainSketch(0.02);
        this.sketches.set(key, s);
      }
      s.add(v);
    };
    for (const scope of [d.hsLane, d.hs]) {
      if (d.valuePerKg !== null) sample(`vpk|${scope}`, d.valuePerKg);
      sample(`wpp|${scope}`, d.weightPerPackage);
    }
    for (const s of d.seals) if (sealProblem(s) === null) this.seals.set(s, d.id);
  }
}

/** Party stats without the consignee's supplier map, for comparing features. */
function comparable(f: Features): unknown {
  const party = (p: PartyStats | null) =>
    p === null
      ? null
      : {
          firstSeen: p.firstSeen,
          lastSeen: p.lastSeen,
          asShipper: p.asShipper,
          asConsignee: p.asConsignee,
          asNotify: p.asNotify,
        };
  return { ...f, shipper: party(f.shipper), consignee: party(f.consignee), notify: party(f.notify) };
}

describe('history and scoring against a plain reference', () => {
  it('give identical features, scores, channels and reasons over a synthetic stream', () => {
    // A dense month: lanes, HS distributions and parties fill up, quartiles are recomputed often.
    const world = createWorld({
      seed: 31,
      declarations: 6000,
      days: 20,
      warmupDays: 10,
      contaminationRate: 0.02,
    });
    const intel: IntelHits = (observables) =>
      observables.flatMap((o) => {
        const hit = world.intel.get(o.value);
        return hit !== undefined && hit.observableType === o.observableType
          ? [{ observableType: o.observableType, value: o.value, itemCount: hit.itemCount }]
          : [];
      });
    const rules = compileDefaultRules();
    const watchlists = new Watchlist(world.watchlist);
    const fast = new History();
    const plain = new PlainHistory();
    const ctxFast = createScoringContext({ history: fast, rules, watchlists, intel });
    const ctxPlain = createScoringContext({ history: plain, rules, watchlists, intel });
    const cache = createNormalizeCache();
    const fired = new Map<string, number>();
    let n = 0;
    let red = 0;
    for (const raw of world.declarations()) {
      const d = normalizeParsedDeclaration(raw, { cache });
      ctxFast.now = d.filedAt;
      ctxPlain.now = d.filedAt;
      const a: ScoreResult = scoreDeclaration(d, ctxFast);
      const b: ScoreResult = scoreDeclaration(d, ctxPlain);
      expect(a, d.id).toEqual(b);
      if (n % 7 === 0) expect(comparable(fast.features(d)), d.id).toEqual(comparable(plain.features(d)));
      for (const r of a.reasons) fired.set(r.indicatorId, (fired.get(r.indicatorId) ?? 0) + 1);
      if (a.channel === 'red') red++;
      fast.observe(d);
      plain.observe(d);
      n++;
    }
    expect(n).toBeGreaterThan(8000);
    expect(red).toBeGreaterThan(0);
    // The stream exercises the history-based indicators, not only the static ones.
    for (const id of [
      'new-consignee',
      'new-pair',
      'unusual-transshipment',
      'unusual-commodity-for-lane',
      'weight-per-package-outlier',
      'value-per-kg-outlier',
      'seal-anomaly',
      'watchlist-hit',
    ]) {
      expect(fired.get(id) ?? 0, id).toBeGreaterThan(0);
    }
  });
});
