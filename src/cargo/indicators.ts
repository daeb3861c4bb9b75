/**
 * Built-in risk indicators. Each returns null (not fired) or a strength in (0, 1] with the
 * explanation an analyst sees; its contribution to the score is weight × strength.
 *
 * Sources named below:
 * - [EDM-C22] EMCDDA & Europol, "EU Drug Markets: In-depth analysis — Cocaine", 2022.
 * - [EDM-24]  EMCDDA & Europol, "EU Drug Markets Analysis 2024: Key insights for policy and practice".
 * - [EP-PORTS] Europol, "Criminal networks in EU ports: risks and challenges for law enforcement", 2023.
 * - [CCP]     UNODC–WCO Container Control Programme, annual reports (2021–2023) and its risk-profiling training.
 * - [UNODC-C] UNODC, "Global Report on Cocaine 2023".
 * - [ZDA]     J. S. Zdanowicz, "Detecting money laundering and terrorist financing via data mining",
 *             Communications of the ACM 47(5), 2004; "Trade-based money laundering and terrorist
 *             financing", Review of Law & Economics 5(2), 2009 (the interquartile price filter).
 */
import type { Declaration, Party } from './declaration.ts';
import { type Features, sealProblem } from './history.ts';
import { COVER_COMMODITIES, DAY_MS, HIGH_RISK_PORTS, HOUR_MS, portLabel } from './reference.ts';
import type { WatchlistHit } from './watchlist.ts';

export interface Observable {
  /** The sharing module's observable types: container, bl, vessel, company, eori, phone… */
  observableType: string;
  value: string;
}

export interface IntelHit {
  observableType: string;
  value: string;
  /** How many shared items (alerts, reports) carry this observable. */
  itemCount: number;
}

/** Hits of a declaration's observables in shared intelligence (wired by the lead to `sharing`). */
export type IntelHits = (observables: readonly Observable[]) => readonly IntelHit[];

export interface IndicatorConfig {
  /** A party first seen less than this many days ago is new (default 182 ≈ 6 months). */
  newPartyDays: number;
  /** A consignee / notify amendment this close to (or after) arrival is late (default 48 h). */
  lateAmendmentHours: number;
  /** A transshipment port seen in less than this share of the lane's history is unusual (5 %). */
  unusualTransshipmentShare: number;
  /** Lane history needed before routing and commodity are judged (default 50). */
  minLaneHistory: number;
  /** An HS heading seen in less than this share of the lane's history is unusual (1 %). */
  unusualHeadingShare: number;
  /** Tukey fence factor of the interquartile filter (default 1.5). */
  iqrFactor: number;
}

export const DEFAULT_INDICATOR_CONFIG: Readonly<IndicatorConfig> = {
  newPartyDays: 182,
  lateAmendmentHours: 48,
  unusualTransshipmentShare: 0.05,
  minLaneHistory: 50,
  unusualHeadingShare: 0.01,
  iqrFactor: 1.5,
};

export interface IndicatorContext {
  now: number;
  features: Features;
  config: IndicatorConfig;
  watchlistHits: readonly WatchlistHit[];
  intelHits: readonly IntelHit[];
}

export interface Fired {
  strength: number;
  explanation: string;
}

export interface Indicator {
  id: string;
  title: string;
  /** Points for full strength. */
  weight: number;
  evaluate(d: Declaration, c: IndicatorContext): Fired | null;
}

const HIGH_RISK = new Set(HIGH_RISK_PORTS);
const coverCache = new Map<string, (typeof COVER_COMMODITIES)[number] | null>();

function coverOf(hs: string): (typeof COVER_COMMODITIES)[number] | null {
  let c = coverCache.get(hs);
  if (c === undefined) {
    c = COVER_COMMODITIES.find((x) => hs.startsWith(x.prefix)) ?? null;
    coverCache.set(hs, c);
  }
  return c;
}

const days = (ms: number) => Math.floor(ms / DAY_MS);
const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)} %`;
const round = (x: number) => (x >= 100 ? Math.round(x).toString() : x.toPrecision(3));

/** [EDM-C22] [UNODC-C] [CCP]: departures from Ecuador, Colombia, Peru, Brazil, Costa Rica, Panama. */
const highRiskPort: Indicator = {
  id: 'high-risk-port',
  title: 'Loading or transshipment at a high-risk port',
  weight: 25,
  evaluate(d) {
    if (HIGH_RISK.has(d.loading)) {
      return {
        strength: 1,
        explanation: `Loaded at ${portLabel(d.loading)}, a port often named in cocaine seizures.`,
      };
    }
    for (const p of d.transshipment) {
      if (HIGH_RISK.has(p)) {
        return {
          strength: 0.7,
          explanation: `Transshipped at ${portLabel(p)}, a port often named in cocaine seizures.`,
        };
      }
    }
    for (const p of d.callPorts) {
      if (HIGH_RISK.has(p)) {
        return {
          strength: 0.4,
          explanation: `Vessel called at ${portLabel(p)} (high-risk) with the container on board.`,
        };
      }
    }
    return null;
  },
};

/** [EDM-C22] [EP-PORTS]: bananas, pineapples, other fresh fruit, coffee, shrimp, juice as cover loads. */
const coverCommodity: Indicator = {
  id: 'cover-commodity',
  title: 'Commodity often used as cover load',
  weight: 10,
  evaluate(d) {
    const c = coverOf(d.hs);
    return c === null
      ? null
      : {
          strength: c.strength,
          explanation: `HS ${d.hs} (${c.label}) is often used to cover cocaine loads.`,
        };
  },
};

/** [EDM-C22]: most large seizures are in reefer containers of fresh produce (fewer checks, time pressure). */
const reefer: Indicator = {
  id: 'reefer',
  title: 'Reefer container',
  weight: 6,
  evaluate(d) {
    return d.reefer
      ? {
          strength: 1,
          explanation: `Reefer container (${d.sizeType}): perishable, inspected less, often used.`,
        }
      : null;
  },
};

/** [EP-PORTS] [CCP]: front and shell companies, recently created, importing a few loads. */
const newConsignee: Indicator = {
  id: 'new-consignee',
  title: 'New consignee',
  weight: 25,
  evaluate(d, c) {
    const p = c.features.consignee;
    if (p === null || p.asConsignee === 0) {
      return {
        strength: 1,
        explanation: `First shipment to consignee ${d.consignee.name} (${d.consignee.country}).`,
      };
    }
    const age = c.now - p.firstSeen;
    const limit = c.config.newPartyDays * DAY_MS;
    if (age >= limit) return null;
    return {
      strength: 0.6 + 0.4 * (1 - age / limit),
      explanation: `Consignee ${d.consignee.name} first seen ${days(age)} days ago (${p.asConsignee} earlier shipments).`,
    };
  },
};

/** [CCP]: a consignee buying from a shipper it never dealt with before. */
const newPair: Indicator = {
  id: 'new-pair',
  title: 'Shipper–consignee pair never seen',
  weight: 10,
  evaluate(d, c) {
    if (c.features.pairShipments > 0) return null;
    const s = c.features.shipper;
    const k = c.features.consignee;
    const limit = c.config.newPartyDays * DAY_MS;
    const established = s !== null && k !== null && c.now - k.firstSeen >= limit && k.asConsignee > 0;
    return {
      strength: established ? 1 : 0.5,
      explanation: established
        ? `Established consignee ${d.consignee.name} never received from ${d.shipper.name} before.`
        : `No earlier shipment from ${d.shipper.name} to ${d.consignee.name}.`,
    };
  },
};

/** [EP-PORTS]: consignees changed late to divert a loaded container; rip-off teams need the new name. */
const latePartyAmendment: Indicator = {
  id: 'late-party-amendment',
  title: 'Consignee or notify party amended late',
  weight: 30,
  evaluate(d, c) {
    let latest: Declaration['amendments'][number] | null = null;
    for (const a of d.amendments) {
      if (
        (a.parts.includes('consignee') || a.parts.includes('notify')) &&
        (latest === null || a.filedAt > latest.filedAt)
      ) {
        latest = a;
      }
    }
    if (latest === null) return null;
    const what = latest.parts.includes('consignee') ? 'Consignee' : 'Notify party';
    const hours = (d.eta - latest.filedAt) / HOUR_MS;
    if (hours <= c.config.lateAmendmentHours) {
      return {
        strength: 1,
        explanation:
          hours < 0
            ? `${what} amended ${Math.round(-hours)} h after arrival (version ${latest.version}).`
            : `${what} amended ${Math.round(hours)} h before arrival (version ${latest.version}).`,
      };
    }
    if (d.etd !== null && latest.filedAt > d.etd) {
      return { strength: 0.7, explanation: `${what} amended after loading (version ${latest.version}).` };
    }
    return {
      strength: 0.4,
      explanation: `${what} amended after the first filing (version ${latest.version}).`,
    };
  },
};

/** [CCP] [EP-PORTS]: freight paid by someone outside the trade (cash, third parties) hides the organiser. */
const unusualFreightPayer: Indicator = {
  id: 'unusual-freight-payer',
  title: 'Freight paid by an unusual party',
  weight: 18,
  evaluate(d) {
    const payer = d.payer;
    if (payer === null) return null;
    switch (d.payerRole) {
      case 'third-party':
        return {
          strength: d.freightTerms === 'collect' ? 1 : 0.8,
          explanation: `Freight ${d.freightTerms} paid by ${payer.name} (${payer.country}), neither shipper nor consignee.`,
        };
      case 'notify':
        return { strength: 0.4, explanation: `Freight paid by the notify party ${payer.name}.` };
      case 'consignee':
        return d.freightTerms === 'prepaid'
          ? { strength: 0.4, explanation: 'Freight declared prepaid but paid by the consignee.' }
          : null;
      case 'shipper':
        return d.freightTerms === 'collect'
          ? { strength: 0.4, explanation: 'Freight declared collect but paid by the shipper.' }
          : null;
      default:
        return null;
    }
  },
};

/** [EDM-24] [EP-PORTS]: routing through hubs that are unusual for the lane, to blur the origin. */
const unusualTransshipment: Indicator = {
  id: 'unusual-transshipment',
  title: 'Unusual transshipment for the lane',
  weight: 20,
  evaluate(d, c) {
    const f = c.features;
    if (f.laneTransshipmentShare === null || f.laneShipments < c.config.minLaneHistory) return null;
    const limit = c.config.unusualTransshipmentShare;
    if (f.laneTransshipmentShare >= limit) return null;
    return {
      strength: 1 - 0.5 * (f.laneTransshipmentShare / limit),
      explanation: `Transshipment at ${portLabel(f.rarestTransshipmentPort ?? '?')} seen in ${pct(f.laneTransshipmentShare)} of ${f.laneShipments} shipments on ${d.lane}.`,
    };
  },
};

/** [CCP]: a commodity that the lane does not normally carry (origin masking, opportunistic fronts). */
const unusualCommodityForLane: Indicator = {
  id: 'unusual-commodity-for-lane',
  title: 'Commodity unusual for the lane',
  weight: 12,
  evaluate(d, c) {
    const f = c.features;
    if (f.laneHeadingShare === null || f.laneShipments < c.config.minLaneHistory) return null;
    if (f.laneHeadingShare >= c.config.unusualHeadingShare) return null;
    return {
      strength: 1,
      explanation: `HS heading ${d.hsHeading} seen in ${pct(f.laneHeadingShare)} of ${f.laneShipments} shipments on ${d.lane}.`,
    };
  },
};

/**
 * [ZDA]: the interquartile filter — a value outside [Q1 − k·IQR, Q3 + k·IQR] of the same HS code
 * (on the same lane when there is enough history). IQR is floored at 5 % of Q3 so that a very tight
 * distribution (or the sketch's 2 % buckets) does not make every small deviation an outlier.
 */
function iqrOutlier(value: number, q1: number, q3: number, k: number): number {
  const iqr = Math.max(q3 - q1, 0.05 * q3);
  const lo = q1 - k * iqr;
  const hi = q3 + k * iqr;
  if (value >= lo && value <= hi) return 0;
  const excess = value < lo ? lo - value : value - hi;
  return 0.6 + 0.4 * Math.min(1, excess / (k * iqr));
}

const weightPerPackageOutlier: Indicator = {
  id: 'weight-per-package-outlier',
  title: 'Weight per package far from the norm',
  weight: 12,
  evaluate(d, c) {
    const q = c.features.weightPerPackage;
    if (q === null) return null;
    const s = iqrOutlier(d.weightPerPackage, q.q1, q.q3, c.config.iqrFactor);
    if (s === 0) return null;
    return {
      strength: s,
      explanation: `${round(d.weightPerPackage)} kg per package; usual for HS ${d.hs}${q.scope === 'hs+lane' ? ` on ${d.lane}` : ''}: ${round(q.q1)}–${round(q.q3)} kg (quartiles of ${q.n}).`,
    };
  },
};

const valuePerKgOutlier: Indicator = {
  id: 'value-per-kg-outlier',
  title: 'Value per kg far from the norm',
  weight: 12,
  evaluate(d, c) {
    const q = c.features.valuePerKg;
    if (q === null || d.valuePerKg === null) return null;
    const s = iqrOutlier(d.valuePerKg, q.q1, q.q3, c.config.iqrFactor);
    if (s === 0) return null;
    return {
      strength: s,
      explanation: `${round(d.valuePerKg)} EUR/kg; usual for HS ${d.hs}${q.scope === 'hs+lane' ? ` on ${d.lane}` : ''}: ${round(q.q1)}–${round(q.q3)} EUR/kg (quartiles of ${q.n}).`,
    };
  },
};

/** [EP-PORTS] [EDM-C22]: rip-on/rip-off replaces the seal; cloned or reused seal numbers, missing seals. */
const sealAnomaly: Indicator = {
  id: 'seal-anomaly',
  title: 'Seal anomaly',
  weight: 25,
  evaluate(d, c) {
    if (c.features.reusedSeal !== null) {
      return {
        strength: 1,
        explanation: `Seal ${c.features.reusedSeal} was already declared on another shipment.`,
      };
    }
    if (d.seals.length === 0) return { strength: 0.4, explanation: 'No seal number declared.' };
    for (const s of d.seals) {
      const problem = sealProblem(s);
      if (problem !== null)
        return { strength: 0.7, explanation: `Seal number '${s}' looks malformed (${problem}).` };
    }
    return null;
  },
};

/** Watchlists kept by the service (sanctions, known fronts, containers and vessels of interest). */
const watchlistHit: Indicator = {
  id: 'watchlist-hit',
  title: 'Watchlist hit',
  weight: 40,
  evaluate(_d, c) {
    if (c.watchlistHits.length === 0) return null;
    let best = c.watchlistHits[0] as WatchlistHit;
    for (const h of c.watchlistHits) if (h.similarity * h.weight > best.similarity * best.weight) best = h;
    const more = c.watchlistHits.length > 1 ? ` (+${c.watchlistHits.length - 1} more)` : '';
    return {
      strength: best.similarity * best.weight,
      explanation: `${best.field} '${best.value}' matches watchlist entry ${best.entryId} '${best.matched}' (${best.source}, ${best.method} ${best.similarity.toFixed(2)})${more}.`,
    };
  },
};

/** Observables already carried by shared alerts and intelligence reports (sharing module). */
const intelHit: Indicator = {
  id: 'intel-hit',
  title: 'Hit in shared intelligence',
  weight: 45,
  evaluate(_d, c) {
    if (c.intelHits.length === 0) return null;
    let items = 0;
    for (const h of c.intelHits) items += h.itemCount;
    const first = c.intelHits[0] as IntelHit;
    return {
      strength: Math.min(1, 0.7 + 0.1 * items),
      explanation: `${first.observableType} ${first.value} appears in ${first.itemCount} shared item(s)${c.intelHits.length > 1 ? ` (+${c.intelHits.length - 1} more observables)` : ''}.`,
    };
  },
};

export const BUILTIN_INDICATORS: readonly Indicator[] = [
  highRiskPort,
  coverCommodity,
  reefer,
  newConsignee,
  newPair,
  latePartyAmendment,
  unusualFreightPayer,
  unusualTransshipment,
  unusualCommodityForLane,
  weightPerPackageOutlier,
  valuePerKgOutlier,
  sealAnomaly,
  watchlistHit,
  intelHit,
];

/** The built-in indicators with some weights replaced (ids must exist). */
export function withWeights(weights: Readonly<Record<string, number>>): Indicator[] {
  for (const id of Object.keys(weights)) {
    if (!BUILTIN_INDICATORS.some((i) => i.id === id)) throw new RangeError(`unknown indicator '${id}'`);
  }
  return BUILTIN_INDICATORS.map((i) => {
    const w = weights[i.id];
    return w === undefined ? i : { ...i, weight: w };
  });
}

/** The observables of a declaration, in the sharing module's vocabulary, for `IntelHits`. */
export function observablesOf(d: Declaration): Observable[] {
  const { shipper, consignee, notify } = d;
  // Counted first and filled in place: one array of the right size per declaration.
  const n =
    5 +
    (d.houseBl !== null ? 1 : 0) +
    (notify !== null ? 1 : 0) +
    identifierCount(shipper) +
    identifierCount(consignee) +
    (notify !== null ? identifierCount(notify) : 0);
  const out = new Array<Observable>(n);
  out[0] = { observableType: 'container', value: d.container };
  out[1] = { observableType: 'bl', value: d.masterBl };
  out[2] = { observableType: 'vessel', value: d.vesselImo };
  out[3] = { observableType: 'company', value: shipper.name };
  out[4] = { observableType: 'company', value: consignee.name };
  let i = 5;
  if (d.houseBl !== null) out[i++] = { observableType: 'bl', value: d.houseBl };
  if (notify !== null) out[i++] = { observableType: 'company', value: notify.name };
  i = putIdentifiers(shipper, out, i);
  i = putIdentifiers(consignee, out, i);
  if (notify !== null) putIdentifiers(notify, out, i);
  return out;
}

function identifierCount(p: Party): number {
  return (p.eori !== null ? 1 : 0) + (p.phone !== null ? 1 : 0);
}

function putIdentifiers(p: Party, out: Observable[], at: number): number {
  let i = at;
  if (p.eori !== null) out[i++] = { observableType: 'eori', value: p.eori };
  if (p.phone !== null) out[i++] = { observableType: 'phone', value: p.phone };
  return i;
}
