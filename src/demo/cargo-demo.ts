/**
 * The demo world's cargo traffic: ninety days of sea-container declarations for the seven EU
 * ports up to the demo's "today" (and a month of arrivals still at sea), drawn from the synthetic
 * world generator (src/cargo/synthetic.ts: realistic lanes, seasonality, planted contaminated
 * shipments following the published patterns), scaled down to a few thousand declarations.
 *
 * Each port's declarations are ingested through CargoService as the customs analyst of the port's
 * country (Spain's customs files for both Algeciras and Valencia), so scores come from the real
 * engine with each organisation's own history, rules and visible shared intelligence.
 *
 * The planted network of seed.ts appears here as declarations: its shell consignee first imports
 * two clean "test" loads of bananas, then the two containers of the intelligence reports arrive at
 * Antwerp today from Guayaquil through the Panama transshipment port and Rotterdam.
 *
 * Inspection outcomes are recorded for a sample of past arrivals (most of each day's selections
 * within the port's capacity, some amber and a small random control sample of the rest): seizures
 * where the generator planted drugs, "nothing found" elsewhere. Only this seeding code reads the
 * generator's ground truth (`world.truth`); scoring never sees it.
 */
import type { Actor } from '../access/index.ts';
import { type CargoService, createWorld, type DeclarationInput, type PlantPattern } from '../cargo/index.ts';
import type { NodeContext } from '../server/context.ts';
import { containerNumber, PORTS, rng } from './world.ts';

type InspectionInput = Parameters<CargoService['inspect']>[2];

/** What the cargo demo needs of the planted network of seed.ts (passed in: seed.ts calls this file). */
export interface PlantedNetwork {
  container: string;
  secondContainer: string;
  vessel: string;
  shellConsignee: string;
  transshipmentPort: string;
  brokerPhone: string;
}

const DAY_MS = 86_400_000;
/** Days of declarations filed up to the demo's today. */
export const DEMO_CARGO_DAYS = 90;
/** Declarations filed in those days (all seven ports). */
export const DEMO_CARGO_DECLARATIONS = 3_600;
/**
 * Days of trade before the window, ingested first (one declaration in WARMUP_SAMPLE) so that the
 * established importers are known and "new consignee" means new, not "new to the demo".
 */
const WARMUP_DAYS = 180;
const WARMUP_SAMPLE = 4;
/** Share of planted contaminated shipments: far above real life, so a small demo still shows some. */
const CONTAMINATION = 0.015;
const WORLD_SEED = 20261122;
const BATCH = 1_000;

/** The Antwerp customs analyst who finds the planted containers in today's queue. */
export const DEMO_CARGO_ANALYST = 'be.customs.analyst';

/** Customs office of first entry per port (as in the synthetic world). */
const OFFICES: Record<string, string> = {
  NLRTM: 'NL000396',
  BEANR: 'BE101000',
  DEHAM: 'DE004852',
  FRLEH: 'FR002300',
  ESALG: 'ES001101',
  ESVLC: 'ES004601',
  ITGIT: 'IT083100',
};

export interface CargoDemoReport {
  declarations: number;
  planted: number;
  inspections: number;
  seizures: number;
}

/** The customs analyst who files a port's declarations: the customs organisation of its country. */
export function customsUserOfPort(port: string): string {
  return `${port.slice(0, 2).toLowerCase()}.customs.analyst`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The planted network's shipments (seed.ts plantedNetwork), in the generator's format. */
function networkDeclarations(
  p: PlantedNetwork,
  todayStart: number,
): { d: DeclarationInput; seizure: boolean }[] {
  const r = rng(20261123);
  const consignee = {
    name: p.shellConsignee,
    address: 'Kempisch Dok Westkaai 41, 2000 Antwerpen',
    country: 'BE',
    phone: p.brokerPhone,
  };
  const shipper = {
    name: 'Exportadora Bananera Río Guayas S.A.',
    address: 'Av. 25 de Julio km 2.5, Guayaquil',
    country: 'EC',
  };
  const payer = { name: 'Pacific Rim Logistics FZE', address: 'Jebel Ali Free Zone, Dubai', country: 'AE' };
  const forwarder = {
    name: 'Scheldt Forwarding BVBA',
    address: 'Noorderlaan 99, 2030 Antwerpen',
    country: 'BE',
  };
  const shipment = (
    n: number,
    container: string,
    etaMs: number,
    opts: { loaded: boolean },
  ): DeclarationInput => {
    const filedAt = etaMs - (19 + r() * 3) * DAY_MS;
    const packages = 1_080 + Math.floor(r() * 40);
    const grossKg = Math.round(packages * 19.6);
    return {
      id: `PSDEMO${String(n).padStart(8, '0')}`,
      version: 1,
      carrier: { scac: 'MSCU' },
      vessel: { imo: p.vessel, name: 'MSC Demo Pacifico' },
      voyage: `${410 + n}E`,
      route: {
        loading: 'ECGYE',
        callPorts: [],
        // Transshipped in Panama, then fed to Antwerp through Rotterdam.
        transshipment: opts.loaded ? [p.transshipmentPort, 'NLRTM'] : [p.transshipmentPort],
        discharge: 'BEANR',
        firstEntryOffice: OFFICES.BEANR ?? 'BE101000',
      },
      times: {
        bookedAt: iso(filedAt - 9 * DAY_MS).slice(0, 10),
        filedAt: iso(filedAt),
        etd: iso(filedAt + 2 * DAY_MS),
        eta: iso(etaMs),
      },
      container: { number: container, sizeType: '45R1', seals: [`ML-EC${4_410_000 + n * 7}`] },
      transportDocuments: { masterBl: `MEDUGY${String(700_000 + n * 13)}` },
      shipper,
      consignee,
      notify: opts.loaded ? forwarder : consignee,
      goods: {
        description: 'Fresh bananas, Cavendish, in cartons',
        hsCode: '080390',
        packages,
        grossKg,
        value: { amount: Math.round(grossKg * (opts.loaded ? 0.21 : 0.62) * 100) / 100, currency: 'USD' },
      },
      freight: opts.loaded ? { terms: 'collect', payer } : { terms: 'prepaid', payer: shipper },
    };
  };
  const arrival = (daysAgo: number, hour: number) => todayStart - daysAgo * DAY_MS + hour * 3_600_000;
  return [
    // Two clean test loads first, as front companies do.
    { d: shipment(1, containerNumber(r), arrival(58, 7), { loaded: false }), seizure: false },
    { d: shipment(2, containerNumber(r), arrival(31, 15), { loaded: false }), seizure: false },
    { d: shipment(3, p.secondContainer, arrival(0, 6), { loaded: true }), seizure: true },
    { d: shipment(4, p.container, arrival(0, 9), { loaded: true }), seizure: true },
  ];
}

/** Declarations filed before `now`: amendments the generator dated later are left out. */
function asOf(d: DeclarationInput, now: number): DeclarationInput {
  const amendments = (d.amendments ?? []).filter((a) => Date.parse(a.filedAt) <= now);
  if (amendments.length === (d.amendments ?? []).length) return d;
  const { amendments: _, ...rest } = d;
  return {
    ...rest,
    version: amendments.at(-1)?.version ?? 1,
    ...(amendments.length > 0 ? { amendments } : {}),
  };
}

const CONCEALMENT: Record<PlantPattern, NonNullable<InspectionInput['concealment']>[]> = {
  'front-company': ['cover-load', 'cover-load', 'container-structure'],
  'identity-misuse': ['cover-load', 'reefer-unit'],
  'rip-on-rip-off': ['rip-on-rip-off'],
  'route-masking': ['cover-load', 'container-structure', 'reefer-unit'],
};

/** Seeds the cargo demo (see the file comment). Deterministic for a given "today". */
export async function seedCargoDemo(ctx: NodeContext, network: PlantedNetwork): Promise<CargoDemoReport> {
  const now = ctx.clock.now().getTime();
  const todayStart = Math.floor(now / DAY_MS) * DAY_MS;
  const world = createWorld({
    seed: WORLD_SEED,
    declarations: DEMO_CARGO_DECLARATIONS,
    start: iso(todayStart - DEMO_CARGO_DAYS * DAY_MS),
    days: DEMO_CARGO_DAYS,
    warmupDays: WARMUP_DAYS,
    contaminationRate: CONTAMINATION,
  });
  const byUser = new Map<string, DeclarationInput[]>();
  const add = (d: DeclarationInput) => {
    const user = customsUserOfPort(d.route.discharge);
    const list = byUser.get(user);
    if (list === undefined) byUser.set(user, [d]);
    else list.push(d);
  };
  let n = 0;
  for (const d of world.declarations()) {
    const filed = Date.parse(d.times.filedAt);
    if (filed > now) continue;
    // Warm-up traffic is thinned, except the planted shipments (a front's earlier loads).
    if (!world.isMeasured(filed) && n++ % WARMUP_SAMPLE !== 0 && !world.truth.has(d.id)) continue;
    add(asOf(d, now));
  }
  const shipments = networkDeclarations(network, todayStart);
  for (const n of shipments) add(n.d);
  const networkSeizure = new Set(shipments.filter((n) => n.seizure).map((n) => n.d.id));
  const planted = (reference: string) => world.truth.get(reference)?.pattern ?? null;

  const cargo: CargoService = ctx.cargo;
  const r = rng(WORLD_SEED);
  const report: CargoDemoReport = {
    declarations: 0,
    planted: world.truth.size + networkSeizure.size,
    inspections: 0,
    seizures: 0,
  };
  for (const [username, list] of byUser) {
    const actor = await ctx.identity.actorForUsername(username);
    const ports = [...new Set(list.map((d) => d.route.discharge))].sort();
    const capacity = new Map<string, number>();
    for (const port of ports) {
      // A few inspections a day per port: about 8% of the scaled-down arrivals.
      const perDay = list.filter((d) => d.route.discharge === port).length / (DEMO_CARGO_DAYS + 30);
      const cap = Math.max(3, Math.round(perDay * 0.08));
      capacity.set(port, cap);
      await cargo.putPortSettings(actor, port, { capacity: cap, thresholds: { red: 70, amber: 45 } });
    }
    // Filing order, as the live stream would have brought them.
    list.sort((a, b) => Date.parse(a.times.filedAt) - Date.parse(b.times.filedAt) || (a.id < b.id ? -1 : 1));
    const scored: {
      reference: string;
      id: string;
      port: string;
      eta: number;
      score: number;
      channel: string;
    }[] = [];
    for (let i = 0; i < list.length; i += BATCH) {
      const batch = list.slice(i, i + BATCH);
      const { report: br, results } = await cargo.ingestRows(
        actor,
        'json',
        batch.map((value, k) => ({ row: i + k + 1, raw: '', value, errors: [] })),
      );
      if (br.quarantined > 0 || results.length !== batch.length) {
        throw new Error(
          `demo cargo: ${br.quarantined} declarations refused (${br.errors
            .slice(0, 3)
            .map((e) => `${e.field}: ${e.reason}`)
            .join('; ')})`,
        );
      }
      results.forEach((res, k) => {
        const d = batch[k] as DeclarationInput;
        scored.push({
          reference: d.id,
          id: res.id,
          port: d.route.discharge,
          eta: Date.parse(d.times.eta),
          score: res.score,
          channel: res.channel,
        });
      });
      report.declarations += batch.length;
    }
    report.inspections += await inspectSample(cargo, actor, scored, capacity, todayStart, r, (ref) => {
      if (networkSeizure.has(ref)) return 'front-company';
      return planted(ref);
    }).then((n) => {
      report.seizures += n.seizures;
      return n.inspections;
    });
  }
  return report;
}

/**
 * Past arrivals (before today) in the demo window: per port and day, the queue's selections
 * within capacity are mostly inspected, the rest of the red and amber sometimes, and a small
 * random sample of the others (the control group that rule performance compares against).
 */
async function inspectSample(
  cargo: CargoService,
  actor: Actor,
  scored: { reference: string; id: string; port: string; eta: number; score: number; channel: string }[],
  capacity: Map<string, number>,
  todayStart: number,
  r: () => number,
  truth: (reference: string) => PlantPattern | null,
): Promise<{ inspections: number; seizures: number }> {
  const from = todayStart - DEMO_CARGO_DAYS * DAY_MS;
  const days = new Map<string, typeof scored>();
  for (const s of scored) {
    if (s.eta >= todayStart || s.eta < from) continue;
    const key = `${s.port}|${Math.floor(s.eta / DAY_MS)}`;
    const g = days.get(key);
    if (g === undefined) days.set(key, [s]);
    else g.push(s);
  }
  let inspections = 0;
  let seizures = 0;
  for (const key of [...days.keys()].sort()) {
    const g = days.get(key) ?? [];
    g.sort((a, b) => b.score - a.score || (a.reference < b.reference ? -1 : 1));
    let reds = 0;
    for (const s of g) {
      let p = 0.05;
      if (s.channel === 'red' && reds < (capacity.get(s.port) ?? 3)) {
        reds++;
        p = 0.9;
      } else if (s.channel !== 'green') p = 0.3;
      if (r() >= p) continue;
      const pattern = truth(s.reference);
      const at = new Date(s.eta + (4 + Math.floor(r() * 20)) * 3_600_000);
      const input: InspectionInput =
        pattern === null
          ? { outcome: 'nothing' }
          : {
              outcome: 'seizure',
              drug: r() < 0.92 ? 'cocaine' : 'cannabis',
              kilograms: 40 + Math.round(r() * 30) * 20,
              concealment: pick(CONCEALMENT[pattern], r),
            };
      await cargo.inspect(actor, s.id, input, { at });
      inspections++;
      if (pattern !== null) seizures++;
    }
  }
  return { inspections, seizures };
}

function pick<T>(xs: readonly T[], r: () => number): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

/** The seven EU ports and the customs user who files for each (every port's country has one). */
export function demoCargoPorts(): { port: string; username: string }[] {
  return PORTS.map((p) => ({ port: p.locode, username: customsUserOfPort(p.locode) }));
}
