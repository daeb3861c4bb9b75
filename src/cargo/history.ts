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
import type { Declaration, Party } from './declaration.ts';
import { Hash64Map, type Hash64MapJSON, hash32 } from './hash64.ts';
import { LogHistogram, type LogHistogramJSON } from './sketch.ts';

export interface PartyStats {
  firstSeen: number;
  lastSeen: number;
  asShipper: number;
  asConsignee: number;
  asNotify: number;
}

/**
 * A party's record; a consignee also keeps its suppliers: the shipper records and their
 * shipments, in the order of their first shipment (the serialised order of pairs). Suppliers
 * are found by record identity (no key hashing). Most consignees buy from one shipper, so the
 * first supplier is kept in the record itself (no further memory access); the others in
 * arrays, scanned, and indexed once the list is long.
 */
interface PartyRecord extends PartyStats {
  readonly key: string;
  supplier: PartyRecord | null;
  supplierShipments: number;
  more: PartyRecord[] | null;
  moreShipments: number[] | null;
  moreIndex: Map<PartyRecord, number> | null;
}

/** Further suppliers of a consignee scanned linearly up to this many, then indexed. */
const SUPPLIER_SCAN = 8;

/** Distributions of one HS code (globally, or on one lane). */
interface HsStats {
  vpk: LogHistogram | null;
  wpp: LogHistogram;
}

/**
 * A lane and the distributions of the HS codes shipped on it. The HS-on-lane statistics live in
 * their lane, keyed by HS code: the same statistics as the serialised `hs@lane` keys (a
 * declaration's `hsLane` is `hs@lane` by definition), reached through the lane already looked up
 * and a small map, without hashing a key string built per declaration.
 */
interface LaneStats {
  readonly key: string;
  n: number;
  tship: Map<string, number>;
  headings: Map<string, number>;
  hs: Map<string, HsStats>;
}

interface Memo {
  d: Declaration | null;
  shipper: PartyRecord | undefined;
  consignee: PartyRecord | undefined;
  notify: PartyRecord | undefined;
  /** The notify party has the consignee's key (valid when the declaration has a notify party). */
  notifyIsConsignee: boolean;
  /** Position of the shipper among the consignee's suppliers (-1: none; valid when the consignee was found). */
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
  return { q1: h.firstQuartile(), q3: h.thirdQuartile(), n: h.count, scope };
}

/**
 * Whether two party objects have the same key, without reading the key strings when history
 * already tells: there is one record per key, so with a record on either side the keys are the
 * same exactly when the records are.
 */
function sameKey(a: Party, b: Party, ra: PartyRecord | undefined, rb: PartyRecord | undefined): boolean {
  if (ra !== undefined || rb !== undefined) return ra === rb;
  return a.key === b.key;
}

/** Where `shipper` is among the consignee's suppliers: 0 the first, i + 1 `more[i]`, -1 none. */
function supplierPosition(consignee: PartyRecord, shipper: PartyRecord | undefined): number {
  if (shipper === undefined || consignee.supplier === null) return -1;
  if (consignee.supplier === shipper) return 0;
  const list = consignee.more;
  if (list === null) return -1;
  if (consignee.moreIndex !== null) return (consignee.moreIndex.get(shipper) ?? -2) + 1;
  for (let i = 0; i < list.length; i++) if (list[i] === shipper) return i + 1;
  return -1;
}

function shipmentsAt(consignee: PartyRecord, pos: number): number {
  if (pos === -1) return 0;
  if (pos === 0) return consignee.supplierShipments;
  return (consignee.moreShipments as number[])[pos - 1] ?? 0;
}

function addShipments(consignee: PartyRecord, pos: number, n: number): void {
  if (pos === 0) consignee.supplierShipments += n;
  else {
    const counts = consignee.moreShipments as number[];
    counts[pos - 1] = (counts[pos - 1] ?? 0) + n;
  }
}

function addSupplier(consignee: PartyRecord, shipper: PartyRecord, shipments: number): void {
  if (consignee.supplier === null) {
    consignee.supplier = shipper;
    consignee.supplierShipments = shipments;
    return;
  }
  if (consignee.more === null || consignee.moreShipments === null) {
    consignee.more = [shipper];
    consignee.moreShipments = [shipments];
    return;
  }
  const list = consignee.more;
  list.push(shipper);
  consignee.moreShipments.push(shipments);
  if (consignee.moreIndex !== null) consignee.moreIndex.set(shipper, list.length - 1);
  else if (list.length > SUPPLIER_SCAN) consignee.moreIndex = new Map(list.map((p, i) => [p, i]));
}

/** The consignee's suppliers with their shipments, in order of first shipment. */
function* suppliersOf(consignee: PartyRecord): Generator<[PartyRecord, number]> {
  if (consignee.supplier === null) return;
  yield [consignee.supplier, consignee.supplierShipments];
  const list = consignee.more;
  const counts = consignee.moreShipments;
  if (list === null || counts === null) return;
  for (let i = 0; i < list.length; i++) yield [list[i] as PartyRecord, counts[i] ?? 0];
}

export class History {
  readonly minSamples: number;
  readonly sketchAlpha: number;
  private parties = new Map<string, PartyRecord>();
  /** The same records by party object (see `recordOf`). */
  private byObject = new WeakMap<Party, PartyRecord>();
  private lanes = new Map<string, LaneStats>();
  /** By HS code alone; by HS code on a lane in `LaneStats.hs`. */
  private hsAll = new Map<string, HsStats>();
  /** The HS-on-lane statistics in creation order (the order they serialise in). */
  private hsLaneOrder: Array<{ lane: LaneStats; hs: string; stats: HsStats }> = [];
  private seals = new Hash64Map(4096);
  private observed = 0;
  /** What the last `features` call looked up, for `observe` of the same declaration. */
  private readonly memo: Memo = {
    d: null,
    shipper: undefined,
    consignee: undefined,
    notify: undefined,
    notifyIsConsignee: false,
    pair: -1,
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
    // The party look-ups are made together, so that their cache misses overlap.
    const notify = d.notify;
    const byObject = this.byObject;
    const s0 = byObject.get(d.shipper);
    const c0 = byObject.get(d.consignee);
    const n0 = notify === null || notify === d.consignee ? undefined : byObject.get(notify);
    const shipperRec = s0 !== undefined && s0.key === d.shipper.key ? s0 : this.recordOf(d.shipper);
    const consigneeRec = c0 !== undefined && c0.key === d.consignee.key ? c0 : this.recordOf(d.consignee);
    let notifyRec: PartyRecord | undefined;
    let notifyIsConsignee = false;
    if (notify !== null) {
      if (notify === d.consignee) notifyIsConsignee = true;
      else {
        notifyRec = n0 !== undefined && n0.key === notify.key ? n0 : this.recordOf(notify);
        notifyIsConsignee = sameKey(notify, d.consignee, notifyRec, consigneeRec);
      }
      if (notifyIsConsignee) notifyRec = consigneeRec;
    }
    const byLane = lane?.hs.get(d.hs);
    const byHs = this.hsAll.get(d.hs);
    const pair = consigneeRec === undefined ? -1 : supplierPosition(consigneeRec, shipperRec);
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
    m.notifyIsConsignee = notifyIsConsignee;
    m.pair = pair;
    m.lane = lane;
    m.byLane = byLane;
    m.byHs = byHs;
    m.me = me;
    return {
      shipper: shipperRec ?? null,
      consignee: consigneeRec ?? null,
      notify: d.notify === null ? null : (notifyRec ?? null),
      pairShipments: consigneeRec === undefined ? 0 : shipmentsAt(consigneeRec, pair),
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
    const shipper = this.touch(d.shipper, t, 0, same ? m.shipper : undefined);
    const consignee = this.touch(d.consignee, t, 1, same ? m.consignee : undefined);
    const notify = d.notify;
    if (notify !== null && notify !== d.consignee) {
      if (same) {
        if (!m.notifyIsConsignee) this.touch(notify, t, 2, m.notify);
      } else {
        // The consignee has a record now: the notify party is the consignee when it has the same record.
        const rec = this.recordOf(notify);
        if (rec !== consignee) this.touch(notify, t, 2, rec);
      }
    }
    // The memo's position is valid only if both records existed then (a new record has no pair).
    const pair =
      same && m.consignee !== undefined && m.shipper !== undefined
        ? m.pair
        : supplierPosition(consignee, shipper);
    if (pair === -1) addSupplier(consignee, shipper, 1);
    else addShipments(consignee, pair, 1);

    let lane = (same ? m.lane : undefined) ?? this.lanes.get(d.lane);
    if (lane === undefined) {
      lane = { key: d.lane, n: 0, tship: new Map(), headings: new Map(), hs: new Map() };
      this.lanes.set(d.lane, lane);
    }
    lane.n++;
    for (const p of d.transshipment) lane.tship.set(p, (lane.tship.get(p) ?? 0) + 1);
    lane.headings.set(d.hsHeading, (lane.headings.get(d.hsHeading) ?? 0) + 1);

    let byLane = (same ? m.byLane : undefined) ?? lane.hs.get(d.hs);
    if (byLane === undefined) byLane = this.addHsLane(lane, d.hs, this.newHsStats());
    this.addSamples(byLane, d);
    let byHs = (same ? m.byHs : undefined) ?? this.hsAll.get(d.hs);
    if (byHs === undefined) {
      byHs = this.newHsStats();
      this.hsAll.set(d.hs, byHs);
    }
    this.addSamples(byHs, d);

    if (d.seals.length > 0) {
      const me = same && m.me !== -1 ? m.me : hash32(d.id);
      for (const s of d.seals) if (sealProblem(s) === null) this.seals.set(s, me);
    }
  }

  /**
   * The record of a party, found through the party object first: the normaliser shares one
   * object between the declarations of a trading partner, and a look-up by object saves reading
   * the key string and two entries of a map of a few hundred thousand keys, which are rarely
   * still in cache. The record's key is compared (the same string for the object that made the
   * record), so a party object whose key changed is looked up by key again.
   */
  private recordOf(party: Party): PartyRecord | undefined {
    const known = this.byObject.get(party);
    if (known !== undefined && known.key === party.key) return known;
    const rec = this.parties.get(party.key);
    if (rec !== undefined) this.byObject.set(party, rec);
    return rec;
  }

  private touch(party: Party, t: number, role: 0 | 1 | 2, known: PartyRecord | undefined): PartyRecord {
    let p = known ?? this.recordOf(party);
    if (p === undefined) {
      p = this.newParty(party.key, t, t, 0, 0, 0);
      this.byObject.set(party, p);
    }
    if (t < p.firstSeen) p.firstSeen = t;
    if (t > p.lastSeen) p.lastSeen = t;
    if (role === 0) p.asShipper++;
    else if (role === 1) p.asConsignee++;
    else p.asNotify++;
    return p;
  }

  private newParty(
    key: string,
    firstSeen: number,
    lastSeen: number,
    asShipper: number,
    asConsignee: number,
    asNotify: number,
  ): PartyRecord {
    const p: PartyRecord = {
      key,
      firstSeen,
      lastSeen,
      asShipper,
      asConsignee,
      asNotify,
      supplier: null,
      supplierShipments: 0,
      more: null,
      moreShipments: null,
      moreIndex: null,
    };
    this.parties.set(key, p);
    return p;
  }

  private newHsStats(): HsStats {
    return { vpk: null, wpp: new LogHistogram(this.sketchAlpha) };
  }

  private addHsLane(lane: LaneStats, hs: string, stats: HsStats): HsStats {
    lane.hs.set(hs, stats);
    this.hsLaneOrder.push({ lane, hs, stats });
    return stats;
  }

  private addSamples(stats: HsStats, d: Declaration): void {
    if (d.valuePerKg !== null) {
      if (stats.vpk === null) stats.vpk = new LogHistogram(this.sketchAlpha);
      stats.vpk.add(d.valuePerKg);
    }
    stats.wpp.add(d.weightPerPackage);
  }

  toJSON(): HistoryJSON {
    const pairs: Array<[string, string, number]> = [];
    for (const p of this.parties.values()) {
      for (const [shipper, n] of suppliersOf(p)) pairs.push([shipper.key, p.key, n]);
    }
    const hs: HistoryJSON['hs'] = [];
    for (const [k, h] of this.hsAll) hs.push([k, h.vpk === null ? null : h.vpk.toJSON(), h.wpp.toJSON()]);
    for (const { lane, hs: code, stats } of this.hsLaneOrder) {
      hs.push([`${code}@${lane.key}`, stats.vpk === null ? null : stats.vpk.toJSON(), stats.wpp.toJSON()]);
    }
    return {
      format: 'portshield.cargo.history',
      formatVersion: 1,
      minSamples: this.minSamples,
      sketchAlpha: this.sketchAlpha,
      observed: this.observed,
      parties: Array.from(this.parties.values(), (p) => [
        p.key,
        p.firstSeen,
        p.lastSeen,
        p.asShipper,
        p.asConsignee,
        p.asNotify,
      ]),
      pairs,
      // A lane made only to hold HS statistics of a snapshot (n = 0) was not a lane there either.
      lanes: [...this.lanes.values()]
        .filter((l) => l.n > 0 || l.tship.size > 0 || l.headings.size > 0)
        .map((l) => [l.key, l.n, [...l.tship], [...l.headings]]),
      hs,
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
      h.newParty(k, firstSeen, lastSeen, asShipper, asConsignee, asNotify);
    }
    for (const [shipper, consignee, n] of json.pairs) {
      const k = h.parties.get(consignee);
      if (k === undefined) throw new TypeError(`history snapshot: pair of unknown consignee '${consignee}'`);
      const s = h.parties.get(shipper);
      if (s === undefined) throw new TypeError(`history snapshot: pair of unknown shipper '${shipper}'`);
      const pos = supplierPosition(k, s);
      if (pos === -1) addSupplier(k, s, n);
      else addShipments(k, pos, n - shipmentsAt(k, pos));
    }
    for (const [k, n, tship, headings] of json.lanes) {
      h.lanes.set(k, { key: k, n, tship: new Map(tship), headings: new Map(headings), hs: new Map() });
    }
    for (const [k, vpk, wpp] of json.hs) {
      const stats = {
        vpk: vpk === null ? null : LogHistogram.fromJSON(vpk),
        wpp: LogHistogram.fromJSON(wpp),
      };
      const at = k.indexOf('@');
      if (at === -1) {
        h.hsAll.set(k, stats);
        continue;
      }
      const laneKey = k.slice(at + 1);
      let lane = h.lanes.get(laneKey);
      if (lane === undefined) {
        lane = { key: laneKey, n: 0, tship: new Map(), headings: new Map(), hs: new Map() };
        h.lanes.set(laneKey, lane);
      }
      h.addHsLane(lane, k.slice(0, at), stats);
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
