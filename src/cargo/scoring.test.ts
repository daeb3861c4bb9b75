import { describe, expect, it } from 'vitest';
import { bananaInput, buildDeclaration } from './cargo.fixtures.ts';
import type { DeclarationInput } from './cargo.schema.ts';
import { normalizeDeclaration } from './declaration.ts';
import { compileDefaultRules } from './default-rules.ts';
import { History } from './history.ts';
import { BUILTIN_INDICATORS, type Observable } from './indicators.ts';
import { compileRuleSet, validateRuleSet } from './rules.ts';
import { createScoringContext, rankQueue, type ScoreResult, scoreDeclaration } from './scoring.ts';
import { Watchlist } from './watchlist.ts';

const banana = (patch?: (d: DeclarationInput) => void) => normalizeDeclaration(bananaInput(patch));
const IDS = BUILTIN_INDICATORS.map((i) => i.id);

describe('scoreDeclaration', () => {
  it('adds up indicator contributions and explains each one, strongest first', () => {
    const d = banana();
    const ctx = createScoringContext({ history: new History(), now: d.filedAt });
    const r = scoreDeclaration(d, ctx);
    const sum = r.reasons.reduce((s, x) => s + x.contribution, 0);
    expect(r.score).toBeCloseTo(sum, 2);
    expect(r.reasons.map((x) => x.indicatorId)).toEqual([
      'high-risk-port',
      'new-consignee',
      'cover-commodity',
      'reefer',
      'new-pair',
    ]);
    expect(r.reasons[0]?.explanation).toContain('Guayaquil');
    expect(r.declarationId).toBe(d.id);
    expect(r.port).toBe('BEANR');
    expect(r.scoredAt).toBe(d.filedAt);
    expect(r.ruleSetVersion).toBeNull();
  });

  it('gives green to an unremarkable import with a known history', () => {
    const d = buildDeclaration();
    const h = new History();
    for (let i = 1; i <= 30; i++)
      h.observe({ ...d, id: `p${i}`, filedAt: d.filedAt - i * 7 * 86_400_000, seals: [`S${100000 + i}`] });
    const r = scoreDeclaration(d, createScoringContext({ history: h, now: d.filedAt }));
    expect(r.score).toBe(0);
    expect(r.reasons).toEqual([]);
    expect(r.channel).toBe('green');
  });

  it('applies the thresholds of the port of discharge', () => {
    const d = banana();
    const base = { history: new History(), now: d.filedAt };
    const score = scoreDeclaration(d, createScoringContext(base)).score; // 71
    expect(
      scoreDeclaration(d, createScoringContext({ ...base, thresholds: { amber: 40, red: 80 } })).channel,
    ).toBe('amber');
    expect(
      scoreDeclaration(
        d,
        createScoringContext({
          ...base,
          thresholds: { amber: 40, red: 80 },
          portThresholds: { BEANR: { red: score } },
        }),
      ).channel,
    ).toBe('red');
    expect(
      scoreDeclaration(d, createScoringContext({ ...base, thresholds: { amber: score + 1, red: 200 } }))
        .channel,
    ).toBe('green');
  });

  it('adds rules, tagged with id and version, and honours their time box with the time passed in', () => {
    const set = compileRuleSet(
      validateRuleSet({
        version: 9,
        rules: [
          {
            id: 'pca',
            version: 2,
            name: 'PCA',
            description: 'Priority control area: bananas to Antwerp.',
            weight: 7,
            scope: { ports: ['BEANR'] },
            validFrom: '2024-03-01',
            validTo: '2024-04-01',
            when: { field: 'goods.hsChapterHeading', eq: '0803' },
          },
        ],
      }),
    );
    const d = banana();
    const inside = scoreDeclaration(
      d,
      createScoringContext({ history: new History(), rules: set, now: Date.parse('2024-03-15') }),
    );
    expect(inside.reasons.find((r) => r.indicatorId === 'rule:pca@2')).toEqual({
      indicatorId: 'rule:pca@2',
      contribution: 7,
      explanation: 'Priority control area: bananas to Antwerp.',
    });
    expect(inside.ruleSetVersion).toBe(9);
    expect(inside.ruleSetHash).toMatch(/^[0-9a-f]{16}$/);
    const after = scoreDeclaration(
      d,
      createScoringContext({ history: new History(), rules: set, now: Date.parse('2024-04-01') }),
    );
    expect(after.reasons.some((r) => r.indicatorId.startsWith('rule:'))).toBe(false);
    const elsewhere = banana((x) => {
      x.route.discharge = 'NLRTM';
      x.route.firstEntryOffice = 'NL000396';
    });
    const out = scoreDeclaration(
      elsewhere,
      createScoringContext({ history: new History(), rules: set, now: Date.parse('2024-03-15') }),
    );
    expect(out.reasons.some((r) => r.indicatorId.startsWith('rule:'))).toBe(false);
  });

  it('lets the built-in rules weigh combinations of indicators', () => {
    const d = banana();
    const r = scoreDeclaration(
      d,
      createScoringContext({ history: new History(), rules: compileDefaultRules(), now: d.filedAt }),
    );
    expect(r.reasons.map((x) => x.indicatorId)).toContain('rule:new-importer-risky-cover@1');
  });

  it('sends a do-not-load for a high-risk deep-sea container scored before loading only', () => {
    const d = banana((x) => {
      x.freight = {
        terms: 'collect',
        payer: { name: 'Oasis General Trading LLC', address: 'Deira, Dubai', country: 'AE' },
      };
      x.container.seals = [];
    });
    const opts = { history: new History(), thresholds: { doNotLoad: 80 } };
    const before = scoreDeclaration(d, createScoringContext({ ...opts, now: d.filedAt }));
    expect(before.score).toBeGreaterThanOrEqual(80);
    expect(before.doNotLoad).toBe(true);
    const loaded = scoreDeclaration(d, createScoringContext({ ...opts, now: (d.etd ?? 0) + 1 }));
    expect(loaded.doNotLoad).toBe(false);
    const shortSea = normalizeDeclaration(
      bananaInput((x) => {
        x.route.loading = 'GBFXT';
        x.freight = {
          terms: 'collect',
          payer: { name: 'Oasis General Trading LLC', address: 'Deira, Dubai', country: 'AE' },
        };
        x.container.seals = [];
        x.route.transshipment = ['PAONX'];
      }),
    );
    expect(shortSea.deepSea).toBe(false);
    expect(
      scoreDeclaration(shortSea, createScoringContext({ ...opts, now: shortSea.filedAt })).doNotLoad,
    ).toBe(false);
  });

  it('screens watchlists and asks shared intelligence about the observables', () => {
    const d = banana((x) => {
      x.consignee = { name: 'Viktor Vladimirovich Soiko', address: 'Haven 1, Antwerpen', country: 'BE' };
    });
    const wl = new Watchlist([
      {
        id: 'NK-2Myxbs6wX9xFKGoQn3sLaY',
        kind: 'party',
        source: 'opensanctions:eu_fsf',
        names: ['Viktor Vladimirovitj Sojko'],
      },
    ]);
    const asked: Observable[][] = [];
    const intel = (obs: readonly Observable[]) => {
      asked.push([...obs]);
      return obs.filter((o) => o.value === 'CSQU3054383').map((o) => ({ ...o, itemCount: 2 }));
    };
    const r = scoreDeclaration(
      d,
      createScoringContext({ history: new History(), watchlists: wl, intel, now: d.filedAt }),
    );
    const ids = r.reasons.map((x) => x.indicatorId);
    expect(ids).toContain('watchlist-hit');
    expect(ids).toContain('intel-hit');
    expect(r.watchlistVersion).toBe(wl.version);
    expect(asked[0]?.some((o) => o.observableType === 'container')).toBe(true);
  });

  it('refuses rules compiled against another indicator list', () => {
    const set = compileRuleSet(validateRuleSet({ rules: [] }), { indicatorIds: ['reefer', ...IDS] });
    expect(() => createScoringContext({ history: new History(), rules: set })).toThrow(RangeError);
  });
});

describe('rankQueue', () => {
  const day1 = Date.parse('2024-05-01T10:00:00Z');
  const day2 = Date.parse('2024-05-02T10:00:00Z');
  const result = (
    id: string,
    port: string,
    eta: number,
    score: number,
    channel: ScoreResult['channel'],
  ): ScoreResult => ({
    declarationId: id,
    declarationVersion: 1,
    port,
    eta,
    score,
    channel,
    reasons: [],
    doNotLoad: false,
    ruleSetVersion: null,
    ruleSetHash: null,
    watchlistVersion: null,
    scoredAt: 0,
  });
  const scored = [
    result('a', 'BEANR', day1, 90, 'red'),
    result('b', 'BEANR', day1, 95, 'red'),
    result('c', 'BEANR', day1, 80, 'red'),
    result('d', 'BEANR', day1, 60, 'amber'),
    result('e', 'BEANR', day1, 10, 'green'),
    result('f', 'NLRTM', day1, 85, 'red'),
    result('g', 'BEANR', day2, 99, 'red'),
  ];

  it('gives red to at most `capacity` per port per day and turns the rest amber', () => {
    const q = rankQueue(scored, 2);
    const view = q.map(
      (e) => `${e.day} ${e.port} #${e.rank} ${e.declarationId} ${e.channel}${e.capacityLimited ? '*' : ''}`,
    );
    expect(view).toEqual([
      '2024-05-01 BEANR #1 b red',
      '2024-05-01 BEANR #2 a red',
      '2024-05-01 BEANR #3 c amber*',
      '2024-05-01 BEANR #4 d amber',
      '2024-05-01 BEANR #5 e green',
      '2024-05-01 NLRTM #1 f red',
      '2024-05-02 BEANR #1 g red',
    ]);
    expect(q.find((e) => e.declarationId === 'c')?.thresholdChannel).toBe('red');
  });

  it('takes capacity per port, with a default, and can fill spare capacity with ambers', () => {
    const q = rankQueue(scored, { BEANR: 1, '*': 0 });
    expect(q.filter((e) => e.channel === 'red').map((e) => e.declarationId)).toEqual(['b', 'g']);
    const promoted = rankQueue(scored, 5, { promoteAmber: true });
    expect(promoted.find((e) => e.declarationId === 'd')?.channel).toBe('red');
    expect(promoted.find((e) => e.declarationId === 'e')?.channel).toBe('green');
  });

  it('breaks ties by declaration id, so the queue is deterministic', () => {
    const q = rankQueue([result('z', 'BEANR', day1, 90, 'red'), result('y', 'BEANR', day1, 90, 'red')], 1);
    expect(q.map((e) => [e.declarationId, e.channel])).toEqual([
      ['y', 'red'],
      ['z', 'amber'],
    ]);
  });
});
