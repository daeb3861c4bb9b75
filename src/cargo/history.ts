/**
 * History features, kept incrementally: scoring reads O(1) lookups (hash maps, cached sketch
 * quartiles) and never scans past declarations; `observe` folds one declaration in.
 *
 * Persistence: the whole state serialises to one JSON document (`toJSON` / `History.fromJSON`),
 * meant to be stored as a snapshot (e.g. one row per port, or a file) and reloaded at start;
 * declarations observed after the snapshot are replayed. The state is a set of counters, so the
 * lead may instead keep it as tables (parties, pairs, lanes, sketches by key) — the JSON shape
 * below maps one-to-one onto such tables.
 *
 * Observe each declaration once (its first accepted version); amendments must not be
 * observed again or they would count twice.
 */
import type { Declaration } from './declaration.ts';
import { Hash64Map, type Hash64MapJSON, hash32 } from './hash64.ts';
import { LogHistogram, type LogHistogramJSON } from './sketch.ts';

export interface PartyStats {
  firstSeen: number;
  lastSeen: number;
  asShipper: number;
  asConsignee: number;
  asNotify: number;
}

/** A party's record; a consignee also keeps its suppliers (shipper key → shipments). */
interface PartyRecord extends PartyStats {
  suppliers: Map<string, number> | null;
}

/** Distributions of one HS code (globally, or on one lane). */
interface HsStats {
  vpk: LogHistogram | null;
  wpp: LogHistogram;
}

interface LaneStats {
  n: number;
  tship: Map<string, number>;
  headings: Map<string, number>;
}

interface Memo {
  d: Declaration | null;
  shipper: PartyRecord | undefined;
  consignee: PartyRecord | undefined;
  notify: PartyRecord | undefined;
  /** Shipments of this shipper to this consignee (valid when the consignee was found). */
  pair: number;
  lane: LaneStats | undefined;
  byLane: HsStats | undefined;
  byHs: HsStats | undefined;
  /** hash32 of the declaration id, or -1 when not computed. */
  me: number;
}

/** What history says about one declaration (everything a scoring call needs). */
export interface Features {
  shipper: PartyStats | null;
  consignee: PartyStats | null;
  notify: PartyStats | null;
  pairShipments: number;
  laneShipments: number;
  /** Smallest share of the lane's past shipments that went through one of this declaration's transshipment ports. */
  laneTransshipmentShare: number | null;
  rarestTransshipmentPort: string | null;
  /** Share of the lane's past shipments with this HS heading (4 digits). */
  laneHeadingShare: number | null;
  /** A seal number of this declaration already seen on another declaration (or null). */
  reusedSeal: string | null;
  /** Quartiles of value per kg (EUR) for this HS code on this lane, else for the HS code. */
  valuePerKg: QuartileView | null;
  weightPerPackage: QuartileView | null;
}

export interface QuartileView {
  q1: number;
  q3: number;
  n: number;
  scope: 'hs+lane' | 'hs';
}

export interface HistoryOptions {
  /** Samples a distribution needs before its quartiles are used (default 30). */
  minSamples?: number;
  /** Relative accuracy of the quantile sketches (default 0.02). */
  sketchAlpha?: number;
}

/** Seal numbers that are placeholders rather than seals. */
const PLACEHOLDER_SEALS = new Set([
  'NA',
  'N/A',
  'NONE',
  'NIL',
  'NULL',
  'UNKNOWN',
  'TBA',
  'TBC',
  'SEAL',
  'NOSEAL',
  'X',
]);

/**
 * Why a seal number looks malformed, or null when it looks like a real one. Heuristic: carrier
 * and shipper seals (ISO 17712 bolt seals) carry a short prefix and 5–12 digits.
 */
export function sealProblem(seal: string): string | null {
  // A character loop rather than regular expressions: this runs for every seal, twice.
  let len = 0;
  let digits = 0;
  let firstDigit = -1;
  let sameDigits = true;
  let odd = false;
  for (let i = 0; i < seal.length; i++) {
    const c = seal.charCodeAt(i);
    if (c === 32 || c === 45) continue; // space, hyphen
    len++;
    if (c >= 48 && c <= 57) {
      digits++;
      if (firstDigit === -1) firstDigit = c;
      else if (c !== firstDigit) sameDigits = false;
    } else if (!(c >= 65 && c <= 90)) odd = true;
  }
  if (len <= 7 && PLACEHOLDER_SEALS.has(seal.replace(/[\s-]/g, ''))) return 'placeholder';
  if (len < 6 || len > 15) return 'length';
  if (odd) return 'characters';
  if (digits < 5) return 'too few digits';
  if (sameDigits) return 'repeated digit';
  return null;
}

function view(h: LogHistogram, scope: QuartileView['scope']): QuartileView {
  const [q1, q3] = h.quartiles();
  return { q1, q3, n: h.count, scope };
}

export class History {
  readonly minSamples: number;
  readonly sketchAlpha: number;
  private parties = new Map<string, PartyRecord>();
  private lanes = new Map<string, LaneStats>();
  /** By HS code on a lane (`hs@lane`), and by HS code alone. */
  private hsLane = new Map<string, HsStats>();
  private hsAll = new Map<string, HsStats>();
  private seals = new Hash64Map(4096);
  private observed = 0;
  /** What the last `features` call looked up, for `observe` of the same declaration. */
  private readonly memo: Memo = {
    d: null,
    shipper: undefined,
    consignee: undefined,
    notify: undefined,
    pair: 0,
    lane: undefined,
    byLane: undefined,
    byHs: undefined,
    me: -1,
  };

  constructor(options: HistoryOptions = {}) {
    this.minSamples = options.minSamples ?? 30;
    this.sketchAlpha = options.sketchAlpha ?? 0.02;
  }

  get size(): number {
    return this.observed;
  }

  party(key: string): PartyStats | null {
    return this.parties.get(key) ?? null;
  }

  features(d: Declaration): Features {
    const lane = this.lanes.get(d.lane);
    let tshare: number | null = null;
    let rarest: string | null = null;
    if (d.transshipment.length > 0 && lane !== undefined && lane.n > 0) {
      for (const p of d.transshipment) {
        const share = (lane.tship.get(p) ?? 0) / lane.n;
        if (tshare === null || share < tshare) {
          tshare = share;
          rarest = p;
        }
      }
    }
    let reusedSeal: string | null = null;
    let me = -1;
    if (d.seals.length > 0) {
      me = hash32(d.id);
      for (const s of d.seals) {
        const v = this.seals.get(s);
        if (v !== -1 && v !== me) {
          reusedSeal = s;
          break;
        }
      }
    }
    const shipperRec = this.parties.get(d.shipper.key);
    const consigneeRec = this.parties.get(d.consignee.key);
    const notifyRec =
      d.notify === null
        ? undefined
        : d.notify.key === d.consignee.key
          ? consigneeRec
          : this.parties.get(d.notify.key);
    const consignee = consigneeRec ?? null;
    const byLane = this.hsLane.get(d.hsLane);
    const byHs = this.hsAll.get(d.hs);
    const pairShipments = consigneeRec?.suppliers?.get(d.shipper.key) ?? 0;
    const min = this.minSamples;
    let vpk: QuartileView | null = null;
    if (d.valuePerKg !== null) {
      if (byLane?.vpk != null && byLane.vpk.count >= min) vpk = view(byLane.vpk, 'hs+lane');
      else if (byHs?.vpk != null && byHs.vpk.count >= min) vpk = view(byHs.vpk, 'hs');
    }
    let wpp: QuartileView | null = null;
    if (byLane !== undefined && byLane.wpp.count >= min) wpp = view(byLane.wpp, 'hs+lane');
    else if (byHs !== undefined && byHs.wpp.count >= min) wpp = view(byHs.wpp, 'hs');

    const m = this.memo;
    m.d = d;
    m.shipper = shipperRec;
    m.consignee = consigneeRec;
    m.notify = notifyRec;
    m.pair = pairShipments;
    m.lane = lane;
    m.byLane = byLane;
    m.byHs = byHs;
    m.me = me;
    return {
      shipper: shipperRec ?? null,
      consignee,
      notify: d.notify === null ? null : (notifyRec ?? null),
      pairShipments,
      laneShipments: lane?.n ?? 0,
      laneTransshipmentShare: tshare,
      rarestTransshipmentPort: rarest,
      laneHeadingShare:
        lane === undefined || lane.n === 0 ? null : (lane.headings.get(d.hsHeading) ?? 0) / lane.n,
      reusedSeal,
      valuePerKg: vpk,
      weightPerPackage: wpp,
    };
  }

  /**
   * Folds a declaration in. Right after `features(d)` of the same declaration (the usual
   * score-then-observe order) the lookups that call made are reused: records are never replaced,
   * so one found then is still the right one; one missing then is looked up again.
   */
  observe(d: Declaration): void {
    const m = this.memo;
    const same = m.d === d;
    m.d = null;
    this.observed++;
    const t = d.filedAt;
    this.touch(d.shipper.key, t, 0, same ? m.shipper : undefined);
    const consignee = this.touch(d.consignee.key, t, 1, same ? m.consignee : undefined);
    if (d.notify !== null && d.notify.key !== d.consignee.key)
      this.touch(d.notify.key, t, 2, same ? m.notify : undefined);
    if (consignee.suppliers === null) consignee.suppliers = new Map();
    const pair = same && m.consignee !== undefined ? m.pair : (consignee.suppliers.get(d.shipper.key) ?? 0);
    consignee.suppliers.set(d.shipper.key, pair + 1);

    let lane = (same ? m.lane : undefined) ?? this.lanes.get(d.lane);
    if (lane === undefined) {
      lane = { n: 0, tship: new Map(), headings: new Map() };
      this.lanes.set(d.lane, lane);
    }
    lane.n++;
    for (const p of d.transshipment) lane.tship.set(p, (lane.tship.get(p) ?? 0) + 1);
    lane.headings.set(d.hsHeading, (lane.headings.get(d.hsHeading) ?? 0) + 1);

    this.addSamples(this.hsStats(this.hsLane, d.hsLane, same ? m.byLane : undefined), d);
    this.addSamples(this.hsStats(this.hsAll, d.hs, same ? m.byHs : undefined), d);

    if (d.seals.length > 0) {
      const me = same && m.me !== -1 ? m.me : hash32(d.id);
      for (const s of d.seals) if (sealProblem(s) === null) this.seals.set(s, me);
    }
  }

  private touch(key: string, t: number, role: 0 | 1 | 2, known: PartyRecord | undefined): PartyRecord {
    let p = known ?? this.parties.get(key);
    if (p === undefined) {
      p = { firstSeen: t, lastSeen: t, asShipper: 0, asConsignee: 0, asNotify: 0, suppliers: null };
      this.parties.set(key, p);
    }
    if (t < p.firstSeen) p.firstSeen = t;
    if (t > p.lastSeen) p.lastSeen = t;
    if (role === 0) p.asShipper++;
    else if (role === 1) p.asConsignee++;
    else p.asNotify++;
    return p;
  }

  private addSamples(stats: HsStats, d: Declaration): void {
    if (d.valuePerKg !== null) {
      if (stats.vpk === null) stats.vpk = new LogHistogram(this.sketchAlpha);
      stats.vpk.add(d.valuePerKg);
    }
    stats.wpp.add(d.weightPerPackage);
  }

  private hsStats(map: Map<string, HsStats>, key: string, known: HsStats | undefined): HsStats {
    let h = known ?? map.get(key);
    if (h === undefined) {
      h = { vpk: null, wpp: new LogHistogram(this.sketchAlpha) };
      map.set(key, h);
    }
    return h;
  }

  toJSON(): HistoryJSON {
    return {
      format: 'portshield.cargo.history',
      formatVersion: 1,
      minSamples: this.minSamples,
      sketchAlpha: this.sketchAlpha,
      observed: this.observed,
      parties: [...this.parties].map(([k, p]) => [
        k,
        p.firstSeen,
        p.lastSeen,
        p.asShipper,
        p.asConsignee,
        p.asNotify,
      ]),
      pairs: [...this.parties].flatMap(([consignee, p]) =>
        p.suppliers === null
          ? []
          : [...p.suppliers].map(([shipper, n]): [string, string, number] => [shipper, consignee, n]),
      ),
      lanes: [...this.lanes].map(([k, l]) => [k, l.n, [...l.tship], [...l.headings]]),
      hs: [...this.hsAll, ...this.hsLane].map(([k, h]) => [
        k,
        h.vpk === null ? null : h.vpk.toJSON(),
        h.wpp.toJSON(),
      ]),
      seals: this.seals.toJSON(),
    };
  }

  static fromJSON(json: HistoryJSON): History {
    if (json.format !== 'portshield.cargo.history' || json.formatVersion !== 1) {
      throw new TypeError('not a PortShield cargo history snapshot (format version 1)');
    }
    const h = new History({ minSamples: json.minSamples, sketchAlpha: json.sketchAlpha });
    h.observed = json.observed;
    for (const [k, firstSeen, lastSeen, asShipper, asConsignee, asNotify] of json.parties) {
      h.parties.set(k, { firstSeen, lastSeen, asShipper, asConsignee, asNotify, suppliers: null });
    }
    for (const [shipper, consignee, n] of json.pairs) {
      const p = h.parties.get(consignee);
      if (p === undefined) throw new TypeError(`history snapshot: pair of unknown consignee '${consignee}'`);
      if (p.suppliers === null) p.suppliers = new Map();
      p.suppliers.set(shipper, n);
    }
    for (const [k, n, tship, headings] of json.lanes) {
      h.lanes.set(k, { n, tship: new Map(tship), headings: new Map(headings) });
    }
    for (const [k, vpk, wpp] of json.hs) {
      const stats = {
        vpk: vpk === null ? null : LogHistogram.fromJSON(vpk),
        wpp: LogHistogram.fromJSON(wpp),
      };
      (k.includes('@') ? h.hsLane : h.hsAll).set(k, stats);
    }
    h.seals = Hash64Map.fromJSON(json.seals);
    return h;
  }
}

export interface HistoryJSON {
  format: 'portshield.cargo.history';
  formatVersion: 1;
  minSamples: number;
  sketchAlpha: number;
  observed: number;
  /** [party key, first seen (ms), last seen (ms), as shipper, as consignee, as notify]. */
  parties: Array<[string, number, number, number, number, number]>;
  /** [shipper key, consignee key, shipments]. */
  pairs: Array<[string, string, number]>;
  /** [loading>discharge, shipments, [transshipment port, shipments][], [HS heading, shipments][]]. */
  lanes: Array<[string, number, Array<[string, number]>, Array<[string, number]>]>;
  /**
   * [key, value-per-kg sketch (null when no value was declared), weight-per-package sketch], keyed
   * by HS code (`080390`) or HS code on a lane (`080390@ECGYE>BEANR`).
   */
  hs: Array<[string, LogHistogramJSON | null, LogHistogramJSON]>;
  seals: Hash64MapJSON;
}
