/**
 * One generation pass of the synthetic world (see synthetic.ts): turns trade relationships
 * ("streams") into declarations with realistic clerical noise, and plants the contaminated
 * shipments, recording their ground truth on the host world.
 */
import type { AmendablePart, DeclarationInput, PartyInput } from './cargo.schema.ts';
import { DEFAULT_EUR_RATES } from './declaration.ts';
import { DAY_MS, HOUR_MS, TRANSSHIPMENT_HUBS } from './reference.ts';
import {
  type Carrier,
  COMMODITIES,
  type Commodity,
  type Destination,
  FORWARDERS,
  type Origin,
  ROUTINGS,
} from './synthetic-data.ts';
import { containerNumber, makeParty, type NameFactory, type Rng } from './synthetic-parts.ts';

export type PlantPattern = 'front-company' | 'identity-misuse' | 'rip-on-rip-off' | 'route-masking';

export interface PlantTruth {
  declarationId: string;
  pattern: PlantPattern;
  /** The signals planted in the declaration (empty: nothing in the data gives it away). */
  signals: string[];
  /** In the measured period (not warm-up). */
  measured: boolean;
}

export interface Vessel {
  imo: string;
  name: string;
}

export interface Stream {
  origin: Origin;
  commodity: Commodity;
  dest: Destination;
  carrier: Carrier;
  shipper: PartyInput;
  consignee: PartyInput;
  notify: PartyInput | undefined;
  payer: PartyInput | undefined;
  terms: 'prepaid' | 'collect';
  hub: string | null;
  callPort: string | null;
  packages: number;
  sizeType: string;
  declaresValue: boolean;
  currency: string;
  shipperSeal: boolean;
  start: number;
  end: number;
  vessels: readonly Vessel[];
  voyageBase: number;
  lastSeal: string | null;
}

export interface ShellShipment {
  stream: Stream;
  loaded: boolean;
  /** Trading for more than six months before the loaded shipment (no longer "new"). */
  aged: boolean;
}

export type EventPattern = Exclude<PlantPattern, 'front-company'>;

const UNUSUAL_POOL = TRANSSHIPMENT_HUBS;

/** What a generation pass needs from its world. */
export interface GenerationHost {
  readonly truth: Map<string, PlantTruth>;
  readonly intel: Map<string, { observableType: string; itemCount: number }>;
  isMeasured(filedAtMs: number): boolean;
  readonly internals: { riskyCover: readonly Stream[]; riskyAny: readonly Stream[]; names: NameFactory };
}

/** One pass of generation (sequence numbers, seal counters, the random stream). */
export class Generation {
  private seq = 0;
  private sealNo: number;
  private shipperSealNo: number;

  constructor(
    private readonly world: GenerationHost,
    readonly rng: Rng,
  ) {
    this.sealNo = 1_000_000 + rng.int(8_000_000);
    this.shipperSealNo = 1_000_000 + rng.int(8_000_000);
  }

  regular(s: Stream, dayStart: number): [number, DeclarationInput] {
    const rng = this.rng;
    const made = this.build(s, dayStart, { routing: 'normal' });
    const d = made[1];
    // Clerical noise of legitimate traffic.
    const r = rng.next();
    if (r < 0.025) d.container.seals = [];
    else if (r < 0.029) d.container.seals = [rng.pick(['NA', 'SEAL', '0000000', 'N/A', '12345'])];
    else if (r < 0.0305 && s.lastSeal !== null) d.container.seals = [s.lastSeal];
    if (d.goods.value !== undefined && rng.chance(0.004)) d.goods.value.amount *= rng.chance(0.5) ? 10 : 0.1;
    if (rng.chance(0.003)) d.goods.packages = 20 + rng.int(3);
    const a = rng.next();
    if (a < 0.005) this.amend(d, made[0], rng.chance(0.5) ? 'consignee' : 'notify', true);
    else if (a < 0.017) this.amend(d, made[0], rng.chance(0.5) ? 'consignee' : 'notify', false);
    else if (a < 0.05)
      this.amend(d, made[0], rng.pick<AmendablePart>(['goods', 'container', 'transport', 'other']), false);
    if (s.origin.risky && rng.chance(0.0004)) this.flag(d);
    this.rememberSeal(s, d);
    return made;
  }

  shellShipment(sh: ShellShipment, dayStart: number): [number, DeclarationInput] {
    const rng = this.rng;
    const signals: string[] = [];
    const unusual = sh.loaded && rng.chance(0.2);
    if (unusual) signals.push('unusual-transshipment');
    const made = this.build(sh.stream, dayStart, { routing: unusual ? 'unusual' : 'normal' });
    const d = made[1];
    if (sh.stream.payer !== sh.stream.shipper && sh.stream.payer !== sh.stream.consignee)
      signals.push('third-party-payer');
    if (sh.stream.notify !== sh.stream.consignee && !FORWARDER_NAMES.has(sh.stream.notify?.name ?? '')) {
      signals.push('unknown-notify');
    }
    if (sh.loaded) {
      if (d.goods.value !== undefined && rng.chance(0.28)) {
        d.goods.value.amount *= rng.chance(0.7) ? rng.range(0.15, 0.35) : rng.range(3, 5);
        signals.push('value-anomaly');
      }
      if (rng.chance(0.12)) {
        d.goods.packages = 18 + rng.int(5);
        signals.push('weight-anomaly');
      }
      if (rng.chance(0.1)) {
        this.sealAnomaly(d);
        signals.push('seal-anomaly');
      }
      if (rng.chance(0.12)) {
        this.amend(d, made[0], rng.chance(0.5) ? 'consignee' : 'notify', true);
        signals.push('late-amendment');
      }
      if (!sh.aged) signals.unshift('new-consignee');
      if (!sh.stream.commodity.cover) signals.push('non-cover-load');
      this.record(d, 'front-company', signals, made[0]);
    }
    this.rememberSeal(sh.stream, d);
    return made;
  }

  eventShipment(pattern: EventPattern, day: number, dayStart: number): [number, DeclarationInput] | null {
    const rng = this.rng;
    const { riskyCover, riskyAny, names } = this.world.internals;
    const pool = pattern === 'rip-on-rip-off' && rng.chance(0.15) ? riskyAny : riskyCover;
    let s: Stream | undefined;
    for (let i = 0; i < 20 && s === undefined; i++) {
      const c = rng.pick(pool);
      if (c !== undefined && day < c.end) s = c;
    }
    if (s === undefined) return null;
    const signals: string[] = [];
    if (pattern === 'identity-misuse') {
      const ship = { ...s };
      if (rng.chance(0.6)) {
        ship.shipper = makeParty(names, rng, s.origin.port.slice(0, 2));
        signals.push('new-exporter');
      }
      const late = rng.chance(0.55);
      if (!late && rng.chance(0.5)) {
        ship.notify = makeParty(names, rng, s.consignee.country, { style: 'en' });
        signals.push('unknown-notify');
      }
      if (rng.chance(0.35)) {
        ship.payer = makeParty(names, rng, rng.pick(['AE', 'PA', 'HK', 'CY', 'GB']), { style: 'en' });
        ship.terms = 'collect';
        signals.push('third-party-payer');
      }
      const made = this.build(ship, dayStart, { routing: 'normal' });
      if (late) {
        const part: AmendablePart = rng.chance(0.5) ? 'consignee' : 'notify';
        const newcomer = makeParty(names, rng, s.consignee.country, { style: 'en' });
        if (part === 'consignee') made[1].consignee = newcomer;
        else made[1].notify = newcomer;
        this.amend(made[1], made[0], part, true);
        signals.push(`late-${part}-change`);
      }
      this.record(made[1], pattern, signals, made[0]);
      return made;
    }
    if (pattern === 'rip-on-rip-off') {
      const unusual = rng.chance(0.25);
      if (unusual) signals.push('unusual-transshipment');
      const made = this.build(s, dayStart, { routing: unusual ? 'unusual' : 'normal' });
      if (rng.chance(0.35)) {
        signals.push(`seal-${this.sealAnomaly(made[1])}`);
      }
      this.rememberSeal(s, made[1]);
      this.record(made[1], pattern, signals, made[0]);
      return made;
    }
    // route-masking
    const ship = { ...s };
    if (rng.chance(0.45)) {
      ship.shipper = makeParty(names, rng, s.origin.port.slice(0, 2));
      signals.push('new-exporter');
    }
    if (rng.chance(0.25)) {
      const unusualCover = ['pulp', 'juice', 'pineapples', 'shrimp', 'coffee'].filter(
        (k) => !s.origin.commodities.some(([c]) => c === k),
      );
      if (unusualCover.length > 0) {
        ship.commodity = COMMODITIES[rng.pick(unusualCover)] as Commodity;
        ship.packages = Math.round(rng.range(ship.commodity.packagesMin, ship.commodity.packagesMax));
        signals.push('unusual-commodity');
      }
    }
    const unusual = rng.chance(0.85);
    if (unusual) signals.push('unusual-transshipment');
    const made = this.build(ship, dayStart, { routing: unusual ? 'unusual' : 'normal' });
    if (made[1].goods.value !== undefined && rng.chance(0.2)) {
      made[1].goods.value.amount *= rng.range(0.15, 0.35);
      signals.push('value-anomaly');
    }
    this.record(made[1], pattern, signals, made[0]);
    return made;
  }

  private record(d: DeclarationInput, pattern: PlantPattern, signals: string[], filedAt: number): void {
    this.world.truth.set(d.id, {
      declarationId: d.id,
      pattern,
      signals,
      measured: this.world.isMeasured(filedAt),
    });
    if (this.rng.chance(0.06)) this.flag(d);
  }

  private flag(d: DeclarationInput): void {
    const prev = this.world.intel.get(d.container.number);
    this.world.intel.set(d.container.number, {
      observableType: 'container',
      itemCount: (prev?.itemCount ?? 0) + 1,
    });
  }

  private sealAnomaly(d: DeclarationInput): 'reused' | 'malformed' | 'missing' {
    const r = this.rng.next();
    if (r < 0.4) {
      const donor = this.rng.pick(this.world.internals.riskyAny);
      if (donor?.lastSeal) {
        d.container.seals = [donor.lastSeal];
        return 'reused';
      }
    }
    if (r < 0.7) {
      d.container.seals = [this.rng.pick(['SEAL', '000000', 'NA', '1111111'])];
      return 'malformed';
    }
    d.container.seals = [];
    return 'missing';
  }

  private rememberSeal(s: Stream, d: DeclarationInput): void {
    const first = d.container.seals[0];
    if (first !== undefined && /\d{5}/.test(first)) s.lastSeal = first;
  }

  private amend(d: DeclarationInput, filedAt: number, part: AmendablePart, late: boolean): void {
    const eta = Date.parse(d.times.eta);
    const rng = this.rng;
    const at = late
      ? eta - rng.range(3, 46) * HOUR_MS
      : filedAt + rng.range(2, Math.max(3, (eta - filedAt) / HOUR_MS - 60)) * HOUR_MS;
    const version = (d.amendments?.length ?? 0) + 2;
    d.amendments = [...(d.amendments ?? []), { version, filedAt: iso(at), parts: [part] }];
    d.version = version;
  }

  private build(
    s: Stream,
    dayStart: number,
    o: { routing: 'normal' | 'unusual' },
  ): [number, DeclarationInput] {
    const rng = this.rng;
    const c = s.commodity;
    const region = s.origin.region;
    let hub = s.hub;
    if (o.routing === 'unusual' || rng.chance(0.007)) {
      const usual = new Set(ROUTINGS[region].map(([h]) => h));
      const options = UNUSUAL_POOL.filter((h) => !usual.has(h) && h !== s.dest.port && h !== s.origin.port);
      hub = rng.pick(options);
    } else if (rng.chance(0.1)) hub = rng.weighted(ROUTINGS[region]);
    const transshipment = hub !== null && hub !== s.dest.port && hub !== s.origin.port ? [hub] : [];
    const callPorts = s.callPort !== null && s.callPort !== hub ? [s.callPort] : [];

    const filedAt = dayStart + Math.floor(rng.next() * DAY_MS);
    const etd = filedAt + rng.range(26, 72) * HOUR_MS;
    const transit =
      (s.origin.transitDays * rng.range(0.93, 1.08) + (transshipment.length > 0 ? rng.range(3, 8) : 0)) *
      DAY_MS;
    const eta = etd + transit;
    const booked = etd - rng.range(4, 25) * DAY_MS;
    const packages = Math.max(1, Math.round(s.packages * rng.range(0.97, 1.03)));
    const grossKg = Math.round(packages * c.kgPerPackage * (1 + c.kgSd * rng.normal()) * 10) / 10;
    this.seq++;
    const week = Math.floor((etd - Date.UTC(2020, 0, 6)) / (7 * DAY_MS));
    const vessel = s.vessels[week % Math.max(1, s.vessels.length)] ?? { imo: '9074729', name: 'UNKNOWN' };
    const seals = [`${s.carrier.sealPrefix}${++this.sealNo}`];
    if (s.shipperSeal) seals.push(`S${++this.shipperSealNo}`);
    const d: DeclarationInput = {
      id: `${s.carrier.scac}${String(this.seq).padStart(10, '0')}`,
      version: 1,
      carrier: { scac: s.carrier.scac },
      vessel: { imo: vessel.imo, name: vessel.name },
      voyage: `${(s.voyageBase + week) % 1000}${region === 'asia' ? 'W' : 'E'}`,
      route: {
        loading: s.origin.port,
        callPorts,
        transshipment,
        discharge: s.dest.port,
        firstEntryOffice: s.dest.office,
      },
      times: { bookedAt: iso(booked).slice(0, 10), filedAt: iso(filedAt), etd: iso(etd), eta: iso(eta) },
      container: {
        number: containerNumber(rng.pick(s.carrier.prefixes), rng.digits(6)),
        sizeType: s.sizeType,
        seals,
      },
      transportDocuments: {
        masterBl: `${s.carrier.scac}${rng.digits(9)}`,
        ...(rng.chance(0.5) ? { houseBl: `HB${this.seq.toString(36).toUpperCase()}` } : {}),
      },
      shipper: s.shipper,
      consignee: s.consignee,
      ...(s.notify !== undefined ? { notify: s.notify } : {}),
      goods: {
        description: rng.pick(c.descriptions),
        hsCode: c.hs,
        packages,
        grossKg,
        ...(s.declaresValue
          ? {
              value: {
                amount:
                  Math.round(
                    ((grossKg * c.eurPerKg * Math.exp(c.priceSd * rng.normal())) /
                      (DEFAULT_EUR_RATES[s.currency] ?? 1)) *
                      100,
                  ) / 100,
                currency: s.currency,
              },
            }
          : {}),
      },
      freight: { terms: s.terms, ...(s.payer !== undefined ? { payer: s.payer } : {}) },
    };
    return [filedAt, d];
  }
}

const FORWARDER_NAMES = new Set(FORWARDERS.map(([n]) => n));

function iso(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}
