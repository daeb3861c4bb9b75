/**
 * A deterministic, seeded world of sea-container declarations for the seven EU ports, with
 * planted contaminated shipments following the patterns of the public reports (see
 * indicators.ts for sources):
 *
 * - front-company: a recently created consignee importing a cover commodity from a source port,
 *   sometimes after a few clean "test" shipments; freight often paid by a third party;
 * - identity-misuse: the name of an established importer, but a new exporter, a new notify
 *   party or a late consignee / notify change, sometimes a third-party payer;
 * - rip-on-rip-off: a genuine shipment of an established importer, loaded without its knowledge;
 *   the declaration is genuine, and only sometimes shows a seal anomaly or an odd transshipment
 *   (about half of these plants carry no signal at all: they are the hard ones);
 * - route-masking: a cover load routed through a hub unusual for its lane, sometimes from a
 *   new exporter, with an odd commodity or price.
 *
 * Legitimate traffic carries the same signals at realistic low rates (new importers, late
 * amendments, forwarders paying freight, missing seals, reroutings, clerical errors), and most
 * banana, coffee and shrimp shipments from source ports are clean.
 *
 * Ground truth is kept in `world.truth`, apart from the declarations; scoring never sees it.
 * Declarations are generated lazily, day by day, in filing-time order: memory does not grow with
 * the number of declarations (only with the number of trade relationships, ~1 per 40 per year).
 */
import type { DeclarationInput, PartyInput, WatchlistEntryInput } from './cargo.schema.ts';
import { DAY_MS } from './reference.ts';
import {
  CALL_PORTS,
  CARRIERS,
  COMMODITIES,
  type Commodity,
  DESTINATIONS,
  type Destination,
  FORWARDERS,
  ORIGINS,
  type Origin,
  ROUTINGS,
  VESSEL_WORDS,
} from './synthetic-data.ts';
import type { PlantTruth } from './synthetic-generation.ts';
import {
  type EventPattern,
  Generation,
  type ShellShipment,
  type Stream,
  type Vessel,
} from './synthetic-generation.ts';
import { imoNumber, makeParty, NameFactory, Rng } from './synthetic-parts.ts';

export type { PlantPattern, PlantTruth } from './synthetic-generation.ts';

export interface WorldOptions {
  seed?: number;
  /** Declarations in the measured period. */
  declarations: number;
  /** First day of the measured period (default 2024-01-01). */
  start?: string;
  /** Length of the measured period in days (default 365). */
  days?: number;
  /** Days of history generated before the measured period, at the same rate (default 0). */
  warmupDays?: number;
  /** Share of contaminated declarations (default 0.002). */
  contaminationRate?: number;
}

export class SyntheticWorld {
  readonly seed: number;
  /** Epoch ms of the first generated day (start of warm-up). */
  readonly from: number;
  /** Epoch ms where the measured period starts. */
  readonly measureFrom: number;
  /** Epoch ms where the world ends (exclusive). */
  readonly to: number;
  readonly totalDeclarations: number;
  readonly watchlist: WatchlistEntryInput[] = [];
  /** Ground truth of the last (or current) run of `declarations()`, by declaration id. */
  readonly truth = new Map<string, PlantTruth>();
  /** Intelligence shared by partner countries about observables (filled as declarations are generated). */
  readonly intel = new Map<string, { observableType: string; itemCount: number }>();

  private readonly days: number;
  private readonly warmupDays: number;
  private readonly dailyCounts: Int32Array;
  private readonly streams: Stream[] = [];
  private readonly cumulative: Float64Array;
  private readonly riskyCover: Stream[] = [];
  private readonly riskyAny: Stream[] = [];
  private readonly shellsByDay = new Map<number, ShellShipment[]>();
  private readonly eventsByDay = new Map<number, EventPattern[]>();
  private readonly names: NameFactory;
  private readonly forwarders: PartyInput[];
  private readonly exporters = new Map<string, PartyInput[]>();
  private readonly fleets = new Map<string, Vessel[]>();
  private readonly runSeed: number;

  constructor(options: WorldOptions) {
    this.seed = options.seed ?? 1;
    this.days = options.days ?? 365;
    this.warmupDays = options.warmupDays ?? 0;
    const start = Date.parse(options.start ?? '2024-01-01T00:00:00Z');
    this.measureFrom = Math.floor(start / DAY_MS) * DAY_MS;
    this.from = this.measureFrom - this.warmupDays * DAY_MS;
    this.to = this.measureFrom + this.days * DAY_MS;
    const rng = new Rng(this.seed);
    this.runSeed = Math.floor(rng.next() * 2 ** 32);
    this.names = new NameFactory(rng.fork());
    const build = rng.fork();

    const warmupCount = Math.round((options.declarations * this.warmupDays) / this.days);
    this.dailyCounts = new Int32Array(this.warmupDays + this.days);
    this.allocate(0, this.warmupDays, warmupCount);
    this.allocate(this.warmupDays, this.warmupDays + this.days, options.declarations);
    this.totalDeclarations = warmupCount + options.declarations;

    this.forwarders = FORWARDERS.map(([name, country]) => {
      this.names.reserve(name);
      return { name, address: `Logistics Centre ${1 + build.int(90)}`, country };
    });
    for (const c of CARRIERS) {
      this.fleets.set(
        c.scac,
        Array.from({ length: 12 }, (_, i) => ({
          imo: imoNumber(build),
          name: `${c.vesselPrefix} ${VESSEL_WORDS[(i * 7 + c.scac.charCodeAt(0)) % VESSEL_WORDS.length] ?? 'Star'}`,
        })),
      );
    }

    const yearly = (options.declarations * 365) / this.days;
    const streamCount = Math.min(300_000, Math.max(150, Math.round(yearly / 40)));
    const totalDays = this.warmupDays + this.days;
    const importersByPort = new Map<string, PartyInput[]>();
    this.cumulative = new Float64Array(streamCount);
    let acc = 0;
    for (let i = 0; i < streamCount; i++) {
      const s = this.legitStream(build, importersByPort, totalDays);
      this.streams.push(s);
      acc += Math.min(40, Math.exp(1.1 * build.normal()));
      this.cumulative[i] = acc;
      if (s.origin.risky && s.start < -180) {
        if (s.commodity.cover) this.riskyCover.push(s);
        this.riskyAny.push(s);
      }
    }

    const plants = Math.round(this.totalDeclarations * (options.contaminationRate ?? 0.002));
    this.planShells(build, Math.round(plants * 0.35), totalDays);
    const events: Array<[EventPattern, number]> = [
      ['identity-misuse', 0.15],
      ['rip-on-rip-off', 0.35],
      ['route-masking', 0.15],
    ];
    for (const [pattern, share] of events) {
      const n = Math.round(plants * share);
      for (let i = 0; i < n; i++) push(this.eventsByDay, build.int(totalDays), pattern);
    }
    this.planWatchlist(build);
  }

  /** Spreads `count` declarations over days [a, b): fewer at weekends, a mild yearly wave. */
  private allocate(a: number, b: number, count: number): void {
    const w: number[] = [];
    let total = 0;
    for (let d = a; d < b; d++) {
      const t = this.from + d * DAY_MS;
      const dow = new Date(t).getUTCDay();
      const doy = dayOfYear(t);
      const x =
        (dow === 0 ? 0.55 : dow === 6 ? 0.75 : 1.1) * (1 + 0.08 * Math.sin((2 * Math.PI * (doy - 60)) / 365));
      w.push(x);
      total += x;
    }
    let cum = 0;
    let prev = 0;
    for (let d = a; d < b; d++) {
      cum += w[d - a] ?? 0;
      const upto = Math.round((cum / total) * count);
      this.dailyCounts[d] = upto - prev;
      prev = upto;
    }
  }

  private exporter(rng: Rng, origin: Origin, commodity: Commodity, reuse: number): PartyInput {
    const key = `${origin.port}|${commodity.key}`;
    const pool = this.exporters.get(key);
    if (pool !== undefined && pool.length > 0 && rng.chance(reuse)) return rng.pick(pool);
    const p = makeParty(this.names, rng, origin.port.slice(0, 2), { phone: 0.5 });
    push(this.exporters, key, p);
    return p;
  }

  /**
   * A legitimate trade relationship. Most exist before the world starts; some start inside it
   * (a new supplier for an existing importer, or a new importer), more often in fresh produce
   * from the source countries, where small importers come and go.
   */
  private legitStream(rng: Rng, importersByPort: Map<string, PartyInput[]>, totalDays: number): Stream {
    const origin = rng.weighted(ORIGINS.map((o) => [o, o.weight] as const));
    const commodity = COMMODITIES[rng.weighted(origin.commodities)] as Commodity;
    const dest = rng.weighted(DESTINATIONS.map((d) => [d, d.weight] as const));
    const isNew = rng.chance(origin.risky && commodity.cover ? 0.3 : 0.16);
    const start = isNew ? rng.int(totalDays) : Number.NEGATIVE_INFINITY;
    const end = rng.chance(0.06) ? Math.max(start + 30, rng.int(totalDays)) : Number.POSITIVE_INFINITY;
    // Established importers are shared between relationships; a new importer is new everywhere.
    const pool = importersByPort.get(dest.port) ?? [];
    let consignee: PartyInput;
    if (pool.length > 0 && rng.chance(isNew ? 0.4 : 0.45)) consignee = rng.pick(pool);
    else {
      consignee = makeParty(this.names, rng, rng.weighted(dest.importerCountries));
      if (!isNew) push(importersByPort, dest.port, consignee);
    }
    const shipper = this.exporter(rng, origin, commodity, 0.5);
    const notifyKind = rng.next();
    const notify = notifyKind < 0.55 ? rng.pick(this.forwarders) : notifyKind < 0.85 ? consignee : undefined;
    const terms: 'prepaid' | 'collect' = rng.chance(0.6) ? 'prepaid' : 'collect';
    const payerKind = rng.next();
    const payer =
      payerKind < 0.04
        ? rng.pick(this.forwarders)
        : payerKind < 0.05
          ? undefined
          : terms === 'prepaid'
            ? shipper
            : consignee;
    return this.stream(rng, origin, commodity, dest, shipper, consignee, notify, payer, terms, start, end);
  }

  private stream(
    rng: Rng,
    origin: Origin,
    commodity: Commodity,
    dest: Destination,
    shipper: PartyInput,
    consignee: PartyInput,
    notify: PartyInput | undefined,
    payer: PartyInput | undefined,
    terms: 'prepaid' | 'collect',
    start: number,
    end: number,
  ): Stream {
    const carrier = rng.weighted(CARRIERS.map((c) => [c, c.weight] as const));
    const fleet = this.fleets.get(carrier.scac) ?? [];
    const first = rng.int(Math.max(1, fleet.length - 4));
    const callCandidates = CALL_PORTS[origin.region].filter((p) => p !== origin.port);
    return {
      origin,
      commodity,
      dest,
      carrier,
      shipper,
      consignee,
      notify,
      payer,
      terms,
      hub: rng.weighted(ROUTINGS[origin.region]),
      callPort: rng.chance(0.3) && callCandidates.length > 0 ? rng.pick(callCandidates) : null,
      packages: Math.round(rng.range(commodity.packagesMin, commodity.packagesMax)),
      sizeType: commodity.reefer
        ? rng.chance(0.85)
          ? '45R1'
          : '22R1'
        : commodity.kgPerPackage >= 60 && commodity.kgPerPackage < 300
          ? '22G1'
          : rng.pick(['45G1', '45G1', '42G1', '22G1']),
      declaresValue: rng.chance(0.7),
      currency: rng.chance(0.8) ? origin.currency : 'EUR',
      shipperSeal: rng.chance(0.3),
      start,
      end,
      vessels: fleet.slice(first, first + 4),
      voyageBase: 100 + rng.int(800),
      lastSeal: null,
    };
  }

  private planShells(rng: Rng, loadedTarget: number, totalDays: number): void {
    const riskyOrigins = ORIGINS.filter((o) => o.risky);
    const destWeights = DESTINATIONS.map(
      (d) => [d, d.port === 'BEANR' ? 35 : d.port === 'NLRTM' ? 30 : d.weight * 0.7] as const,
    );
    let loaded = 0;
    let shellNo = 0;
    while (loaded < loadedTarget) {
      const origin = rng.weighted(riskyOrigins.map((o) => [o, o.weight] as const));
      // Most fronts import a cover load; some hide the drugs in whatever the origin exports.
      const nonCover = rng.chance(0.2);
      const choices = origin.commodities.filter(([k]) => COMMODITIES[k]?.cover === !nonCover);
      const fallback = nonCover ? 'plastics' : 'bananas';
      const commodity = COMMODITIES[
        rng.weighted(choices.length > 0 ? choices : [[fallback, 1] as const])
      ] as Commodity;
      const dest = rng.weighted(destWeights);
      const country = rng.weighted(dest.importerCountries);
      const consignee = makeParty(this.names, rng, country, {
        style: rng.chance(0.5) ? 'en' : undefined,
        phone: 0.6,
      });
      const shipper = rng.chance(0.55)
        ? this.exporter(rng, origin, commodity, 1)
        : makeParty(this.names, rng, origin.port.slice(0, 2));
      const nk = rng.next();
      const notify =
        nk < 0.4
          ? consignee
          : nk < 0.75
            ? makeParty(this.names, rng, rng.pick(['NL', 'BE', 'DE', 'ES', 'FR']), { style: 'en' })
            : rng.pick(this.forwarders);
      const thirdParty = rng.chance(0.4);
      const payer = thirdParty
        ? makeParty(
            this.names,
            rng,
            rng.pick(['AE', 'PA', 'HK', 'ES', 'NL', 'BE', 'CY', 'GB', 'DO', 'EC', 'CO']),
            {
              style: 'en',
            },
          )
        : shipper;
      const terms = thirdParty && rng.chance(0.7) ? 'collect' : 'prepaid';
      // Clean "test" shipments come first. An aged front (bought off the shelf, or patient) has
      // traded for more than six months before the first loaded shipment.
      const aged = rng.chance(0.25);
      const tests = aged
        ? 2 + rng.int(3)
        : rng.weighted([
            [0, 30],
            [1, 30],
            [2, 25],
            [3, 15],
          ] as const);
      const firstLoad = rng.int(totalDays);
      const days: number[] = [];
      if (aged) {
        const span = 200 + rng.int(120);
        for (let k = 0; k < tests; k++) days.push(firstLoad - span + Math.floor((k * span) / tests));
      } else {
        let back = firstLoad;
        for (let k = 0; k < tests; k++) {
          back -= 6 + rng.int(20);
          days.unshift(back);
        }
      }
      const loads = rng.chance(0.75) ? 1 : 2;
      for (let k = 0, day = firstLoad; k < loads; k++, day += 6 + rng.int(20)) days.push(day);
      const stream = this.stream(
        rng,
        origin,
        commodity,
        dest,
        shipper,
        consignee,
        notify,
        payer,
        terms,
        days[0] ?? 0,
        totalDays,
      );
      days.forEach((day, k) => {
        if (day < 0 || day >= totalDays) return;
        const isLoaded = k >= tests;
        push(this.shellsByDay, day, { stream, loaded: isLoaded, aged });
        if (isLoaded) loaded++;
      });
      if (rng.chance(0.1)) {
        this.watchlist.push({
          id: `wl-front-${++shellNo}`,
          kind: 'party',
          source: 'partner-intel',
          reason: 'suspected front company (partner-country report)',
          names: [variantOf(consignee.name, rng)],
          countries: [consignee.country],
        });
      }
    }
  }

  private planWatchlist(rng: Rng): void {
    const fleets = [...this.fleets.values()];
    for (let i = 0; i < 3; i++) {
      const v = rng.pick(rng.pick(fleets));
      this.watchlist.push({
        id: `wl-vessel-${i + 1}`,
        kind: 'vessel',
        source: 'maoc-n',
        reason: 'vessel involved in earlier seizures',
        value: v.imo,
        weight: 0.25,
      });
    }
    for (let i = 0; i < 40; i++) {
      const country = rng.pick(['NL', 'BE', 'DE', 'ES', 'EC', 'CO', 'PA']);
      const p = makeParty(this.names, rng, country, { eori: false });
      this.watchlist.push({
        id: `wl-party-${i + 1}`,
        kind: 'party',
        source: rng.pick(['nl-fiod', 'be-customs', 'europol-eu-most-wanted', 'opensanctions']),
        names: [p.name],
        countries: [country],
      });
    }
  }

  /** True when the declaration's filing time is in the measured period. */
  isMeasured(filedAtMs: number): boolean {
    return filedAtMs >= this.measureFrom;
  }

  /**
   * Generates all declarations in filing-time order. Each call restarts from the seed (and
   * resets `truth` and `intel`), so two runs yield identical declarations.
   */
  *declarations(): Generator<DeclarationInput> {
    this.truth.clear();
    this.intel.clear();
    for (const s of this.streams) s.lastSeal = null;
    const gen = new Generation(this, new Rng(this.runSeed));
    const totalDays = this.warmupDays + this.days;
    for (let day = 0; day < totalDays; day++) {
      const dayStart = this.from + day * DAY_MS;
      const batch: Array<[number, DeclarationInput]> = [];
      const shells = this.shellsByDay.get(day) ?? [];
      const events = this.eventsByDay.get(day) ?? [];
      for (const sh of shells) batch.push(gen.shellShipment(sh, dayStart));
      for (const e of events) {
        const made = gen.eventShipment(e, day, dayStart);
        if (made !== null) batch.push(made);
      }
      const regular = Math.max(0, (this.dailyCounts[day] ?? 0) - batch.length);
      for (let i = 0; i < regular; i++)
        batch.push(gen.regular(this.pickStream(gen.rng, day, dayStart), dayStart));
      batch.sort((a, b) => a[0] - b[0]);
      for (const [, d] of batch) yield d;
    }
  }

  private pickStream(rng: Rng, day: number, dayStart: number): Stream {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    const doy = dayOfYear(dayStart);
    let s = this.streams[0] as Stream;
    for (let attempt = 0; attempt < 30; attempt++) {
      const x = rng.next() * total;
      let lo = 0;
      let hi = this.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((this.cumulative[mid] ?? 0) > x) hi = mid;
        else lo = mid + 1;
      }
      s = this.streams[lo] as Stream;
      if (day < s.start || day >= s.end) continue;
      const c = s.commodity;
      if (c.peakMonth !== null) {
        const season =
          1 + c.seasonAmplitude * Math.cos((2 * Math.PI * (doy - (c.peakMonth * 30.4 + 15))) / 365);
        if (rng.next() * (1 + c.seasonAmplitude) > season) continue;
      }
      return s;
    }
    return s;
  }

  /** Internal access for the generation pass. */
  get internals() {
    return {
      riskyCover: this.riskyCover,
      riskyAny: this.riskyAny,
      names: this.names,
    };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function dayOfYear(ms: number): number {
  const d = new Date(ms);
  return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
}

/** The way an intelligence report spells a company: upper case, no legal form, sometimes a letter off. */
function variantOf(name: string, rng: Rng): string {
  const words = name.split(' ');
  const base = words.length > 2 ? words.slice(0, -1) : words;
  let s = base.join(' ').toUpperCase();
  if (rng.chance(0.5)) {
    const swaps: Array<[RegExp, string]> = [
      [/I/, 'Y'],
      [/C/, 'K'],
      [/V/, 'W'],
      [/S/, 'Z'],
    ];
    for (const [re, to] of swaps) {
      if (re.test(s)) {
        s = s.replace(re, to);
        break;
      }
    }
  }
  return s;
}

/** A world of `declarations` declarations (see WorldOptions). */
export function createWorld(options: WorldOptions): SyntheticWorld {
  return new SyntheticWorld(options);
}
