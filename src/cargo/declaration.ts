/**
 * The canonical, compact internal form of a declaration. Identifiers are validated and
 * normalised here, once, by the identifiers module (DESIGN rule 6); scoring then works on plain
 * strings and numbers and never re-parses anything.
 */

import {
  normalizeCompanyName,
  validateContainerNumber,
  validateEori,
  validateHsCode,
  validateImo,
  validatePhone,
  validateUnLocode,
} from '../identifiers/index.ts';
import { AppError, type ErrorDetail } from '../platform/errors.ts';
import { fastPathOf } from '../platform/zod-fast-path.ts';
import {
  type AmendablePart,
  type DeclarationInput,
  DeclarationSchema,
  type PartyInput,
} from './cargo.schema.ts';
import { SHORT_SEA_COUNTRIES } from './reference.ts';

export interface Party {
  /** Matching key: normalised company name + `|` + country. */
  key: string;
  /** As filed (for display). */
  name: string;
  normName: string;
  country: string;
  address: string;
  eori: string | null;
  phone: string | null;
}

export type PayerRole = 'shipper' | 'consignee' | 'notify' | 'third-party' | 'unknown';

export interface Amendment {
  version: number;
  filedAt: number;
  parts: readonly AmendablePart[];
}

/** Normalised declaration. Times are epoch milliseconds (UTC). */
export interface Declaration {
  id: string;
  version: number;
  carrier: string;
  vesselImo: string;
  vesselName: string | null;
  voyage: string;
  loading: string;
  loadingCountry: string;
  callPorts: readonly string[];
  transshipment: readonly string[];
  discharge: string;
  dischargeCountry: string;
  firstEntryOffice: string;
  /** `loading>discharge`: the lane used by history statistics. */
  lane: string;
  /** Loaded outside Europe (filed before loading under the 24-hour rule). */
  deepSea: boolean;
  bookedAt: number;
  filedAt: number;
  etd: number | null;
  eta: number;
  container: string;
  containerOwner: string;
  sizeType: string;
  reefer: boolean;
  seals: readonly string[];
  masterBl: string;
  houseBl: string | null;
  shipper: Party;
  consignee: Party;
  notify: Party | null;
  description: string;
  hs: string;
  hsChapter: string;
  hsHeading: string;
  /** `hs@lane`: key of the HS-on-lane statistics. */
  hsLane: string;
  packages: number;
  grossKg: number;
  weightPerPackage: number;
  valueAmount: number | null;
  currency: string | null;
  valueEur: number | null;
  valuePerKg: number | null;
  freightTerms: 'prepaid' | 'collect';
  payer: Party | null;
  payerRole: PayerRole;
  amendments: readonly Amendment[];
}

/**
 * Euro value of one unit of each currency, used only to put declared values on one scale for
 * the value-per-kg statistics. Rounded ECB reference rates (2024 averages); a deployment should
 * pass its own table (`NormalizeOptions.eurRates`). Unknown currencies give `valueEur: null`.
 */
export const DEFAULT_EUR_RATES: Readonly<Record<string, number>> = {
  EUR: 1,
  USD: 0.924,
  GBP: 1.181,
  CHF: 1.05,
  CNY: 0.128,
  JPY: 0.0061,
  KRW: 0.00068,
  INR: 0.011,
  BRL: 0.171,
  COP: 0.000227,
  PEN: 0.246,
  MXN: 0.051,
  CLP: 0.00098,
  ARS: 0.001,
  CRC: 0.0018,
  TRY: 0.028,
  ZAR: 0.05,
  SGD: 0.69,
  CAD: 0.675,
  AUD: 0.61,
  MAD: 0.092,
  VND: 0.000037,
};

export interface NormalizeOptions {
  eurRates?: Readonly<Record<string, number>>;
  /**
   * Memo of already normalised names and ports (they repeat across millions of declarations).
   * Pass the same object across calls to normalise a stream quickly; see `createNormalizeCache`.
   */
  cache?: NormalizeCache;
}

export interface NormalizeCache {
  ports: Map<string, string>;
  names: Map<string, string>;
  /** IMO numbers and HS codes as filed → canonical form (vessels and commodities recur). */
  codes: Map<string, string>;
  /**
   * Whole parties by their filed name, each with the other fields it was filed with (the same
   * trading partners file again and again). Found by comparing fields, not by building a key.
   */
  parties: Map<string, MemoParty[]>;
  /**
   * Strings derived from others — a lane `A>B`, `hs@lane`, a port's country, an HS code's chapter
   * and heading — made once each, by the canonical strings they come from (which the memos above
   * hand out as the same objects, so these look-ups hash nothing new). Declarations on the same
   * lane then share one lane string: it stays in cache, and its hash is computed once for every
   * history look-up by lane.
   */
  derived: Map<string, Map<string, string>>;
  /** Entries per memo; a full memo is emptied and refilled, so it follows what is filed now. */
  limit: number;
}

/** A memoised party and the filed fields it was made from. */
interface MemoParty {
  country: string;
  address: string;
  eori: string | undefined;
  phone: string | undefined;
  party: Party;
}

/** Parties remembered under one filed name (the same company at several addresses). */
const PARTIES_PER_NAME = 8;

/** Default bound of each memo (a year at Antwerp scale has a few hundred thousand distinct parties). */
const CACHE_LIMIT = 2_000_000;

export function createNormalizeCache(limit = CACHE_LIMIT): NormalizeCache {
  return {
    ports: new Map(),
    names: new Map(),
    codes: new Map(),
    parties: new Map(),
    derived: new Map(),
    limit,
  };
}

function remember<V>(memo: Map<string, V>, limit: number, key: string, value: V): void {
  if (memo.size >= limit) memo.clear();
  memo.set(key, value);
}

const SHORT_SEA = new Set(SHORT_SEA_COUNTRIES);

const countryOf = (port: string) => port.slice(0, 2);
const laneOf = (loading: string, discharge: string) => `${loading}>${discharge}`;
const prefixOf = (hs: string, length: string) => hs.slice(0, Number(length));
const hsLaneOf = (hs: string, lane: string) => `${hs}@${lane}`;

/** Whether zod would take a declaration exactly as given (see platform/zod-fast-path.ts). */
const cleanDeclaration = fastPathOf(DeclarationSchema);

/** Validates (zod, then identifiers) and normalises a raw declaration; throws AppError VALIDATION_FAILED. */
export function normalizeDeclaration(raw: unknown, options: NormalizeOptions = {}): Declaration {
  // Clean input (nothing to trim, nothing refused: a filer's system, the usual case) is taken as
  // is; anything else goes through zod, which also words the errors.
  if (cleanDeclaration(raw)) return normalizeParsedDeclaration(raw as DeclarationInput, options);
  const parsed = DeclarationSchema.safeParse(raw);
  if (!parsed.success) {
    const details: ErrorDetail[] = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    throw new AppError('VALIDATION_FAILED', 'Invalid declaration', details);
  }
  return normalizeParsedDeclaration(parsed.data, options);
}

/**
 * Normalises an input that already passed `DeclarationSchema` (for example one built in-process
 * by the synthetic generator). Identifiers are still checked.
 */
export function normalizeParsedDeclaration(d: DeclarationInput, options: NormalizeOptions = {}): Declaration {
  const n = new Normalizer(options);
  const errors = n.errors;
  const rates = options.eurRates ?? DEFAULT_EUR_RATES;

  const imo = n.imo(d.vessel.imo);
  const container = validateContainerNumber(d.container.number);
  if (!container.ok)
    errors.push({ path: 'container.number', message: container.message, code: container.code });
  const hs6 = n.hs6(d.goods.hsCode);

  const loading = n.port(d.route.loading, 'route.loading');
  const discharge = n.port(d.route.discharge, 'route.discharge');
  const callPorts = d.route.callPorts.map((p, i) => n.port(p, `route.callPorts.${i}`));
  const transshipment = d.route.transshipment.map((p, i) => n.port(p, `route.transshipment.${i}`));
  const shipper = n.party(d.shipper, 'shipper');
  const consignee = n.party(d.consignee, 'consignee');
  const notify = d.notify === undefined ? null : n.party(d.notify, 'notify');
  const payer = d.freight.payer === undefined ? null : n.party(d.freight.payer, 'freight.payer');

  if (errors.length > 0)
    throw new AppError('VALIDATION_FAILED', 'Invalid identifiers in declaration', errors);

  const containerNo = container.ok ? container.value : '';
  const sizeType = d.container.sizeType.toUpperCase();
  const currency = d.goods.value === undefined ? null : d.goods.value.currency.toUpperCase();
  const rate = currency === null ? undefined : rates[currency];
  const valueEur = d.goods.value !== undefined && rate !== undefined ? d.goods.value.amount * rate : null;
  const loadingCountry = n.derive(loading, '', countryOf);
  const lane = n.derive(loading, discharge, laneOf);

  return {
    id: d.id,
    version: d.version,
    carrier:
      d.carrier.scac !== undefined
        ? d.carrier.scac.toUpperCase()
        : n.companyName(d.carrier.name ?? '', 'carrier.name'),
    vesselImo: imo,
    vesselName: d.vessel.name ?? null,
    voyage: d.voyage.toUpperCase(),
    loading,
    loadingCountry,
    callPorts,
    transshipment,
    discharge,
    dischargeCountry: n.derive(discharge, '', countryOf),
    firstEntryOffice: d.route.firstEntryOffice.toUpperCase(),
    lane,
    deepSea: !SHORT_SEA.has(loadingCountry),
    bookedAt: Date.parse(d.times.bookedAt),
    filedAt: Date.parse(d.times.filedAt),
    etd: d.times.etd === undefined ? null : Date.parse(d.times.etd),
    eta: Date.parse(d.times.eta),
    container: containerNo,
    containerOwner: containerNo.slice(0, 4),
    sizeType,
    // ISO 6346 size-type: the third character is the type group; R = thermal, refrigerated.
    reefer: sizeType.charAt(2) === 'R',
    seals: d.container.seals.map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0),
    masterBl: d.transportDocuments.masterBl.toUpperCase(),
    houseBl: d.transportDocuments.houseBl === undefined ? null : d.transportDocuments.houseBl.toUpperCase(),
    shipper,
    consignee,
    notify,
    description: d.goods.description,
    hs: hs6,
    hsChapter: n.derive(hs6, '2', prefixOf),
    hsHeading: n.derive(hs6, '4', prefixOf),
    hsLane: n.derive(hs6, lane, hsLaneOf),
    packages: d.goods.packages,
    grossKg: d.goods.grossKg,
    weightPerPackage: d.goods.grossKg / d.goods.packages,
    valueAmount: d.goods.value?.amount ?? null,
    currency,
    valueEur,
    valuePerKg: valueEur === null ? null : valueEur / d.goods.grossKg,
    freightTerms: d.freight.terms,
    payer,
    payerRole: payerRole(payer, shipper, consignee, notify),
    amendments:
      d.amendments === undefined || d.amendments.length === 0
        ? []
        : d.amendments
            .map((a) => ({ version: a.version, filedAt: Date.parse(a.filedAt), parts: a.parts }))
            .sort((a, b) => a.version - b.version),
  };
}

/**
 * E.164 when the number is valid; otherwise the number as filed without separators. A phone is
 * not an ENS requirement, so a number outside the numbering plan is kept (it may still match a
 * watchlist) rather than rejecting the declaration.
 */
export function normalizePhone(raw: string): string {
  const r = validatePhone(raw);
  if (r.ok) return r.value;
  const s = raw.replace(/[^\d+]/g, '');
  return s.startsWith('00') ? `+${s.slice(2)}` : s;
}

/** One normalisation: collects every identifier error, memoises through the optional cache. */
class Normalizer {
  readonly errors: ErrorDetail[] = [];
  private readonly cache: NormalizeCache | undefined;

  constructor(options: NormalizeOptions) {
    this.cache = options.cache;
  }

  port(value: string, path: string): string {
    const hit = this.cache?.ports.get(value);
    if (hit !== undefined) return hit;
    const r = validateUnLocode(value);
    if (!r.ok) {
      this.errors.push({ path, message: r.message, code: r.code });
      return value;
    }
    if (this.cache) remember(this.cache.ports, this.cache.limit, value, r.value);
    return r.value;
  }

  /**
   * `make(a, b)`, memoised by `a` then `b` (strings the memos hand out, or constants). The pairs
   * used never meet: a port with '' (its country) or with a port (a lane), an HS code (six digits)
   * with '2' or '4' (its chapter and heading) or with a lane.
   */
  derive(a: string, b: string, make: (a: string, b: string) => string): string {
    const cache = this.cache;
    if (cache === undefined) return make(a, b);
    let byB = cache.derived.get(a);
    if (byB === undefined) {
      byB = new Map();
      remember(cache.derived, cache.limit, a, byB);
    }
    let made = byB.get(b);
    if (made === undefined) {
      made = make(a, b);
      byB.set(b, made);
    }
    return made;
  }

  /** The canonical IMO number ('' when invalid, with the error recorded). */
  imo(value: string): string {
    const hit = this.cache?.codes.get(value);
    if (hit !== undefined) return hit;
    const r = validateImo(value);
    if (!r.ok) {
      this.errors.push({ path: 'vessel.imo', message: r.message, code: r.code });
      return '';
    }
    if (this.cache) remember(this.cache.codes, this.cache.limit, value, r.value);
    return r.value;
  }

  /** The 6-digit HS subheading ('' when invalid, with the error recorded). */
  hs6(value: string): string {
    // A separate key space from IMO numbers in the shared memo (no IMO number starts with '#').
    const key = `#${value}`;
    const hit = this.cache?.codes.get(key);
    if (hit !== undefined) return hit;
    const r = validateHsCode(value);
    if (!r.ok) {
      this.errors.push({ path: 'goods.hsCode', message: r.message, code: r.code });
      return '';
    }
    const hs6 = r.value.replace(/\D/g, '').slice(0, 6);
    if (hs6.length < 6) {
      this.errors.push({ path: 'goods.hsCode', message: 'an ENS needs at least the 6-digit HS subheading' });
      return hs6;
    }
    if (this.cache) remember(this.cache.codes, this.cache.limit, key, hs6);
    return hs6;
  }

  companyName(value: string, path: string): string {
    const hit = this.cache?.names.get(value);
    if (hit !== undefined) return hit;
    const r = normalizeCompanyName(value);
    if (!r.ok) {
      this.errors.push({ path, message: r.message, code: r.code });
      return value.toLowerCase();
    }
    if (this.cache) remember(this.cache.names, this.cache.limit, value, r.value);
    return r.value;
  }

  party(p: PartyInput, path: string): Party {
    const cache = this.cache;
    if (cache === undefined) return this.buildParty(p, path);
    const known = cache.parties.get(p.name);
    if (known !== undefined) {
      for (const m of known) {
        if (m.country === p.country && m.address === p.address && m.eori === p.eori && m.phone === p.phone)
          return m.party;
      }
    }
    const before = this.errors.length;
    const made = this.buildParty(p, path);
    if (this.errors.length === before) {
      const memo = { country: p.country, address: p.address, eori: p.eori, phone: p.phone, party: made };
      // A name filed with many addresses is not worth scanning: beyond a few, parties are built.
      if (known === undefined) remember(cache.parties, cache.limit, p.name, [memo]);
      else if (known.length < PARTIES_PER_NAME) known.push(memo);
    }
    return made;
  }

  private buildParty(p: PartyInput, path: string): Party {
    const normName = this.companyName(p.name, `${path}.name`);
    const country = p.country.toUpperCase();
    let eori: string | null = null;
    if (p.eori !== undefined) {
      const r = validateEori(p.eori);
      if (r.ok) eori = r.value;
      else this.errors.push({ path: `${path}.eori`, message: r.message, code: r.code });
    }
    return {
      key: `${normName}|${country}`,
      name: p.name,
      normName,
      country,
      address: p.address,
      eori,
      phone: p.phone === undefined ? null : normalizePhone(p.phone),
    };
  }
}

function payerRole(payer: Party | null, shipper: Party, consignee: Party, notify: Party | null): PayerRole {
  if (payer === null) return 'unknown';
  if (payer.key === shipper.key) return 'shipper';
  if (payer.key === consignee.key) return 'consignee';
  if (notify !== null && payer.key === notify.key) return 'notify';
  return 'third-party';
}

/**
 * The parts that changed between two versions of the same declaration, for building the
 * `amendments` trail when the source sends whole new versions without saying what changed.
 */
export function diffDeclarations(previous: Declaration, next: Declaration): AmendablePart[] {
  const parts: AmendablePart[] = [];
  if (previous.consignee.key !== next.consignee.key) parts.push('consignee');
  if ((previous.notify?.key ?? null) !== (next.notify?.key ?? null)) parts.push('notify');
  if (previous.shipper.key !== next.shipper.key) parts.push('shipper');
  if (
    previous.hs !== next.hs ||
    previous.packages !== next.packages ||
    previous.grossKg !== next.grossKg ||
    previous.description !== next.description ||
    previous.valueEur !== next.valueEur
  ) {
    parts.push('goods');
  }
  if (
    previous.loading !== next.loading ||
    previous.discharge !== next.discharge ||
    previous.transshipment.join() !== next.transshipment.join() ||
    previous.callPorts.join() !== next.callPorts.join()
  ) {
    parts.push('route');
  }
  if (previous.container !== next.container || previous.seals.join() !== next.seals.join())
    parts.push('container');
  if (
    previous.freightTerms !== next.freightTerms ||
    (previous.payer?.key ?? null) !== (next.payer?.key ?? null)
  ) {
    parts.push('freight');
  }
  if (
    previous.vesselImo !== next.vesselImo ||
    previous.voyage !== next.voyage ||
    previous.carrier !== next.carrier
  ) {
    parts.push('transport');
  }
  return parts;
}
