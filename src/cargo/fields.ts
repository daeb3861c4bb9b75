/**
 * The fields a rule may name: declaration fields and derived features, each with its type and
 * an accessor. rule-language.md lists them; a test checks that the list and this catalogue agree.
 */
import type { Declaration } from './declaration.ts';
import type { Features, PartyStats } from './history.ts';
import { DAY_MS, HOUR_MS } from './reference.ts';

/** What a compiled rule reads: one declaration, its history features and the indicator results. */
export interface Subject {
  d: Declaration;
  f: Features;
  now: number;
  /** Strength per built-in indicator, by position in the scorer's indicator list (0 = not fired). */
  strengths: Float64Array;
  /** Sum of indicator contributions. */
  indicatorPoints: number;
}

export type FieldType = 'string' | 'number' | 'boolean' | 'string[]';
export type FieldValue = string | number | boolean | readonly string[] | null;

/**
 * How literals in rules are brought to the field's canonical form at compile time: codes are
 * upper case; `company` literals go through `normalizeCompanyName`, like the declaration's names.
 */
export type Fold = 'upper' | 'company' | 'none';

export interface FieldDef {
  type: FieldType;
  doc: string;
  fold: Fold;
  /** Allowed values (checked in rules, with suggestions). */
  values?: readonly string[];
  get: (s: Subject) => FieldValue;
}

const up = 'upper' as const;

function ageDays(p: PartyStats | null, now: number): number {
  return p === null ? 0 : Math.max(0, (now - p.firstSeen) / DAY_MS);
}

function partyFields(role: 'shipper' | 'consignee' | 'notify'): Record<string, FieldDef> {
  const pick = (d: Declaration) => (role === 'notify' ? d.notify : d[role]);
  return {
    [`${role}.name`]: {
      type: 'string',
      fold: 'company',
      doc: `${role} name, normalised by the identifiers module (compare with a name as filed; it is normalised the same way)`,
      get: (s) => pick(s.d)?.normName ?? null,
    },
    [`${role}.filedName`]: {
      type: 'string',
      fold: 'none',
      doc: `${role} name as filed`,
      get: (s) => pick(s.d)?.name ?? null,
    },
    [`${role}.country`]: {
      type: 'string',
      fold: up,
      doc: `${role} country (ISO 3166 alpha-2)`,
      get: (s) => pick(s.d)?.country ?? null,
    },
    [`${role}.eori`]: {
      type: 'string',
      fold: up,
      doc: `${role} EORI number`,
      get: (s) => pick(s.d)?.eori ?? null,
    },
    [`${role}.key`]: {
      type: 'string',
      fold: 'none',
      doc: `${role} matching key (normalised name|country)`,
      get: (s) => pick(s.d)?.key ?? null,
    },
  };
}

function partyHistory(role: 'shipper' | 'consignee' | 'notify'): Record<string, FieldDef> {
  const stats = (s: Subject) => s.f[role];
  const count = (p: PartyStats) =>
    role === 'shipper' ? p.asShipper : role === 'consignee' ? p.asConsignee : p.asNotify;
  return {
    [`history.${role}.shipments`]: {
      type: 'number',
      fold: 'none',
      doc:
        role === 'notify'
          ? 'earlier shipments with this party as notify party (0 when never seen; a consignee that is its own notify party counts as consignee only)'
          : `earlier shipments with this party as ${role} (0 when never seen)`,
      get: (s) => (role === 'notify' && s.d.notify === null ? null : count(stats(s) ?? ZERO)),
    },
    [`history.${role}.ageDays`]: {
      type: 'number',
      fold: 'none',
      doc: `days since the party was first seen in any role (0 when never seen)`,
      get: (s) => (role === 'notify' && s.d.notify === null ? null : ageDays(stats(s), s.now)),
    },
  };
}

const ZERO: PartyStats = { firstSeen: 0, lastSeen: 0, asShipper: 0, asConsignee: 0, asNotify: 0 };

function lastPartyAmendment(d: Declaration): number | null {
  let t: number | null = null;
  for (const a of d.amendments) {
    if ((a.parts.includes('consignee') || a.parts.includes('notify')) && (t === null || a.filedAt > t))
      t = a.filedAt;
  }
  return t;
}

export const FIELDS: Readonly<Record<string, FieldDef>> = {
  id: { type: 'string', fold: 'none', doc: "the filer's reference", get: (s) => s.d.id },
  version: {
    type: 'number',
    fold: 'none',
    doc: 'amendment number (1 = original filing)',
    get: (s) => s.d.version,
  },
  carrier: { type: 'string', fold: up, doc: 'carrier SCAC (or normalised name)', get: (s) => s.d.carrier },
  'vessel.imo': { type: 'string', fold: up, doc: 'IMO number of the vessel', get: (s) => s.d.vesselImo },
  voyage: { type: 'string', fold: up, doc: 'voyage number', get: (s) => s.d.voyage },
  'route.loading': { type: 'string', fold: up, doc: 'port of loading (UN/LOCODE)', get: (s) => s.d.loading },
  'route.loadingCountry': {
    type: 'string',
    fold: up,
    doc: 'country of the port of loading',
    get: (s) => s.d.loadingCountry,
  },
  'route.callPorts': {
    type: 'string[]',
    fold: up,
    doc: 'ports of call with the container on board',
    get: (s) => s.d.callPorts,
  },
  'route.transshipment': {
    type: 'string[]',
    fold: up,
    doc: 'transshipment ports',
    get: (s) => s.d.transshipment,
  },
  'route.transshipmentCount': {
    type: 'number',
    fold: 'none',
    doc: 'number of transshipments',
    get: (s) => s.d.transshipment.length,
  },
  'route.ports': {
    type: 'string[]',
    fold: up,
    doc: 'loading, call and transshipment ports together',
    get: (s) => [s.d.loading, ...s.d.callPorts, ...s.d.transshipment],
  },
  'route.discharge': { type: 'string', fold: up, doc: 'port of discharge', get: (s) => s.d.discharge },
  'route.dischargeCountry': {
    type: 'string',
    fold: up,
    doc: 'country of discharge',
    get: (s) => s.d.dischargeCountry,
  },
  'route.firstEntryOffice': {
    type: 'string',
    fold: up,
    doc: 'customs office of first entry',
    get: (s) => s.d.firstEntryOffice,
  },
  'route.lane': { type: 'string', fold: up, doc: 'lane `LOADING>DISCHARGE`', get: (s) => s.d.lane },
  'route.deepSea': { type: 'boolean', fold: 'none', doc: 'loaded outside Europe', get: (s) => s.d.deepSea },
  'container.number': {
    type: 'string',
    fold: up,
    doc: 'container number (ISO 6346)',
    get: (s) => s.d.container,
  },
  'container.owner': {
    type: 'string',
    fold: up,
    doc: 'owner code + category (first 4 letters)',
    get: (s) => s.d.containerOwner,
  },
  'container.sizeType': {
    type: 'string',
    fold: up,
    doc: 'ISO 6346 size-type code',
    get: (s) => s.d.sizeType,
  },
  'container.reefer': {
    type: 'boolean',
    fold: 'none',
    doc: 'refrigerated container',
    get: (s) => s.d.reefer,
  },
  'container.seals': { type: 'string[]', fold: up, doc: 'seal numbers', get: (s) => s.d.seals },
  'container.sealCount': {
    type: 'number',
    fold: 'none',
    doc: 'number of seals',
    get: (s) => s.d.seals.length,
  },
  'bl.master': { type: 'string', fold: up, doc: 'master bill of lading', get: (s) => s.d.masterBl },
  'bl.house': { type: 'string', fold: up, doc: 'house bill of lading', get: (s) => s.d.houseBl },
  ...partyFields('shipper'),
  ...partyFields('consignee'),
  ...partyFields('notify'),
  'notify.sameAsConsignee': {
    type: 'boolean',
    fold: 'none',
    doc: 'the notify party is the consignee (null when there is no notify party)',
    get: (s) => (s.d.notify === null ? null : s.d.notify.key === s.d.consignee.key),
  },
  'freight.payer.name': {
    type: 'string',
    fold: 'company',
    doc: 'freight payer name (normalised)',
    get: (s) => s.d.payer?.normName ?? null,
  },
  'freight.payer.country': {
    type: 'string',
    fold: up,
    doc: 'freight payer country',
    get: (s) => s.d.payer?.country ?? null,
  },
  'freight.terms': {
    type: 'string',
    fold: 'none',
    doc: 'freight terms',
    values: ['prepaid', 'collect'],
    get: (s) => s.d.freightTerms,
  },
  'freight.payerRole': {
    type: 'string',
    fold: 'none',
    doc: 'who pays the freight',
    values: ['shipper', 'consignee', 'notify', 'third-party', 'unknown'],
    get: (s) => s.d.payerRole,
  },
  'goods.description': {
    type: 'string',
    fold: 'none',
    doc: 'goods description',
    get: (s) => s.d.description,
  },
  'goods.hs': { type: 'string', fold: 'none', doc: 'HS code, 6 digits', get: (s) => s.d.hs },
  'goods.hsChapter': { type: 'string', fold: 'none', doc: 'HS chapter, 2 digits', get: (s) => s.d.hsChapter },
  'goods.hsChapterHeading': {
    type: 'string',
    fold: 'none',
    doc: 'HS heading, 4 digits',
    get: (s) => s.d.hsHeading,
  },
  'goods.hsHeading': {
    type: 'string',
    fold: 'none',
    doc: 'same as goods.hsChapterHeading',
    get: (s) => s.d.hsHeading,
  },
  'goods.packages': { type: 'number', fold: 'none', doc: 'number of packages', get: (s) => s.d.packages },
  'goods.grossKg': { type: 'number', fold: 'none', doc: 'gross weight (kg)', get: (s) => s.d.grossKg },
  'goods.weightPerPackage': {
    type: 'number',
    fold: 'none',
    doc: 'kg per package',
    get: (s) => s.d.weightPerPackage,
  },
  'goods.valueEur': { type: 'number', fold: 'none', doc: 'declared value in EUR', get: (s) => s.d.valueEur },
  'goods.valuePerKg': {
    type: 'number',
    fold: 'none',
    doc: 'declared EUR per kg',
    get: (s) => s.d.valuePerKg,
  },
  'goods.currency': {
    type: 'string',
    fold: up,
    doc: 'currency of the declared value',
    get: (s) => s.d.currency,
  },
  'times.hoursFiledBeforeEta': {
    type: 'number',
    fold: 'none',
    doc: 'hours between filing (this version) and arrival',
    get: (s) => (s.d.eta - s.d.filedAt) / HOUR_MS,
  },
  'times.daysBookedBeforeEta': {
    type: 'number',
    fold: 'none',
    doc: 'days between booking and arrival',
    get: (s) => (s.d.eta - s.d.bookedAt) / DAY_MS,
  },
  'times.hoursFiledBeforeEtd': {
    type: 'number',
    fold: 'none',
    doc: 'hours between filing and departure (when the ETD is known)',
    get: (s) => (s.d.etd === null ? null : (s.d.etd - s.d.filedAt) / HOUR_MS),
  },
  'amendments.count': {
    type: 'number',
    fold: 'none',
    doc: 'number of amendments',
    get: (s) => s.d.amendments.length,
  },
  'amendments.parts': {
    type: 'string[]',
    fold: 'none',
    doc: 'parts changed by any amendment',
    values: [
      'consignee',
      'notify',
      'shipper',
      'goods',
      'route',
      'container',
      'freight',
      'transport',
      'other',
    ],
    get: (s) => s.d.amendments.flatMap((a) => a.parts),
  },
  'amendments.partyHoursBeforeEta': {
    type: 'number',
    fold: 'none',
    doc: 'hours before arrival of the last consignee / notify amendment (negative: after arrival)',
    get: (s) => {
      const t = lastPartyAmendment(s.d);
      return t === null ? null : (s.d.eta - t) / HOUR_MS;
    },
  },
  ...partyHistory('shipper'),
  ...partyHistory('consignee'),
  ...partyHistory('notify'),
  'history.pair.shipments': {
    type: 'number',
    fold: 'none',
    doc: 'earlier shipments from this shipper to this consignee',
    get: (s) => s.f.pairShipments,
  },
  'history.lane.shipments': {
    type: 'number',
    fold: 'none',
    doc: 'earlier shipments on the lane',
    get: (s) => s.f.laneShipments,
  },
  'history.lane.transshipmentShare': {
    type: 'number',
    fold: 'none',
    doc: "smallest share of the lane's history through one of this declaration's transshipment ports",
    get: (s) => s.f.laneTransshipmentShare,
  },
  'history.lane.headingShare': {
    type: 'number',
    fold: 'none',
    doc: "share of the lane's history with this HS heading",
    get: (s) => s.f.laneHeadingShare,
  },
  'history.seal.reused': {
    type: 'boolean',
    fold: 'none',
    doc: 'a seal number already declared on another shipment',
    get: (s) => s.f.reusedSeal !== null,
  },
  'indicators.points': {
    type: 'number',
    fold: 'none',
    doc: 'sum of the built-in indicator contributions',
    get: (s) => s.indicatorPoints,
  },
};

/** Levenshtein distance (for "did you mean" suggestions). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

export function suggest(word: string, names: Iterable<string>): string | null {
  const candidates = [...names];
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best !== null && bestD <= Math.max(2, Math.floor(word.length / 3))) return best;
  // 'equals' → 'eq': a longer spelling of a known name.
  let prefix: string | null = null;
  for (const c of candidates) {
    if (
      c.length >= 2 &&
      word.toLowerCase().startsWith(c.toLowerCase()) &&
      (prefix === null || c.length > prefix.length)
    ) {
      prefix = c;
    }
  }
  return prefix;
}
