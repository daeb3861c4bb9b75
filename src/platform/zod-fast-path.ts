/**
 * A fast path for a zod schema that bulk input passes through millions of times (declarations).
 * zod stays the single source of validation: the fast path is compiled from the schema's own
 * definition, and it only ever says "exactly as given": it accepts an input when zod would return
 * that same input unchanged (no field trimmed, defaulted or otherwise transformed) and otherwise
 * answers false, so the caller asks zod, which gives the real answer and its error messages.
 * Accepting in place of zod avoids building a copy of every object, so clean input costs a walk
 * over its fields and nothing more.
 *
 * The schema becomes JavaScript source, one small function per schema node (each call site then
 * sees one shape and the engine inlines it), as JSON Schema validators such as Ajv do. It
 * understands the parts of zod the schemas here use — strict objects, strings with length,
 * pattern and ISO date/time checks and trimming, numbers and safe integers with bounds, booleans,
 * arrays, optionals, enums, unions and custom refinements (run through zod's own check functions)
 * — and refuses, when compiled, any schema that uses something else, so a schema change can never
 * make the fast path silently more permissive than zod. A property test checks it against zod.
 */
import type { z } from 'zod';

/** True when zod would accept the input and return it unchanged; false: ask zod. */
export type FastPath = (input: unknown) => boolean;

interface ZodCheckLike {
  _zod: {
    def: Record<string, unknown> & { check: string };
    check: (payload: { value: unknown; issues: unknown[] }) => unknown;
  };
}
interface ZodLike {
  _zod: { def: Record<string, unknown> & { type: string; checks?: ZodCheckLike[] } };
}

/** String formats whose whole check is their pattern (zod's ISO date, ISO date-time, regex). */
const STRING_FORMATS = new Set(['date', 'datetime', 'regex']);
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

function unsupported(what: string): never {
  throw new Error(`zod fast path: ${what} is not supported (extend zod-fast-path.ts or validate with zod)`);
}

/** Custom refinements run through zod's own check function, on a payload of our own. */
function customCheck(c: ZodCheckLike): (value: unknown) => boolean {
  if (c._zod.def.when !== undefined) unsupported('a conditional check');
  return (value) => {
    const payload = { value, issues: [] as unknown[] };
    if (c._zod.check(payload) instanceof Promise) unsupported('an asynchronous refinement');
    return payload.issues.length === 0;
  };
}

class Compiler {
  readonly consts: unknown[] = [];
  readonly functions: string[] = [];

  private constant(x: unknown): string {
    this.consts.push(x);
    return `c[${this.consts.length - 1}]`;
  }

  private pattern(re: RegExp): string {
    const r = this.constant(re);
    return re.global || re.sticky ? `(${r}.lastIndex = 0, ${r}.test(v))` : `${r}.test(v)`;
  }

  /** Emits the function checking `schema`; returns its name. */
  node(schema: ZodLike): string {
    const name = `f${this.functions.length}`;
    this.functions.push(''); // reserve the slot: nested nodes come after
    const body = this.body(schema);
    this.functions[Number(name.slice(1))] = `function ${name}(v) {\n${body}\n}`;
    return name;
  }

  private checks(kind: string, checks: readonly ZodCheckLike[]): string[] {
    return checks.map((c) => {
      const d = c._zod.def;
      switch (d.check) {
        case 'overwrite': // trim(), toLowerCase()…: clean input is what they leave unchanged
          if (kind !== 'string') unsupported(`an overwrite on ${kind}`);
          return `${this.constant(d.tx)}(v) === v`;
        case 'min_length':
          return `v.length >= ${Number(d.minimum)}`;
        case 'max_length':
          return `v.length <= ${Number(d.maximum)}`;
        case 'length_equals':
          return `v.length === ${Number(d.length)}`;
        case 'string_format':
          if (kind !== 'string' || !STRING_FORMATS.has(d.format as string))
            unsupported(`format '${String(d.format)}'`);
          return this.pattern(d.pattern as RegExp);
        case 'greater_than':
          if (kind !== 'number') unsupported(`a bound on ${kind}`);
          return `v ${d.inclusive ? '>=' : '>'} ${Number(d.value)}`;
        case 'less_than':
          if (kind !== 'number') unsupported(`a bound on ${kind}`);
          return `v ${d.inclusive ? '<=' : '<'} ${Number(d.value)}`;
        case 'custom':
          return `${this.constant(customCheck(c))}(v)`;
        default:
          return unsupported(`check '${d.check}' on ${kind}`);
      }
    });
  }

  private body(schema: ZodLike): string {
    const def = schema._zod.def;
    const checks = def.checks ?? [];
    const all = (conds: string[]) => `  return ${conds.length > 0 ? conds.join(' && ') : 'true'};`;
    switch (def.type) {
      case 'string': {
        const conds = ["typeof v === 'string'"];
        const format = def.format as string | undefined;
        if (format !== undefined) {
          // A string format schema (z.iso.date(), z.iso.datetime()) carries its pattern itself.
          if (!STRING_FORMATS.has(format)) unsupported(`string format '${format}'`);
          conds.push(this.pattern(def.pattern as RegExp));
        }
        return all([...conds, ...this.checks('string', checks)]);
      }
      case 'number': {
        const format = def.format as string | undefined;
        if (format !== undefined && format !== 'safeint') unsupported(`number format '${format}'`);
        const type =
          format === 'safeint' ? 'Number.isSafeInteger(v)' : "typeof v === 'number' && Number.isFinite(v)";
        return all([type, ...this.checks('number', checks)]);
      }
      case 'boolean':
        return all(["typeof v === 'boolean'", ...this.checks('boolean', checks)]);
      case 'enum': {
        if (checks.length > 0) unsupported('checks on an enum');
        const values = this.constant(new Set(Object.values(def.entries as Record<string, unknown>)));
        return all([`${values}.has(v)`]);
      }
      case 'optional': {
        if (checks.length > 0) unsupported('checks on an optional');
        return all([`(v === undefined || ${this.node(def.innerType as ZodLike)}(v))`]);
      }
      case 'array': {
        const element = this.node(def.element as ZodLike);
        return [
          '  if (!Array.isArray(v)) return false;',
          `  for (let i = 0; i < v.length; i++) if (!${element}(v[i])) return false;`,
          all(this.checks('array', checks)),
        ].join('\n');
      }
      case 'union': {
        if (checks.length > 0) unsupported('checks on a union');
        const options = (def.options as ZodLike[]).map((o) => `${this.node(o)}(v)`);
        return all([`(${options.join(' || ')})`]);
      }
      case 'object':
        return this.object(def, checks);
      default:
        return unsupported(`schema type '${def.type}'`);
    }
  }

  private object(def: ZodLike['_zod']['def'], checks: readonly ZodCheckLike[]): string {
    const catchall = def.catchall as ZodLike | undefined;
    if (catchall === undefined || catchall._zod.def.type !== 'never') unsupported('a non-strict object');
    const lines = [
      "  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;",
      '  let n = 0;',
    ];
    for (const [key, field] of Object.entries(def.shape as Record<string, ZodLike>)) {
      const k = JSON.stringify(key);
      const check = this.node(field);
      // A key Object.prototype also has must be the object's own (reading it may find the prototype's).
      const own = PROTOTYPE_KEYS.has(key) ? ` || !Object.hasOwn(v, ${k})` : '';
      const missing = field._zod.def.type === 'optional' ? 'x !== undefined && ' : '';
      lines.push(
        `  { const x = v[${k}]; if (${missing}(!${check}(x)${own})) return false; if (x !== undefined) n++; }`,
      );
    }
    // Strict: every own key was one of the fields read above (an own key set to undefined, which
    // zod would also take, is left to zod).
    // Counted with for…in, which the engine answers from the shape's cached key list (Object.keys
    // would build an array per object); plain objects inherit no enumerable keys.
    lines.push('  let own = 0;', '  for (const k in v) own++;', '  if (own !== n) return false;');
    for (const c of checks) {
      if (c._zod.def.check !== 'custom') unsupported(`object check '${c._zod.def.check}'`);
      lines.push(`  if (!${this.constant(customCheck(c))}(v)) return false;`);
    }
    lines.push('  return true;');
    return lines.join('\n');
  }
}

/**
 * Compiles the fast path of `schema`. It answers true only for input that zod accepts and returns
 * unchanged; false means "ask zod" (the input may still be valid, e.g. with spaces to trim).
 */
export function fastPathOf(schema: z.ZodType): FastPath {
  const compiler = new Compiler();
  const root = compiler.node(schema as unknown as ZodLike);
  const source = `${compiler.functions.join('\n')}\nreturn ${root};`;
  // The source is made only from the schema's own definition (numbers, quoted keys, and
  // references into `c`), never from input.
  return new Function('c', source)(compiler.consts) as FastPath;
}
