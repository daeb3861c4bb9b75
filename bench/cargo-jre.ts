/**
 * The peer of the cargo-scoring benchmark: the built-in indicators and the built-in rule set
 * written as json-rules-engine rules, so that the usual JavaScript rules engine does the same
 * work as `scoreDeclaration` on the same declarations and the same history.
 *
 * How the translation is made:
 * - every built-in indicator becomes one json-rules-engine rule per strength tier (the tiers are
 *   mutually exclusive conditions), with the indicator's weight and strength in the event;
 * - json-rules-engine has no arithmetic, so the strengths that vary continuously (how new a
 *   consignee is, how far a value is outside the interquartile fences…) and the fences
 *   themselves are derived facts, computed with the same formulas as the indicators;
 * - a fired indicator sets the runtime fact `indicator.<id>` (rule chaining, the engine's own
 *   mechanism), and the rule-set rules — run at a lower priority — read it;
 * - rule-set conditions are translated node by node (`all`, `any`, `not`, comparisons) over facts
 *   named like our rule fields, whose values come from the same field accessors; scope and
 *   validity become conditions on the port of discharge and on `now`.
 * The score is the sum of weight × strength over the events, in the scorer's order (indicators,
 * then rules), so both engines must agree to the last bit; the bench checks that they do.
 */
import { Engine, type TopLevelCondition } from 'json-rules-engine';
import type { Subject } from '../src/cargo/fields.ts';
import {
  BUILTIN_LISTS,
  type Channel,
  COVER_COMMODITIES,
  type Condition,
  type Declaration,
  FIELDS,
  HIGH_RISK_PORTS,
  type IndicatorConfig,
  observablesOf,
  type RuleSetDoc,
  type ScoringContext,
  sealProblem,
} from '../src/cargo/index.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

type Cond = Record<string, unknown>;
type Strength = number | string;

interface IndicatorTier {
  id: string;
  weight: number;
  /** A constant, or the name of the derived fact holding it. */
  strength: Strength;
  when: Cond[];
}

const all = (...c: Cond[]): Cond => ({ all: c });
const fact = (name: string, operator: string, value: unknown): Cond => ({ fact: name, operator, value });

/** The 14 built-in indicators as rule tiers (same ids, weights, conditions and strengths). */
function indicatorTiers(weights: ReadonlyMap<string, number>, cfg: IndicatorConfig): IndicatorTier[] {
  const w = (id: string) => {
    const v = weights.get(id);
    if (v === undefined) throw new Error(`indicator '${id}' is not in the scorer's list`);
    return v;
  };
  const risky = [...HIGH_RISK_PORTS];
  const limitMs = cfg.newPartyDays * DAY_MS;
  const tiers: IndicatorTier[] = [];
  const add = (id: string, strength: Strength, ...when: Cond[]) =>
    tiers.push({ id, weight: w(id), strength, when });

  add('high-risk-port', 1, fact('route.loading', 'in', risky));
  add(
    'high-risk-port',
    0.7,
    fact('route.loading', 'notIn', risky),
    fact('route.transshipment', 'someFact:in', risky),
  );
  add(
    'high-risk-port',
    0.4,
    fact('route.loading', 'notIn', risky),
    fact('route.transshipment', 'everyFact:notIn', risky),
    fact('route.callPorts', 'someFact:in', risky),
  );

  // The first matching prefix wins: a later prefix excludes the earlier ones it overlaps.
  COVER_COMMODITIES.forEach((c, i) => {
    const earlier = COVER_COMMODITIES.slice(0, i).filter(
      (e) => e.prefix.startsWith(c.prefix) || c.prefix.startsWith(e.prefix),
    );
    add(
      'cover-commodity',
      c.strength,
      fact('goods.hs', 'startsWith', c.prefix),
      ...earlier.map((e) => fact('goods.hs', 'notStartsWith', e.prefix)),
    );
  });

  add('reefer', 1, fact('container.reefer', 'equal', true));

  add('new-consignee', 1, fact('history.consignee.asConsignee', 'equal', 0));
  add(
    'new-consignee',
    'strength.new-consignee',
    fact('history.consignee.asConsignee', 'greaterThan', 0),
    fact('history.consignee.ageMs', 'lessThan', limitMs),
  );

  const established = [
    fact('history.shipper.known', 'equal', true),
    fact('history.consignee.ageMs', 'greaterThanInclusive', limitMs),
    fact('history.consignee.asConsignee', 'greaterThan', 0),
  ];
  add('new-pair', 1, fact('history.pair.shipments', 'equal', 0), ...established);
  add('new-pair', 0.5, fact('history.pair.shipments', 'equal', 0), { not: all(...established) });

  const late = cfg.lateAmendmentHours;
  add('late-party-amendment', 1, fact('amendments.partyHoursBeforeEta', 'lessThanInclusive', late));
  add(
    'late-party-amendment',
    0.7,
    fact('amendments.partyHoursBeforeEta', 'greaterThan', late),
    fact('amendments.partyAfterEtd', 'equal', true),
  );
  add(
    'late-party-amendment',
    0.4,
    fact('amendments.partyHoursBeforeEta', 'greaterThan', late),
    fact('amendments.partyAfterEtd', 'equal', false),
  );

  const role = (r: string) => fact('freight.payerRole', 'equal', r);
  add('unusual-freight-payer', 1, role('third-party'), fact('freight.terms', 'equal', 'collect'));
  add('unusual-freight-payer', 0.8, role('third-party'), fact('freight.terms', 'notEqual', 'collect'));
  add('unusual-freight-payer', 0.4, role('notify'));
  add('unusual-freight-payer', 0.4, role('consignee'), fact('freight.terms', 'equal', 'prepaid'));
  add('unusual-freight-payer', 0.4, role('shipper'), fact('freight.terms', 'equal', 'collect'));

  const laneKnown = fact('history.lane.shipments', 'greaterThanInclusive', cfg.minLaneHistory);
  add(
    'unusual-transshipment',
    'strength.unusual-transshipment',
    laneKnown,
    fact('history.lane.transshipmentShare', 'lessThan', cfg.unusualTransshipmentShare),
  );
  add(
    'unusual-commodity-for-lane',
    1,
    laneKnown,
    fact('history.lane.headingShare', 'lessThan', cfg.unusualHeadingShare),
  );

  for (const [id, value, q] of [
    ['weight-per-package-outlier', 'goods.weightPerPackage', 'history.wpp'],
    ['value-per-kg-outlier', 'goods.valuePerKg', 'history.vpk'],
  ] as const) {
    add(id, `strength.${id}`, fact(`${q}.low`, 'notEqual', null), fact(value, 'notEqual', null), {
      any: [fact(value, 'lessThan', { fact: `${q}.low` }), fact(value, 'greaterThan', { fact: `${q}.high` })],
    });
  }

  add('seal-anomaly', 1, fact('history.seal.reused', 'equal', true));
  add(
    'seal-anomaly',
    0.4,
    fact('history.seal.reused', 'equal', false),
    fact('container.sealCount', 'equal', 0),
  );
  add(
    'seal-anomaly',
    0.7,
    fact('history.seal.reused', 'equal', false),
    fact('container.sealCount', 'greaterThan', 0),
    fact('container.malformedSeal', 'equal', true),
  );

  add('watchlist-hit', 'strength.watchlist-hit', fact('watchlist.hits', 'greaterThan', 0));
  add('intel-hit', 'strength.intel-hit', fact('intel.hits', 'greaterThan', 0));
  return tiers;
}

/* Rule-set conditions ------------------------------------------------------------------------ */

function foldUpper(v: unknown): unknown {
  return typeof v === 'string' ? v.replace(/\s+/g, '').toUpperCase() : v;
}

function translate(
  node: Condition,
  lists: Readonly<Record<string, readonly string[]>>,
  used: Set<string>,
): Cond {
  if ('all' in node) return { all: node.all.map((n) => translate(n, lists, used)) };
  if ('any' in node) return { any: node.any.map((n) => translate(n, lists, used)) };
  if ('not' in node) return { not: translate(node.not, lists, used) };
  const name = node.field;
  const [op, raw] = Object.entries(node).find(([k]) => k !== 'field') as [string, unknown];
  if (name.startsWith('indicator.')) {
    if (op !== 'eq') throw new Error(`peer translation: '${op}' on ${name}`);
    return fact(name, 'equal', raw);
  }
  const def = FIELDS[name];
  if (def === undefined) throw new Error(`peer translation: unknown field ${name}`);
  if (def.fold === 'company') throw new Error(`peer translation: company-name literal on ${name}`);
  used.add(name);
  const lit = (v: unknown) => (def.fold === 'upper' ? foldUpper(v) : v);
  const many = def.type === 'string[]';
  const present = fact(name, 'notEqual', null);
  switch (op) {
    case 'eq':
      return fact(name, many ? 'someFact:equal' : 'equal', lit(raw));
    case 'ne':
      return all(present, fact(name, many ? 'everyFact:notEqual' : 'notEqual', lit(raw)));
    case 'in':
      return fact(name, many ? 'someFact:in' : 'in', (raw as unknown[]).map(lit));
    case 'notIn':
      return all(present, fact(name, many ? 'everyFact:notIn' : 'notIn', (raw as unknown[]).map(lit)));
    case 'inList': {
      const list = lists[String(raw)];
      if (list === undefined) throw new Error(`peer translation: unknown list ${String(raw)}`);
      return fact(name, many ? 'someFact:in' : 'in', list.map(lit));
    }
    case 'gt':
      return fact(name, 'greaterThan', raw);
    case 'gte':
      return fact(name, 'greaterThanInclusive', raw);
    case 'lt':
      return fact(name, 'lessThan', raw);
    case 'lte':
      return fact(name, 'lessThanInclusive', raw);
    case 'exists':
      return fact(name, raw === true ? 'notEqual' : 'equal', null);
    default:
      throw new Error(`peer translation: operator '${op}' not translated`);
  }
}

/* The peer ----------------------------------------------------------------------------------- */

export interface PeerResult {
  score: number;
  channel: Channel;
  /** Indicator ids and `rule:<id>@<version>`, sorted. */
  reasonIds: string[];
}

interface Fired {
  order: number;
  id: string;
  weight: number;
  strength: Strength;
}

export class JreScorer {
  private readonly engine: Engine;
  private readonly ruleFields = new Set<string>();
  private readonly indicatorFacts: string[];

  /** `ctx` gives the indicator list (weights), the indicator settings and the thresholds. */
  constructor(
    doc: RuleSetDoc,
    private readonly ctx: ScoringContext,
  ) {
    const engine = new Engine([], { allowUndefinedFacts: false });
    engine.addOperator<string, string>('startsWith', (a, b) => typeof a === 'string' && a.startsWith(b));
    engine.addOperator<string, string>('notStartsWith', (a, b) => typeof a === 'string' && !a.startsWith(b));
    const order = new Map(ctx.indicators.map((ind, i) => [ind.id, i]));
    const weights = new Map(ctx.indicators.map((ind) => [ind.id, ind.weight]));
    for (const t of indicatorTiers(weights, ctx.indicatorConfig)) {
      engine.addRule({
        name: `${t.id}/${t.strength}`,
        priority: 2,
        conditions: all(...t.when) as unknown as TopLevelCondition,
        event: {
          type: 'indicator',
          params: { order: order.get(t.id), id: t.id, weight: t.weight, strength: t.strength },
        },
        onSuccess: (_event, almanac) => {
          almanac.addRuntimeFact(`indicator.${t.id}`, true);
        },
      });
    }
    this.indicatorFacts = ctx.indicators.map((i) => `indicator.${i.id}`);
    const lists = { ...BUILTIN_LISTS, ...(doc.lists ?? {}) };
    doc.rules.forEach((r, i) => {
      const when: Cond[] = [translate(r.when, lists, this.ruleFields)];
      if (r.scope?.ports) when.push(fact('route.discharge', 'in', r.scope.ports));
      if (r.scope?.countries) when.push(fact('route.dischargeCountry', 'in', r.scope.countries));
      if (r.validFrom) when.push(fact('now', 'greaterThanInclusive', Date.parse(r.validFrom)));
      if (r.validTo) when.push(fact('now', 'lessThan', Date.parse(r.validTo)));
      engine.addRule({
        name: r.id,
        priority: 1,
        conditions: all(...when) as unknown as TopLevelCondition,
        event: {
          type: 'rule',
          params: { order: 1000 + i, id: `rule:${r.id}@${r.version}`, weight: r.weight, strength: 1 },
        },
      });
    });
    this.engine = engine;
  }

  /** The facts of one declaration: its fields and the derived features, with `ctx.now`. */
  facts(d: Declaration): Record<string, unknown> {
    const ctx = this.ctx;
    const now = ctx.now;
    const cfg = ctx.indicatorConfig;
    const f = ctx.history.features(d);
    const limitMs = cfg.newPartyDays * DAY_MS;
    const k = f.consignee;
    const consigneeShipments = k?.asConsignee ?? 0;
    const ageMs = k === null ? null : now - k.firstSeen;

    let lastParty: number | null = null;
    for (const a of d.amendments) {
      if (
        (a.parts.includes('consignee') || a.parts.includes('notify')) &&
        (lastParty === null || a.filedAt > lastParty)
      )
        lastParty = a.filedAt;
    }

    const fences = (q: { q1: number; q3: number } | null) => {
      if (q === null) return null;
      const iqr = Math.max(q.q3 - q.q1, 0.05 * q.q3);
      return { lo: q.q1 - cfg.iqrFactor * iqr, hi: q.q3 + cfg.iqrFactor * iqr, iqr };
    };
    const outlier = (v: number | null, fe: ReturnType<typeof fences>) => {
      if (v === null || fe === null || (v >= fe.lo && v <= fe.hi)) return 0;
      const excess = v < fe.lo ? fe.lo - v : v - fe.hi;
      return 0.6 + 0.4 * Math.min(1, excess / (cfg.iqrFactor * fe.iqr));
    };
    const wpp = fences(f.weightPerPackage);
    const vpk = d.valuePerKg === null ? null : fences(f.valuePerKg);

    const watch = ctx.watchlists === null ? [] : ctx.watchlists.screenDeclaration(d);
    let watchStrength = 0;
    for (const h of watch) watchStrength = Math.max(watchStrength, h.similarity * h.weight);
    const intel = ctx.intel === null ? [] : ctx.intel(observablesOf(d));
    let items = 0;
    for (const h of intel) items += h.itemCount;

    const facts: Record<string, unknown> = {
      now,
      'route.loading': d.loading,
      'route.transshipment': d.transshipment,
      'route.callPorts': d.callPorts,
      'route.discharge': d.discharge,
      'route.dischargeCountry': d.dischargeCountry,
      'goods.hs': d.hs,
      'container.reefer': d.reefer,
      'container.sealCount': d.seals.length,
      'container.malformedSeal': d.seals.some((s) => sealProblem(s) !== null),
      'freight.payerRole': d.payerRole,
      'freight.terms': d.freightTerms,
      'goods.weightPerPackage': d.weightPerPackage,
      'goods.valuePerKg': d.valuePerKg,
      'history.shipper.known': f.shipper !== null,
      'history.consignee.asConsignee': consigneeShipments,
      'history.consignee.ageMs': ageMs,
      'history.pair.shipments': f.pairShipments,
      'history.lane.shipments': f.laneShipments,
      'history.lane.transshipmentShare': f.laneTransshipmentShare,
      'history.lane.headingShare': f.laneHeadingShare,
      'history.seal.reused': f.reusedSeal !== null,
      'history.wpp.low': wpp?.lo ?? null,
      'history.wpp.high': wpp?.hi ?? null,
      'history.vpk.low': vpk?.lo ?? null,
      'history.vpk.high': vpk?.hi ?? null,
      'amendments.partyHoursBeforeEta': lastParty === null ? null : (d.eta - lastParty) / HOUR_MS,
      'amendments.partyAfterEtd': lastParty !== null && d.etd !== null && lastParty > d.etd,
      'watchlist.hits': watch.length,
      'intel.hits': intel.length,
      'strength.new-consignee':
        ageMs === null || consigneeShipments === 0 ? 1 : 0.6 + 0.4 * (1 - ageMs / limitMs),
      'strength.unusual-transshipment':
        f.laneTransshipmentShare === null
          ? 0
          : 1 - 0.5 * (f.laneTransshipmentShare / cfg.unusualTransshipmentShare),
      'strength.weight-per-package-outlier': outlier(d.weightPerPackage, wpp),
      'strength.value-per-kg-outlier': outlier(d.valuePerKg, vpk),
      'strength.watchlist-hit': watchStrength,
      'strength.intel-hit': Math.min(1, 0.7 + 0.1 * items),
    };
    for (const id of this.indicatorFacts) facts[id] = false;
    if (this.ruleFields.size > 0) {
      const s: Subject = { d, f, now, strengths: ctx.strengths, indicatorPoints: 0 };
      for (const name of this.ruleFields) facts[name] = (FIELDS[name] as { get(s: Subject): unknown }).get(s);
    }
    return facts;
  }

  /** Scores one declaration with json-rules-engine (ctx.now as the time of scoring). */
  async score(d: Declaration): Promise<PeerResult> {
    const facts = this.facts(d);
    const { events } = await this.engine.run(facts);
    const fired = events.map((e) => e.params as Fired).sort((a, b) => a.order - b.order);
    let score = 0;
    for (const e of fired) {
      const strength = typeof e.strength === 'number' ? e.strength : (facts[e.strength] as number);
      score += e.weight * strength;
    }
    score = Math.round(score * 100) / 100;
    const t = this.ctx.portThresholds.get(d.discharge) ?? this.ctx.thresholds;
    return {
      score,
      channel: score >= t.red ? 'red' : score >= t.amber ? 'amber' : 'green',
      reasonIds: fired.map((e) => e.id).sort(),
    };
  }
}
