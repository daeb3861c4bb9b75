import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { bananaInput, buildDeclaration } from './cargo.fixtures.ts';
import { type Declaration, normalizeDeclaration } from './declaration.ts';
import { compileDefaultRules, defaultRuleSet } from './default-rules.ts';
import { FIELDS, type Subject } from './fields.ts';
import { History } from './history.ts';
import { BUILTIN_INDICATORS } from './indicators.ts';
import {
  type Condition,
  compileRuleSet,
  parseRuleSet,
  type RuleSetDoc,
  reviseRuleSet,
  validateRuleSet,
} from './rules.ts';

const IDS = BUILTIN_INDICATORS.map((i) => i.id);

function rule(when: unknown, extra: Record<string, unknown> = {}) {
  return { id: 'r1', name: 'test rule', description: 'for tests', weight: 10, when, ...extra };
}

function holds(when: Condition | Record<string, unknown>, d: Declaration, fired: string[] = []): boolean {
  const set = compileRuleSet(validateRuleSet({ rules: [rule(when)] }, { indicatorIds: IDS }), {
    indicatorIds: IDS,
  });
  const strengths = new Float64Array(IDS.length);
  for (const id of fired) strengths[IDS.indexOf(id)] = 1;
  const s: Subject = { d, f: new History().features(d), now: d.filedAt, strengths, indicatorPoints: 0 };
  return (set.rules[0] as (typeof set.rules)[number]).test(s);
}

function errorsOf(raw: unknown): Array<{ path: string; message: string }> {
  try {
    validateRuleSet(raw, { indicatorIds: IDS });
  } catch (e) {
    if (e instanceof AppError) return e.details;
    throw e;
  }
  return [];
}

describe('rule validation', () => {
  it('names the path and suggests the field that was meant', () => {
    const errors = errorsOf({
      rules: [
        rule({ field: 'goods.hs', eq: '080390' }, { id: 'a' }),
        rule({ field: 'goods.hs', eq: '080390' }, { id: 'b' }),
        rule(
          {
            all: [
              { field: 'route.transshipment', inList: 'high-risk-ports' },
              { field: 'consigne.name', eq: 'x' },
            ],
          },
          { id: 'c' },
        ),
      ],
    });
    expect(errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      "rules[2].when.all[1].field: unknown field 'consigne.name' (did you mean 'consignee.name'?)",
    ]);
  });

  it('checks operators, types, lists, enums and patterns', () => {
    const errors = errorsOf({
      rules: [
        rule({ field: 'goods.grossKg', eq: 'heavy' }, { id: 'a' }),
        rule({ field: 'goods.hs', gt: 5 }, { id: 'b' }),
        rule({ field: 'route.loading', inList: 'high-risk-port' }, { id: 'c' }),
        rule({ field: 'freight.terms', eq: 'colect' }, { id: 'd' }),
        rule({ field: 'consignee.name', matches: '(a+)+' }, { id: 'e' }),
        rule({ field: 'goods.hs', equals: '080390' }, { id: 'f' }),
        rule({ field: 'goods.hs', eq: '1', in: ['2'] }, { id: 'g' }),
        rule({ alls: [] }, { id: 'h' }),
        rule({ all: [] }, { id: 'i' }),
        rule({ field: 'indicator.no-such', eq: true }, { id: 'j' }),
        rule({ field: 'goods.hs', in: [] }, { id: 'k' }),
      ],
    });
    const text = errors.map((e) => `${e.path}: ${e.message}`);
    expect(text).toEqual([
      "rules[0].when.eq: field 'goods.grossKg' is a number; got string",
      "rules[1].when.gt: 'gt' needs a numeric field; 'goods.hs' is string",
      "rules[2].when.inList: unknown list 'high-risk-port' (did you mean 'high-risk-ports'?)",
      "rules[3].when.eq: 'colect' is not a value of 'freight.terms' (prepaid, collect); did you mean 'collect'?",
      'rules[4].when.matches: pattern not allowed: a quantified group may not contain a quantifier or an alternation (nested quantifiers)',
      "rules[5].when.equals: unknown operator 'equals' (did you mean 'eq'?)",
      'rules[6].when: one operator per comparison (found eq, in)',
      "rules[7].when: expected 'all', 'any', 'not' or 'field', found 'alls' (did you mean 'all'?)",
      'rules[8].when.all: expected a non-empty array of conditions',
      "rules[9].when.field: unknown field 'indicator.no-such'",
      'rules[10].when.in: expected a non-empty array',
    ]);
  });

  it('checks the envelope: ids, weights, unknown keys, duplicate ids, time box, lists', () => {
    const errors = errorsOf({
      lists: { 'high-risk-ports': ['X'] },
      rules: [
        rule({ field: 'goods.hs', eq: '1' }, { id: 'Bad Id' }),
        rule({ field: 'goods.hs', eq: '1' }, { weight: 1000 }),
        rule({ field: 'goods.hs', eq: '1' }, { id: 'k', colour: 'red' }),
        rule({ field: 'goods.hs', eq: '1' }, { id: 'dup' }),
        rule({ field: 'goods.hs', eq: '1' }, { id: 'dup', validFrom: '2024-02-01', validTo: '2024-01-01' }),
        rule({ field: 'goods.hs', eq: '1' }, { id: 'sc', scope: { ports: ['ROTTERDAM'] } }),
      ],
    });
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual([
      'lists.high-risk-ports',
      'rules[0].id',
      'rules[1].weight',
      'rules[2]',
      'rules[4].id',
      'rules[4].validTo',
      'rules[5].scope.ports[0]',
    ]);
    expect(errors.find((e) => e.path === 'rules[4].id')?.message).toContain("duplicate rule id 'dup'");
  });

  it('reports malformed text as MALFORMED_JSON', () => {
    expect(() => parseRuleSet('{"rules": [')).toThrow(AppError);
    try {
      parseRuleSet('rules: [a: b: c');
    } catch (e) {
      expect((e as AppError).code).toBe('MALFORMED_JSON');
    }
  });
});

describe('rule semantics', () => {
  const banana = normalizeDeclaration(
    bananaInput((d) => {
      d.route.transshipment = ['PAONX', 'ESALG'];
    }),
  );

  it('evaluates the example of the issue', () => {
    const when = {
      all: [
        { field: 'route.transshipment', inList: 'high-risk-ports' },
        { field: 'goods.hsChapterHeading', in: ['0803', '0901'] },
      ],
    };
    expect(holds(when, banana)).toBe(true);
    expect(holds(when, buildDeclaration())).toBe(false);
  });

  it('compares scalars, with literals folded like the field', () => {
    expect(holds({ field: 'route.loading', eq: 'ecgye' }, banana)).toBe(true);
    expect(holds({ field: 'route.loading', ne: 'ECGYE' }, banana)).toBe(false);
    expect(holds({ field: 'goods.packages', gte: 1080 }, banana)).toBe(true);
    expect(holds({ field: 'goods.packages', gt: 1080 }, banana)).toBe(false);
    expect(holds({ field: 'goods.packages', lt: 1081 }, banana)).toBe(true);
    expect(holds({ field: 'goods.packages', lte: 1079 }, banana)).toBe(false);
    expect(holds({ field: 'container.reefer', eq: true }, banana)).toBe(true);
    expect(holds({ field: 'consignee.name', eq: 'SCHELDE FRUIT IMPORT N.V.' }, banana)).toBe(true);
    expect(holds({ field: 'consignee.name', matches: 'schelde.*' }, banana)).toBe(true);
    expect(holds({ field: 'consignee.name', matches: 'fruit' }, banana)).toBe(false);
    expect(holds({ field: 'freight.terms', in: ['collect'] }, banana)).toBe(false);
    expect(holds({ field: 'freight.terms', notIn: ['collect'] }, banana)).toBe(true);
  });

  it('treats list fields as "any element" and "no element" for negations', () => {
    expect(holds({ field: 'route.transshipment', eq: 'ESALG' }, banana)).toBe(true);
    expect(holds({ field: 'route.transshipment', ne: 'ESALG' }, banana)).toBe(false);
    expect(holds({ field: 'route.transshipment', notIn: ['SGSIN'] }, banana)).toBe(true);
    expect(holds({ field: 'route.transshipment', matches: 'PA.*' }, banana)).toBe(true);
    expect(holds({ field: 'route.ports', inList: 'high-risk-ports' }, buildDeclaration())).toBe(false);
  });

  it('lets a missing value satisfy nothing, except exists: false', () => {
    const noValue = buildDeclaration((d) => delete d.goods.value);
    expect(holds({ field: 'goods.valuePerKg', lt: 1e9 }, noValue)).toBe(false);
    expect(holds({ field: 'goods.valuePerKg', gte: 0 }, noValue)).toBe(false);
    expect(holds({ field: 'goods.currency', ne: 'EUR' }, noValue)).toBe(false);
    expect(holds({ field: 'goods.valuePerKg', exists: false }, noValue)).toBe(true);
    expect(holds({ field: 'goods.valuePerKg', exists: true }, banana)).toBe(true);
  });

  it('combines with all / any / not and reads indicator results', () => {
    const both = {
      all: [
        { field: 'indicator.reefer', eq: true },
        { field: 'indicator.new-consignee', eq: true },
      ],
    };
    expect(holds(both, banana, ['reefer', 'new-consignee'])).toBe(true);
    expect(holds(both, banana, ['reefer'])).toBe(false);
    expect(
      holds(
        {
          any: [
            { field: 'goods.hs', eq: 'x' },
            { field: 'goods.hs', eq: '080390' },
          ],
        },
        banana,
      ),
    ).toBe(true);
    expect(holds({ not: { field: 'goods.hs', eq: '080390' } }, banana)).toBe(false);
  });

  it('reads history features (0 days / 0 shipments for a party never seen)', () => {
    expect(holds({ field: 'history.consignee.ageDays', lt: 1 }, banana)).toBe(true);
    expect(holds({ field: 'history.pair.shipments', eq: 0 }, banana)).toBe(true);
    expect(
      holds(
        { field: 'history.notify.shipments', exists: true },
        buildDeclaration((d) => delete d.notify),
      ),
    ).toBe(false);
  });
});

describe('compiled rule sets', () => {
  it('parses the same rule from JSON and YAML to the same hash', () => {
    const json = JSON.stringify({ version: 3, rules: [rule({ field: 'goods.hs', eq: '080390' })] });
    const yaml = `version: 3\nrules:\n  - id: r1\n    name: test rule\n    description: for tests\n    weight: 10\n    when: { field: goods.hs, eq: "080390" }\n`;
    const a = compileRuleSet(parseRuleSet(json));
    const b = compileRuleSet(parseRuleSet(yaml));
    expect(a.hash).toBe(b.hash);
    expect(a.version).toBe(3);
  });

  it('keeps validity windows and scope as compiled data', () => {
    const set = compileRuleSet(
      validateRuleSet({
        rules: [
          rule(
            { field: 'goods.hs', eq: '080390' },
            {
              scope: { ports: ['be anr'], countries: ['be'] },
              validFrom: '2024-07-01',
              validTo: '2025-01-01T00:00:00Z',
            },
          ),
        ],
      }),
    );
    const r = set.rules[0];
    expect([...(r?.ports ?? [])]).toEqual(['BEANR']);
    expect([...(r?.countries ?? [])]).toEqual(['BE']);
    expect(r?.validFrom).toBe(Date.parse('2024-07-01'));
    expect(r?.validTo).toBe(Date.parse('2025-01-01T00:00:00Z'));
  });

  it('compiles the built-in rule set', () => {
    const set = compileDefaultRules();
    expect(set.rules.length).toBeGreaterThanOrEqual(6);
    expect(set.indicatorIds).toEqual(IDS);
    expect(defaultRuleSet().version).toBe(1);
  });
});

describe('reviseRuleSet', () => {
  const v1: RuleSetDoc = validateRuleSet({
    version: 4,
    rules: [
      rule({ field: 'goods.hs', eq: '080390' }, { id: 'a', version: 2 }),
      rule({ field: 'goods.hs', eq: '090111' }, { id: 'b' }),
    ],
  });

  it('bumps a changed rule and the set, keeps unchanged rules', () => {
    const proposed = validateRuleSet({
      rules: [
        rule({ field: 'goods.hs', eq: '080390' }, { id: 'a', weight: 20 }),
        rule({ field: 'goods.hs', eq: '090111' }, { id: 'b' }),
        rule({ field: 'goods.hs', eq: '030617' }, { id: 'c' }),
      ],
    });
    const r = reviseRuleSet(v1, proposed);
    expect(r.changed).toEqual(['a']);
    expect(r.added).toEqual(['c']);
    expect(r.removed).toEqual([]);
    expect(r.ruleSet.version).toBe(5);
    expect(r.ruleSet.rules.map((x) => [x.id, x.version])).toEqual([
      ['a', 3],
      ['b', 1],
      ['c', 1],
    ]);
  });

  it('keeps the version when nothing changed and bumps on removal', () => {
    expect(reviseRuleSet(v1, { ...v1, version: 1 }).ruleSet.version).toBe(4);
    const removed = reviseRuleSet(v1, { ...v1, rules: v1.rules.slice(0, 1) });
    expect(removed.removed).toEqual(['b']);
    expect(removed.ruleSet.version).toBe(5);
  });
});

describe('rule-language.md', () => {
  it('documents every field and operator', () => {
    const doc = readFileSync(new URL('./rule-language.md', import.meta.url), 'utf8');
    for (const name of Object.keys(FIELDS)) expect(doc, name).toContain(`\`${name}\``);
    for (const op of ['eq', 'ne', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'matches', 'inList', 'exists']) {
      expect(doc).toContain(`\`${op}\``);
    }
  });
});
