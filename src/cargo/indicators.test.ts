import { describe, expect, it } from 'vitest';
import { bananaInput, buildDeclaration, establishedHistory } from './cargo.fixtures.ts';
import type { DeclarationInput } from './cargo.schema.ts';
import { type Declaration, normalizeDeclaration } from './declaration.ts';
import { History } from './history.ts';
import {
  BUILTIN_INDICATORS,
  DEFAULT_INDICATOR_CONFIG,
  type Fired,
  type IntelHit,
  observablesOf,
  withWeights,
} from './indicators.ts';
import type { WatchlistHit } from './watchlist.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

function run(
  id: string,
  d: Declaration,
  o: { history?: History; now?: number; watch?: WatchlistHit[]; intel?: IntelHit[] } = {},
): Fired | null {
  const ind = BUILTIN_INDICATORS.find((i) => i.id === id);
  if (ind === undefined) throw new Error(`no indicator ${id}`);
  const history = o.history ?? new History();
  return ind.evaluate(d, {
    now: o.now ?? d.filedAt,
    features: history.features(d),
    config: DEFAULT_INDICATOR_CONFIG,
    watchlistHits: o.watch ?? [],
    intelHits: o.intel ?? [],
  });
}

const banana = (patch?: (d: DeclarationInput) => void) => normalizeDeclaration(bananaInput(patch));
const valves = buildDeclaration;

/** A history of n declarations like `d` (other ids and seals), a week apart, with a small spread. */
function laneHistory(
  d: Declaration,
  n: number,
  patch: (i: number) => Partial<Declaration> = () => ({}),
): History {
  const h = new History();
  for (let i = 0; i < n; i++) {
    h.observe({
      ...d,
      id: `past-${i}`,
      seals: [`PAST${1_000_000 + i}`],
      filedAt: d.filedAt - (n - i) * 7 * DAY,
      weightPerPackage: d.weightPerPackage * (0.97 + (i % 7) * 0.01),
      valuePerKg: d.valuePerKg === null ? null : d.valuePerKg * (0.9 + (i % 5) * 0.05),
      ...patch(i),
    });
  }
  return h;
}

describe('built-in indicators', () => {
  it('have unique ids, weights and titles', () => {
    const ids = BUILTIN_INDICATORS.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const i of BUILTIN_INDICATORS) {
      expect(i.weight).toBeGreaterThan(0);
      expect(i.title.length).toBeGreaterThan(3);
    }
    expect(withWeights({ reefer: 1 }).find((i) => i.id === 'reefer')?.weight).toBe(1);
    expect(() => withWeights({ nope: 1 })).toThrow(RangeError);
  });

  it('high-risk-port: loading, transshipment, call — not Shanghai', () => {
    expect(run('high-risk-port', banana())?.strength).toBe(1);
    expect(run('high-risk-port', banana())?.explanation).toContain('ECGYE (Guayaquil)');
    expect(
      run(
        'high-risk-port',
        valves((d) => (d.route.transshipment = ['PAONX'])),
      )?.strength,
    ).toBe(0.7);
    expect(
      run(
        'high-risk-port',
        valves((d) => (d.route.callPorts = ['COCTG'])),
      )?.strength,
    ).toBe(0.4);
    expect(run('high-risk-port', valves())).toBeNull();
  });

  it('cover-commodity: bananas and coffee, not valves', () => {
    expect(run('cover-commodity', banana())?.strength).toBe(1);
    expect(
      run(
        'cover-commodity',
        valves((d) => (d.goods.hsCode = '090111')),
      )?.strength,
    ).toBe(0.8);
    expect(run('cover-commodity', valves())).toBeNull();
  });

  it('reefer: 45R1 yes, 45G1 no', () => {
    expect(run('reefer', banana())?.strength).toBe(1);
    expect(run('reefer', valves())).toBeNull();
  });

  it('new-consignee: never seen, or first seen less than six months ago — not an established importer', () => {
    const d = banana();
    expect(run('new-consignee', d)?.strength).toBe(1);
    const young = laneHistory(d, 4); // first seen 4 weeks ago
    const fired = run('new-consignee', d, { history: young });
    expect(fired?.strength).toBeGreaterThan(0.6);
    expect(fired?.strength).toBeLessThan(1);
    expect(fired?.explanation).toMatch(/first seen 28 days ago \(4 earlier shipments\)/);
    expect(run('new-consignee', d, { history: establishedHistory(d, 60) })).toBeNull();
  });

  it('new-pair: a shipper the established consignee never used — not a regular pair', () => {
    const d = banana();
    expect(run('new-pair', d)?.strength).toBe(0.5);
    const h = establishedHistory(d, 60);
    const otherShipper = banana((x) => {
      x.shipper = { name: 'Agrícola Nueva S.A.', address: 'Km 3, Machala', country: 'EC' };
    });
    h.observe({
      ...otherShipper,
      id: 'seen-elsewhere',
      consignee: { ...otherShipper.consignee, key: 'x|BE' },
    });
    expect(run('new-pair', otherShipper, { history: h })?.strength).toBe(1);
    expect(run('new-pair', d, { history: h })).toBeNull();
  });

  it('late-party-amendment: consignee changed close to arrival — not a goods correction', () => {
    const late = banana((d) => {
      d.version = 2;
      d.amendments = [{ version: 2, filedAt: '2024-04-11T10:00:00Z', parts: ['consignee'] }];
    });
    expect(run('late-party-amendment', late)?.strength).toBe(1);
    expect(run('late-party-amendment', late)?.explanation).toBe(
      'Consignee amended 20 h before arrival (version 2).',
    );
    const afterLoading = banana((d) => {
      d.version = 2;
      d.amendments = [{ version: 2, filedAt: '2024-03-20T00:00:00Z', parts: ['notify'] }];
    });
    expect(run('late-party-amendment', afterLoading)?.strength).toBe(0.7);
    const early = banana((d) => {
      d.version = 2;
      d.amendments = [{ version: 2, filedAt: '2024-03-11T00:00:00Z', parts: ['notify'] }];
    });
    expect(run('late-party-amendment', early)?.strength).toBe(0.4);
    const goods = banana((d) => {
      d.version = 2;
      d.amendments = [{ version: 2, filedAt: '2024-04-11T10:00:00Z', parts: ['goods'] }];
    });
    expect(run('late-party-amendment', goods)).toBeNull();
    expect(run('late-party-amendment', banana())).toBeNull();
  });

  it('unusual-freight-payer: collect paid by a third party — not the shipper paying prepaid', () => {
    const third = banana((d) => {
      d.freight = {
        terms: 'collect',
        payer: { name: 'Oasis General Trading LLC', address: 'Deira, Dubai', country: 'AE' },
      };
    });
    expect(run('unusual-freight-payer', third)?.strength).toBe(1);
    expect(run('unusual-freight-payer', third)?.explanation).toContain('neither shipper nor consignee');
    const inconsistent = banana((d) => (d.freight = { terms: 'collect', payer: { ...d.shipper } }));
    expect(run('unusual-freight-payer', inconsistent)?.strength).toBe(0.4);
    expect(run('unusual-freight-payer', banana())).toBeNull();
  });

  it('unusual-transshipment: a port the lane never used — not a usual hub, not a thin lane', () => {
    const direct = banana();
    const h = laneHistory(direct, 100, (i) => ({ transshipment: i % 3 === 0 ? ['PAONX'] : [] }));
    const viaTanger = banana((d) => (d.route.transshipment = ['MAPTM']));
    const fired = run('unusual-transshipment', viaTanger, { history: h });
    expect(fired?.strength).toBe(1);
    expect(fired?.explanation).toContain('MAPTM (Tanger Med) seen in 0.00 % of 100 shipments on ECGYE>BEANR');
    expect(
      run(
        'unusual-transshipment',
        banana((d) => (d.route.transshipment = ['PAONX'])),
        { history: h },
      ),
    ).toBeNull();
    expect(run('unusual-transshipment', viaTanger, { history: laneHistory(direct, 20) })).toBeNull();
  });

  it('unusual-commodity-for-lane: shrimp on a banana lane — not bananas', () => {
    const h = laneHistory(banana(), 120);
    const shrimp = banana((d) => (d.goods.hsCode = '030617'));
    expect(run('unusual-commodity-for-lane', shrimp, { history: h })?.explanation).toContain(
      'HS heading 0306',
    );
    expect(run('unusual-commodity-for-lane', banana(), { history: h })).toBeNull();
  });

  it('weight-per-package-outlier: 20 "packages" of a full banana load — not 1,080 boxes', () => {
    const h = laneHistory(banana(), 60);
    const pallets = banana((d) => (d.goods.packages = 20));
    const fired = run('weight-per-package-outlier', pallets, { history: h });
    expect(fired?.strength).toBe(1);
    expect(fired?.explanation).toMatch(
      /^1053 kg per package; usual for HS 080390 on ECGYE>BEANR: 1\d\.\d–\d\d\.\d kg \(quartiles of 60\)\.$/,
    );
    expect(run('weight-per-package-outlier', banana(), { history: h })).toBeNull();
  });

  it('value-per-kg-outlier: a third of the usual price — not the usual price (interquartile filter)', () => {
    const h = laneHistory(banana(), 60);
    const cheap = banana((d) => (d.goods.value = { amount: 4_000, currency: 'USD' }));
    expect(run('value-per-kg-outlier', cheap, { history: h })?.strength).toBeGreaterThan(0.6);
    expect(run('value-per-kg-outlier', banana(), { history: h })).toBeNull();
    expect(run('value-per-kg-outlier', cheap)).toBeNull(); // no history, no judgement
  });

  it('seal-anomaly: reused, malformed or missing — not a fresh carrier seal', () => {
    const d = banana();
    const h = new History();
    h.observe({ ...d, id: 'earlier', seals: ['FX1234567'] });
    expect(run('seal-anomaly', d, { history: h })?.strength).toBe(1);
    expect(
      run(
        'seal-anomaly',
        banana((x) => (x.container.seals = ['N/A'])),
      )?.strength,
    ).toBe(0.7);
    expect(
      run(
        'seal-anomaly',
        banana((x) => (x.container.seals = [])),
      )?.strength,
    ).toBe(0.4);
    expect(run('seal-anomaly', d)).toBeNull();
  });

  it('watchlist-hit: the strongest hit explains itself — nothing without hits', () => {
    const hit: WatchlistHit = {
      entryId: 'e1',
      source: 'opensanctions:eu_fsf',
      kind: 'party',
      field: 'consignee.name',
      value: 'Viktor Vladimirovich Soiko',
      matched: 'Viktor Vladimirovitj Sojko',
      method: 'name-similarity',
      similarity: 0.9,
      weight: 1,
      reason: null,
    };
    const fired = run('watchlist-hit', banana(), {
      watch: [hit, { ...hit, similarity: 0.89, entryId: 'e2' }],
    });
    expect(fired?.strength).toBe(0.9);
    expect(fired?.explanation).toBe(
      "consignee.name 'Viktor Vladimirovich Soiko' matches watchlist entry e1 'Viktor Vladimirovitj Sojko' (opensanctions:eu_fsf, name-similarity 0.90) (+1 more).",
    );
    expect(run('watchlist-hit', banana())).toBeNull();
  });

  it('intel-hit: shared items carry an observable — nothing without hits', () => {
    const fired = run('intel-hit', banana(), {
      intel: [{ observableType: 'container', value: 'CSQU3054383', itemCount: 1 }],
    });
    expect(fired?.strength).toBeCloseTo(0.8);
    expect(fired?.explanation).toBe('container CSQU3054383 appears in 1 shared item(s).');
    expect(run('intel-hit', banana())).toBeNull();
  });

  it('lists the observables of a declaration for shared intelligence', () => {
    const types = observablesOf(valves()).map((o) => `${o.observableType}:${o.value}`);
    expect(types).toEqual(
      expect.arrayContaining([
        'container:CSQU3054383',
        'vessel:IMO9074729',
        'bl:MAEU240312345',
        'eori:NL123456789',
      ]),
    );
  });

  it('treats an amendment after arrival as late', () => {
    const after = banana((d) => {
      d.version = 2;
      d.amendments = [{ version: 2, filedAt: '2024-04-13T06:00:00Z', parts: ['consignee'] }];
    });
    expect(run('late-party-amendment', after)?.explanation).toBe(
      'Consignee amended 24 h after arrival (version 2).',
    );
    expect(after.eta + 24 * HOUR).toBe(Date.parse('2024-04-13T06:00:00Z'));
  });
});
