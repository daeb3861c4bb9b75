/**
 * The rule language (documented in rule-language.md): rules are data (JSON or YAML), validated
 * with path-and-message errors, then compiled into closures once. Nothing from a rule is ever
 * evaluated as code: the validated tree selects among fixed, type-specialised closures.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { normalizeCompanyName } from '../identifiers/index.ts';
import { AppError, type ErrorDetail } from '../platform/errors.ts';
import { type RuleEnvelope, RuleEnvelopeSchema, RuleSetEnvelopeSchema } from './cargo.schema.ts';
import {
  FIELDS,
  type FieldDef,
  type FieldType,
  type FieldValue,
  type Fold,
  type Subject,
  suggest,
} from './fields.ts';
import { BUILTIN_LISTS } from './reference.ts';
import { compileSafePattern, unsafePatternReason } from './safe-regex.ts';

/* ------------------------------------------------------------------------------------------ */
/* Documents                                                                                    */
/* ------------------------------------------------------------------------------------------ */

export type Scalar = string | number | boolean;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | ({ field: string } & Partial<Record<ComparisonOp, unknown>>);

export const COMPARISON_OPS = [
  'eq',
  'ne',
  'in',
  'notIn',
  'gt',
  'gte',
  'lt',
  'lte',
  'matches',
  'inList',
  'exists',
] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

export interface RuleDoc {
  id: string;
  version: number;
  name: string;
  description: string;
  weight: number;
  scope?: { ports?: string[]; countries?: string[] };
  validFrom?: string;
  validTo?: string;
  when: Condition;
}

export interface RuleSetDoc {
  version: number;
  name?: string;
  lists?: Record<string, string[]>;
  rules: RuleDoc[];
}

/** Names an indicator field may use: `indicator.<id>` (boolean: the indicator fired). */
export interface RuleCompileOptions {
  /** Ids of the indicators the scorer runs, in order (default: none, so `indicator.*` is unknown). */
  indicatorIds?: readonly string[];
}

const MAX_DEPTH = 12;
const MAX_IN_VALUES = 10_000;

/* ------------------------------------------------------------------------------------------ */
/* Parsing and validation                                                                       */
/* ------------------------------------------------------------------------------------------ */

/** Parses a rule-set document from JSON or YAML text and validates it; throws AppError. */
export function parseRuleSet(text: string, options: RuleCompileOptions = {}): RuleSetDoc {
  if (text.length > 2_000_000) throw new AppError('PAYLOAD_TOO_LARGE', 'Rule set larger than 2 MB');
  let raw: unknown;
  try {
    raw = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 50 });
  } catch (e) {
    throw new AppError('MALFORMED_JSON', 'Rule set is neither valid JSON nor valid YAML', [
      { path: '', message: (e as Error).message },
    ]);
  }
  return validateRuleSet(raw, options);
}

/** Validates a rule-set document (already parsed); throws AppError VALIDATION_FAILED with all errors. */
export function validateRuleSet(raw: unknown, options: RuleCompileOptions = {}): RuleSetDoc {
  const errors: ErrorDetail[] = [];
  const env = RuleSetEnvelopeSchema.safeParse(raw);
  if (!env.success) {
    for (const i of env.error.issues) errors.push({ path: pathOf(i.path), message: i.message });
    throw new AppError('VALIDATION_FAILED', 'Invalid rule set', errors);
  }
  const lists = env.data.lists ?? {};
  for (const name of Object.keys(lists)) {
    if (name in BUILTIN_LISTS)
      errors.push({ path: `lists.${name}`, message: `'${name}' is a built-in list` });
  }
  const listNames = new Set([...Object.keys(BUILTIN_LISTS), ...Object.keys(lists)]);
  const v = new Validator(errors, listNames, new Set(options.indicatorIds ?? []));
  const rules: RuleDoc[] = [];
  const ids = new Set<string>();
  env.data.rules.forEach((r, i) => {
    const path = `rules[${i}]`;
    const parsed = RuleEnvelopeSchema.safeParse(r);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        errors.push({ path: pathOf(issue.path, path), message: issue.message });
      return;
    }
    const rule = parsed.data;
    if (ids.has(rule.id)) errors.push({ path: `${path}.id`, message: `duplicate rule id '${rule.id}'` });
    ids.add(rule.id);
    if (rule.validFrom && rule.validTo && Date.parse(rule.validFrom) >= Date.parse(rule.validTo)) {
      errors.push({ path: `${path}.validTo`, message: 'validTo must be after validFrom' });
    }
    rule.scope?.ports?.forEach((p, j) => {
      if (!/^[A-Za-z]{2} ?[A-Za-z2-9]{3}$/.test(p)) {
        errors.push({ path: `${path}.scope.ports[${j}]`, message: `'${p}' is not a UN/LOCODE` });
      }
    });
    if (rule.when === undefined) errors.push({ path: `${path}.when`, message: 'a rule needs a condition' });
    else v.condition(rule.when, `${path}.when`, 0);
    rules.push(toRuleDoc(rule));
  });
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'Invalid rule set', errors);
  return {
    version: env.data.version ?? 1,
    ...(env.data.name !== undefined ? { name: env.data.name } : {}),
    ...(env.data.lists !== undefined ? { lists: env.data.lists } : {}),
    rules,
  };
}

function toRuleDoc(r: RuleEnvelope): RuleDoc {
  const scope =
    r.scope === undefined
      ? undefined
      : {
          ...(r.scope.ports ? { ports: r.scope.ports.map((p) => p.replace(' ', '').toUpperCase()) } : {}),
          ...(r.scope.countries ? { countries: r.scope.countries.map((c) => c.toUpperCase()) } : {}),
        };
  return {
    id: r.id,
    version: r.version ?? 1,
    name: r.name,
    description: r.description,
    weight: r.weight,
    ...(scope !== undefined ? { scope } : {}),
    ...(r.validFrom !== undefined ? { validFrom: r.validFrom } : {}),
    ...(r.validTo !== undefined ? { validTo: r.validTo } : {}),
    when: r.when as Condition,
  };
}

function pathOf(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function typeOfValue(x: unknown): string {
  return Array.isArray(x) ? 'array' : x === null ? 'null' : typeof x;
}

class Validator {
  constructor(
    private readonly errors: ErrorDetail[],
    private readonly lists: Set<string>,
    private readonly indicators: Set<string>,
  ) {}

  /** Records an error; returns false so that checks read `return this.err(…)`. */
  private err(path: string, message: string): false {
    this.errors.push({ path, message });
    return false;
  }

  field(name: string): FieldDef | null {
    const f = FIELDS[name];
    if (f !== undefined) return f;
    if (name.startsWith('indicator.') && this.indicators.has(name.slice('indicator.'.length)))
      return INDICATOR_FIELD;
    return null;
  }

  private fieldNames(): string[] {
    return [...Object.keys(FIELDS), ...[...this.indicators].map((i) => `indicator.${i}`)];
  }

  condition(node: unknown, path: string, depth: number): boolean {
    if (depth > MAX_DEPTH) return this.err(path, `conditions nested deeper than ${MAX_DEPTH}`);
    if (!isObject(node)) return this.err(path, `expected a condition object, got ${typeOfValue(node)}`);
    const keys = Object.keys(node);
    for (const k of ['all', 'any'] as const) {
      if (k in node) {
        if (keys.length !== 1)
          return this.err(path, `'${k}' must be the only key (found ${keys.join(', ')})`);
        const list = node[k];
        if (!Array.isArray(list) || list.length === 0)
          return this.err(`${path}.${k}`, 'expected a non-empty array of conditions');
        list.forEach((c, i) => {
          this.condition(c, `${path}.${k}[${i}]`, depth + 1);
        });
        return true;
      }
    }
    if ('not' in node) {
      if (keys.length !== 1) return this.err(path, `'not' must be the only key (found ${keys.join(', ')})`);
      return this.condition(node.not, `${path}.not`, depth + 1);
    }
    if (!('field' in node)) {
      const hint = suggest(keys[0] ?? '', ['all', 'any', 'not', 'field']);
      return this.err(
        path,
        `expected 'all', 'any', 'not' or 'field'${keys[0] ? `, found '${keys[0]}'` : ''}${hint ? ` (did you mean '${hint}'?)` : ''}`,
      );
    }
    const name = node.field;
    if (typeof name !== 'string') return this.err(`${path}.field`, 'expected a field name');
    const def = this.field(name);
    if (def === null) {
      const hint = suggest(name, this.fieldNames());
      return this.err(`${path}.field`, `unknown field '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
    const ops = keys.filter((k) => k !== 'field');
    if (ops.length !== 1) {
      return this.err(
        path,
        ops.length === 0
          ? 'missing an operator (eq, in, gt, matches, inList…)'
          : `one operator per comparison (found ${ops.join(', ')})`,
      );
    }
    const op = ops[0] as string;
    if (!(COMPARISON_OPS as readonly string[]).includes(op)) {
      const hint = suggest(op, COMPARISON_OPS);
      return this.err(`${path}.${op}`, `unknown operator '${op}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
    return this.comparison(name, def, op as ComparisonOp, node[op], `${path}.${op}`);
  }

  private comparison(name: string, def: FieldDef, op: ComparisonOp, value: unknown, path: string): boolean {
    const elem: FieldType = def.type === 'string[]' ? 'string' : def.type;
    const scalarOk = (v: unknown, p: string): boolean => {
      if (typeof v !== elem) {
        this.err(p, `field '${name}' is ${elem === 'string' ? 'text' : `a ${elem}`}; got ${typeOfValue(v)}`);
        return false;
      }
      if (def.values && typeof v === 'string' && !def.values.includes(v)) {
        const hint = suggest(v, def.values);
        this.err(
          p,
          `'${v}' is not a value of '${name}' (${def.values.join(', ')})${hint ? `; did you mean '${hint}'?` : ''}`,
        );
        return false;
      }
      return true;
    };
    switch (op) {
      case 'exists':
        if (typeof value !== 'boolean') this.err(path, 'expected true or false');
        return true;
      case 'eq':
      case 'ne':
        scalarOk(value, path);
        return true;
      case 'in':
      case 'notIn':
        if (!Array.isArray(value) || value.length === 0) return this.err(path, 'expected a non-empty array');
        if (value.length > MAX_IN_VALUES) return this.err(path, `at most ${MAX_IN_VALUES} values`);
        value.forEach((v, i) => {
          scalarOk(v, `${path}[${i}]`);
        });
        return true;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        if (def.type !== 'number')
          return this.err(path, `'${op}' needs a numeric field; '${name}' is ${def.type}`);
        if (typeof value !== 'number' || !Number.isFinite(value)) this.err(path, 'expected a number');
        return true;
      case 'matches': {
        if (elem !== 'string')
          return this.err(path, `'matches' needs a text field; '${name}' is ${def.type}`);
        if (typeof value !== 'string') return this.err(path, 'expected a pattern (text)');
        const reason = unsafePatternReason(value);
        if (reason !== null) this.err(path, `pattern not allowed: ${reason}`);
        return true;
      }
      case 'inList': {
        if (elem !== 'string') return this.err(path, `'inList' needs a text field; '${name}' is ${def.type}`);
        if (typeof value !== 'string') return this.err(path, 'expected a list name');
        if (!this.lists.has(value)) {
          const hint = suggest(value, this.lists);
          this.err(path, `unknown list '${value}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
        }
        return true;
      }
    }
    return true;
  }
}

const INDICATOR_FIELD: FieldDef = { type: 'boolean', fold: 'none', doc: 'indicator fired', get: () => null };

/* ------------------------------------------------------------------------------------------ */
/* Compilation                                                                                  */
/* ------------------------------------------------------------------------------------------ */

export type Predicate = (s: Subject) => boolean;

export interface CompiledRule {
  id: string;
  version: number;
  name: string;
  description: string;
  weight: number;
  /** Ports of discharge the rule applies to (null: all). */
  ports: ReadonlySet<string> | null;
  /** Countries of discharge the rule applies to (null: all). */
  countries: ReadonlySet<string> | null;
  validFrom: number;
  validTo: number;
  test: Predicate;
}

export interface CompiledRuleSet {
  version: number;
  /** sha256 of the canonical document (first 16 hex digits): which exact rules produced a score. */
  hash: string;
  /** The indicator order `indicator.<id>` fields were compiled against (the scorer must match). */
  indicatorIds: readonly string[];
  rules: readonly CompiledRule[];
}

/** Validates (again, cheaply) and compiles a rule set into closures. */
export function compileRuleSet(doc: RuleSetDoc, options: RuleCompileOptions = {}): CompiledRuleSet {
  const valid = validateRuleSet(doc, options);
  const lists = new Map<string, readonly string[]>(Object.entries(BUILTIN_LISTS));
  for (const [k, v] of Object.entries(valid.lists ?? {})) lists.set(k, v);
  const indicatorIndex = new Map((options.indicatorIds ?? []).map((id, i) => [id, i]));
  const c = new Compiler(lists, indicatorIndex);
  return {
    version: valid.version,
    hash: createHash('sha256').update(canonicalJson(valid)).digest('hex').slice(0, 16),
    indicatorIds: [...(options.indicatorIds ?? [])],
    rules: valid.rules.map((r) => ({
      id: r.id,
      version: r.version,
      name: r.name,
      description: r.description,
      weight: r.weight,
      ports: r.scope?.ports ? new Set(r.scope.ports) : null,
      countries: r.scope?.countries ? new Set(r.scope.countries) : null,
      validFrom: r.validFrom ? Date.parse(r.validFrom) : Number.NEGATIVE_INFINITY,
      validTo: r.validTo ? Date.parse(r.validTo) : Number.POSITIVE_INFINITY,
      test: c.condition(r.when),
    })),
  };
}

class Compiler {
  constructor(
    private readonly lists: Map<string, readonly string[]>,
    private readonly indicators: Map<string, number>,
  ) {}

  condition(node: Condition): Predicate {
    if ('all' in node) {
      const parts = node.all.map((n) => this.condition(n));
      if (parts.length === 1) return parts[0] as Predicate;
      if (parts.length === 2) {
        const [a, b] = parts as [Predicate, Predicate];
        return (s) => a(s) && b(s);
      }
      return (s) => {
        for (const p of parts) if (!p(s)) return false;
        return true;
      };
    }
    if ('any' in node) {
      const parts = node.any.map((n) => this.condition(n));
      if (parts.length === 1) return parts[0] as Predicate;
      return (s) => {
        for (const p of parts) if (p(s)) return true;
        return false;
      };
    }
    if ('not' in node) {
      const inner = this.condition(node.not);
      return (s) => !inner(s);
    }
    return this.comparison(node);
  }

  private comparison(node: { field: string } & Partial<Record<ComparisonOp, unknown>>): Predicate {
    const name = node.field;
    const op = Object.keys(node).find((k) => k !== 'field') as ComparisonOp;
    const value = node[op];
    if (name.startsWith('indicator.')) {
      const idx = this.indicators.get(name.slice('indicator.'.length)) ?? -1;
      const get = (s: Subject) => (s.strengths[idx] ?? 0) > 0;
      return scalarPredicate(op, value, (s) => get(s), 'boolean');
    }
    const def = FIELDS[name] as FieldDef;
    const fold = (v: unknown) => foldLiteral(v, def.fold);
    switch (op) {
      case 'exists': {
        const want = value === true;
        return (s) => (def.get(s) !== null) === want;
      }
      case 'matches': {
        const re = compileSafePattern(value as string);
        return anyElement(def, (v) => typeof v === 'string' && re.test(v), false);
      }
      case 'inList': {
        const set = new Set((this.lists.get(value as string) ?? []).map((x) => foldLiteral(x, def.fold)));
        return anyElement(def, (v) => set.has(v as string), false);
      }
      case 'in':
      case 'notIn': {
        const set = new Set((value as unknown[]).map(fold));
        return anyElement(def, (v) => set.has(v as Scalar), op === 'notIn');
      }
      case 'eq':
      case 'ne': {
        const lit = fold(value);
        return anyElement(def, (v) => v === lit, op === 'ne');
      }
      default:
        return scalarPredicate(op, value, def.get, def.type);
    }
  }
}

/**
 * On list fields, positive operators hold when any element satisfies them and negative ones
 * (`ne`, `notIn`) when no element does. A missing value (null) satisfies nothing.
 */
function anyElement(def: FieldDef, test: (v: FieldValue) => boolean, negate: boolean): Predicate {
  const get = def.get;
  if (def.type === 'string[]') {
    return (s) => {
      const arr = get(s) as readonly string[] | null;
      if (arr === null) return false;
      for (const v of arr) if (test(v)) return !negate;
      return negate;
    };
  }
  return (s) => {
    const v = get(s);
    if (v === null) return false;
    return test(v) !== negate;
  };
}

function scalarPredicate(
  op: ComparisonOp,
  value: unknown,
  get: (s: Subject) => FieldValue,
  type: FieldType,
): Predicate {
  if (type === 'boolean') {
    const want = value === true;
    if (op === 'eq') return (s) => get(s) === want;
    if (op === 'ne') return (s) => get(s) !== want && get(s) !== null;
    if (op === 'in' || op === 'notIn') {
      const set = new Set(value as boolean[]);
      return (s) => {
        const v = get(s);
        return v !== null && set.has(v as boolean) !== (op === 'notIn');
      };
    }
    if (op === 'exists') return (s) => (get(s) !== null) === want;
  }
  const n = value as number;
  const num = (s: Subject): number => {
    const v = get(s);
    return typeof v === 'number' ? v : Number.NaN; // NaN compares false: missing satisfies nothing
  };
  switch (op) {
    case 'gt':
      return (s) => num(s) > n;
    case 'gte':
      return (s) => num(s) >= n;
    case 'lt':
      return (s) => num(s) < n;
    case 'lte':
      return (s) => num(s) <= n;
    default:
      throw new Error(`unreachable operator ${op}`);
  }
}

function foldLiteral(v: unknown, fold: Fold): Scalar {
  if (typeof v !== 'string') return v as Scalar;
  if (fold === 'upper') return v.replace(/\s+/g, '').toUpperCase();
  if (fold === 'company') {
    const r = normalizeCompanyName(v);
    return r.ok ? r.value : v.toLowerCase();
  }
  return v;
}

/* ------------------------------------------------------------------------------------------ */
/* Versioning                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/** JSON with sorted keys (for hashing and for comparing rule content). */
export function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (isObject(x)) {
    return `{${Object.keys(x)
      .sort()
      .filter((k) => x[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(x[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x);
}

export interface RuleSetRevision {
  ruleSet: RuleSetDoc;
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * Assigns versions to a proposed rule set relative to the one in force: a rule whose content
 * (anything but its version) changed gets the previous version + 1, a new rule version 1, an
 * unchanged rule keeps its version; the set's version goes up by one when anything changed
 * (rules or lists). A version written in the proposal is kept only when it is higher.
 */
export function reviseRuleSet(previous: RuleSetDoc | null, proposed: RuleSetDoc): RuleSetRevision {
  const before = new Map((previous?.rules ?? []).map((r) => [r.id, r]));
  const content = (r: RuleDoc) => canonicalJson({ ...r, version: undefined });
  const added: string[] = [];
  const changed: string[] = [];
  const rules = proposed.rules.map((r) => {
    const old = before.get(r.id);
    if (old === undefined) {
      added.push(r.id);
      return { ...r, version: Math.max(1, r.version) };
    }
    if (content(old) === content(r)) return { ...r, version: old.version };
    changed.push(r.id);
    return { ...r, version: Math.max(old.version + 1, r.version) };
  });
  const ids = new Set(proposed.rules.map((r) => r.id));
  const removed = [...before.keys()].filter((id) => !ids.has(id));
  const listsChanged = canonicalJson(previous?.lists ?? {}) !== canonicalJson(proposed.lists ?? {});
  const any = added.length + changed.length + removed.length > 0 || listsChanged || previous === null;
  const prevVersion = previous?.version ?? 0;
  return {
    ruleSet: { ...proposed, rules, version: any ? Math.max(prevVersion + 1, proposed.version) : prevVersion },
    added,
    changed,
    removed,
  };
}
