/**
 * PortShield item <-> STIX 2.1 bundle (OASIS "STIX Version 2.1", OASIS
 * Standard, 10 June 2021; cited as [STIX] with section numbers).
 *
 * Import reads what a PortShield item can hold and ignores the rest (attack
 * patterns, relationships, threat actors, unknown and custom types) without
 * failing. STIX 2.0 is refused: its objects lack the 2.1 properties this code
 * relies on, and silently half-reading it would be worse than saying so.
 */
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import {
  dedupeObservables,
  type HandlingCode,
  type InterchangeItem,
  type InterchangeObservable,
  importFailed,
  isObservableType,
  issuesToDetails,
  joinPath,
  normaliseIso,
  type ObservableType,
  uuidV5,
} from './interchange.ts';
import { exportableItemTags, kindFromTags, kindTag } from './misp.ts';
import {
  assertExportable,
  emptySignals,
  evaluationTags,
  HANDLING_CODE_PRECEDENCE,
  HANDLING_CODE_STATEMENTS,
  handlingCodeToTag,
  type MarkingSignals,
  mergeSignals,
  resolveMarking,
  scanMarkingTags,
  stixTlpMarkingDefinition,
  tlpFromStixMarkingDefinition,
  tlpFromStixMarkingId,
  tlpToStixMarkingId,
} from './tlp.ts';

export const STIX_20_REJECTED = 'STIX 2.0 is not supported; convert to 2.1';

/** [STIX] §6: the STIX Cyber-observable Object types. Their spec_version is optional (§6.1). */
const SCO_TYPES = new Set([
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
]);

/**
 * PortShield's custom SCO for observables STIX has no object for (containers,
 * B/Ls, vessels, IBANs, wallets, ...). [STIX] §11.2 custom objects: the type
 * starts with `x-` and the object carries `spec_version`. Custom objects are
 * deprecated in 2.1 in favour of extension definitions (§7.3) but remain valid;
 * an extension definition would make receivers fetch and trust a schema we
 * would have to host, for four properties.
 * Properties: observable_type (a PortShield ObservableType), value, to_ids,
 * comment (optional).
 */
export const CUSTOM_OBSERVABLE_TYPE = 'x-portshield-observable';

/** [STIX] §2.9: namespace for deterministic SCO identifiers (UUIDv5). */
const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** `created` of PortShield-defined marking and identity objects, which never change. */
const FIXED_CREATED = '2024-01-01T00:00:00.000Z';

// ---------------------------------------------------------------------------
// Handling codes as STIX statement markings ([STIX] §7.2.1.3)
// ---------------------------------------------------------------------------

/**
 * Deterministic id of the statement marking for a Europol handling code.
 * Marking definitions cannot be versioned ([STIX] §7.2.1), so each code has
 * exactly one object, the same in every bundle.
 */
export function handlingCodeMarkingId(code: HandlingCode): string {
  return `marking-definition--${uuidV5(`stix/marking-definition/europol-handling-code/${code}`)}`;
}

export function handlingCodeMarkingDefinition(code: HandlingCode): Record<string, unknown> {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: handlingCodeMarkingId(code),
    created: FIXED_CREATED,
    name: handlingCodeToTag(code),
    definition_type: 'statement',
    definition: { statement: HANDLING_CODE_STATEMENTS[code] },
  };
}

const HANDLING_BY_MARKING_ID: ReadonlyMap<string, HandlingCode> = new Map(
  HANDLING_CODE_PRECEDENCE.map((c) => [handlingCodeMarkingId(c), c] as const),
);

function handlingCodeFromMarking(id: string, object: StixObject | undefined): HandlingCode | null {
  const known = HANDLING_BY_MARKING_ID.get(id);
  if (known) return known;
  if (!object) return null;
  // Another producer's statement marking in PortShield's tag form, e.g. name `europol:handling-code="H2"`.
  const name = typeof object.name === 'string' ? object.name : '';
  return scanMarkingTags([name]).signals.handlingCodes[0] ?? null;
}

// ---------------------------------------------------------------------------
// Schemas (loose: STIX objects routinely carry more than we read)
// ---------------------------------------------------------------------------

const stringList = z.array(z.string());
const common = {
  type: z.string().min(1, 'type is empty'),
  id: z.string({ error: 'id is required (a string)' }).min(1, 'id is empty'),
  spec_version: z.string().optional(),
  created: z.string().optional(),
  created_by_ref: z.string().optional(),
  labels: stringList.optional(),
  object_marking_refs: stringList.optional(),
  granular_markings: z.array(z.looseObject({ marking_ref: z.string().optional() })).optional(),
};
const objectSchema = z.looseObject(common);
type StixObject = z.infer<typeof objectSchema>;

const bundleSchema = z.looseObject({
  type: z.literal('bundle', { error: "type must be 'bundle'" }),
  id: z.string().regex(/^bundle--/, "id must start with 'bundle--'"),
  spec_version: z.string().optional(),
  objects: z.array(z.unknown(), { error: 'objects must be an array' }).optional(),
});

const indicatorSchema = z.looseObject({
  ...common,
  name: z.string().optional(),
  description: z.string().optional(),
  pattern: z.string({ error: 'pattern is required (a string)' }),
  pattern_type: z.string().optional(),
});
const reportSchema = z.looseObject({
  ...common,
  name: z.string().optional(),
  description: z.string().optional(),
  published: z.string().optional(),
  object_refs: stringList.optional(),
});
const identitySchema = z.looseObject({ ...common, name: z.string().optional() });
const noteSchema = z.looseObject({
  ...common,
  content: z.string().optional(),
  object_refs: stringList.optional(),
});
const valueScoSchema = z.looseObject({ type: z.string(), id: z.string().optional(), value: z.string() });
const fileScoSchema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  name: z.string().optional(),
  hashes: z.record(z.string(), z.string()).optional(),
});
const customObservableSchema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  observable_type: z.string(),
  value: z.string(),
  to_ids: z.boolean().optional(),
  comment: z.string().optional(),
});
const observedDataSchema = z.looseObject({
  ...common,
  objects: z.record(z.string(), z.unknown()).optional(),
});

function parseAt<T>(schema: z.ZodType<T>, value: unknown, path: string, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw importFailed(`Invalid STIX ${what}`, issuesToDetails(result.error.issues, path));
  return result.data;
}

// ---------------------------------------------------------------------------
// Patterns ([STIX] §9)
// ---------------------------------------------------------------------------

type Token =
  | { kind: 'path'; objectType: string; property: string; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'other' };

// An object path: `type:prop(.prop | .'quoted prop' | [n] | [*])*` (§9.2).
const PATH_RE =
  /[a-z0-9][a-z0-9-]*:(?:[A-Za-z0-9_-]+|'(?:[^'\\]|\\.)*')(?:\.(?:[A-Za-z0-9_-]+|'(?:[^'\\]|\\.)*')|\[(?:\*|\d+)\])*/y;
const STRING_RE = /'((?:[^'\\]|\\.)*)'/y;
const TYPED_LITERAL_RE = /[thb]'(?:[^'\\]|\\.)*'/y; // timestamp, hex, binary constants
const WORD_RE = /[A-Za-z_]+/y;
const NUMBER_RE = /[-+]?\d+(?:\.\d+)?/y;
const OP_RE = /!=|<=|>=|=|<|>/y;
const PUNCT_RE = /[[\](),]/y;

function tokenize(pattern: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  const at = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(pattern);
    if (!m) return null;
    i = re.lastIndex;
    return m[0];
  };
  while (i < pattern.length) {
    if (/\s/.test(pattern[i] ?? '')) {
      i++;
      continue;
    }
    let text = at(PATH_RE);
    if (text !== null) {
      const colon = text.indexOf(':');
      const property = text
        .slice(colon + 1)
        .replace(/'((?:[^'\\]|\\.)*)'/g, (_, q: string) => unescapeLiteral(q));
      tokens.push({ kind: 'path', objectType: text.slice(0, colon), property, text });
      continue;
    }
    if (at(TYPED_LITERAL_RE) !== null) {
      tokens.push({ kind: 'other' });
      continue;
    }
    STRING_RE.lastIndex = i;
    const s = STRING_RE.exec(pattern);
    if (s) {
      i = STRING_RE.lastIndex;
      tokens.push({ kind: 'string', value: unescapeLiteral(s[1] ?? '') });
      continue;
    }
    text = at(WORD_RE);
    if (text !== null) {
      tokens.push({ kind: 'word', value: text.toUpperCase() });
      continue;
    }
    text = at(OP_RE);
    if (text !== null) {
      tokens.push({ kind: 'op', value: text });
      continue;
    }
    if (at(NUMBER_RE) !== null || at(PUNCT_RE) !== null) {
      tokens.push({ kind: 'other' });
      continue;
    }
    return null; // not a STIX pattern we can read
  }
  return tokens;
}

/** §9.3 string literals: `\'` and `\\` are the only escapes. */
function unescapeLiteral(s: string): string {
  return s.replace(/\\(['\\])/g, '$1');
}

function escapeLiteral(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

export interface PatternComparison {
  objectType: string;
  /** Property path with quotes removed, e.g. `hashes.SHA-256`. */
  property: string;
  /** `=`, `IN`, `MATCHES`, `LIKE`, `ISSUBSET`, ... */
  operator: string;
  values: string[];
}

const COMPARISON_WORDS = new Set(['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

/**
 * The positive comparisons against string constants in a STIX pattern,
 * whatever the AND / OR / FOLLOWEDBY structure around them. Negated
 * comparisons (`NOT`, `!=`) and comparisons against non-string constants
 * (numbers, timestamps, binary) say nothing an observable can hold and are
 * skipped. Returns null when the text cannot be tokenised.
 */
export function patternComparisons(pattern: string): PatternComparison[] | null {
  const tokens = tokenize(pattern);
  if (!tokens) return null;
  const out: PatternComparison[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const path = tokens[i];
    if (path?.kind !== 'path') continue;
    let j = i + 1;
    let negated = false;
    if (tokens[j]?.kind === 'word' && (tokens[j] as { value: string }).value === 'NOT') {
      negated = true;
      j++;
    }
    const opToken = tokens[j];
    let operator: string | null = null;
    if (opToken?.kind === 'op') operator = opToken.value;
    else if (opToken?.kind === 'word' && COMPARISON_WORDS.has(opToken.value)) operator = opToken.value;
    if (!operator) continue;
    const values: string[] = [];
    const first = tokens[j + 1];
    if (operator === 'IN') {
      // ( 'a', 'b', ... )
      for (let k = j + 2; k < tokens.length; k++) {
        const t = tokens[k];
        if (t?.kind === 'string') values.push(t.value);
        else if (t?.kind !== 'other') break; // commas are 'other'; ')' is too, so stop at the next path/word/op
      }
    } else if (first?.kind === 'string') {
      values.push(first.value);
    }
    if (negated || operator === '!=' || values.length === 0 || ['<', '>', '<=', '>='].includes(operator))
      continue;
    out.push({ objectType: path.objectType, property: path.property, operator, values });
  }
  return out;
}

const HASH_PROPERTY_RE = /^hashes\.(MD5|SHA-?1|SHA-?256|SHA-?512)$/i;
const EMAIL_REF_RE = /^(?:from_ref|sender_ref|(?:to|cc|bcc)_refs\[(?:\*|\d+)\])\.value$/;

/** The ObservableType an exact-value comparison on this path gives, or null. */
function typeForPath(objectType: string, property: string): ObservableType | null {
  if ((objectType === 'ipv4-addr' || objectType === 'ipv6-addr') && property === 'value') return 'ip';
  if (objectType === 'domain-name' && property === 'value') return 'domain';
  if (objectType === 'url' && property === 'value') return 'url';
  if (objectType === 'email-addr' && property === 'value') return 'email';
  if (objectType === 'email-message' && EMAIL_REF_RE.test(property)) return 'email';
  if (objectType === 'file' && property === 'name') return 'filename';
  if (objectType === 'file' && HASH_PROPERTY_RE.test(property)) return 'hash';
  return null;
}

/**
 * Observables one indicator yields. Exact comparisons (`=`, `IN`) on the
 * paths typeForPath knows give typed observables. Every other positive
 * string comparison (`email-message:subject MATCHES '...'`, unknown paths)
 * gives an `other` whose comment names the path and operator, so a regex is
 * never mistaken for a value. All are toIds: an indicator exists to detect.
 */
function indicatorObservables(comparisons: readonly PatternComparison[], description: string | undefined) {
  const out: InterchangeObservable[] = [];
  for (const c of comparisons) {
    const exact = c.operator === '=' || c.operator === 'IN';
    const mapped = exact ? typeForPath(c.objectType, c.property) : null;
    for (const value of c.values) {
      if (!value.trim()) continue;
      if (mapped) {
        out.push(
          description
            ? { type: mapped, value, comment: description, toIds: true }
            : { type: mapped, value, toIds: true },
        );
      } else {
        const what = `STIX pattern: ${c.objectType}:${c.property} ${c.operator}`;
        out.push({
          type: 'other',
          value,
          comment: description ? `${what} - ${description}` : what,
          toIds: true,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// SCOs
// ---------------------------------------------------------------------------

const HASH_KEY_RE = /^(?:MD5|SHA-?1|SHA-?256|SHA-?512)$/i;

function scoObservables(object: unknown, path: string, comment: string | undefined): InterchangeObservable[] {
  const type = (object as { type?: unknown }).type;
  const make = (t: ObservableType, value: string): InterchangeObservable =>
    comment === undefined ? { type: t, value, toIds: false } : { type: t, value, comment, toIds: false };
  switch (type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
    case 'domain-name':
    case 'url':
    case 'email-addr': {
      const sco = parseAt(valueScoSchema, object, path, String(type));
      const t: ObservableType =
        type === 'domain-name' ? 'domain' : type === 'url' ? 'url' : type === 'email-addr' ? 'email' : 'ip';
      return sco.value.trim() ? [make(t, sco.value)] : [];
    }
    case 'file': {
      const sco = parseAt(fileScoSchema, object, path, 'file');
      const out: InterchangeObservable[] = [];
      if (sco.name?.trim()) out.push(make('filename', sco.name));
      for (const [algorithm, value] of Object.entries(sco.hashes ?? {})) {
        if (HASH_KEY_RE.test(algorithm) && value.trim()) out.push(make('hash', value));
      }
      return out;
    }
    case CUSTOM_OBSERVABLE_TYPE: {
      const sco = parseAt(customObservableSchema, object, path, CUSTOM_OBSERVABLE_TYPE);
      const t = isObservableType(sco.observable_type) ? sco.observable_type : 'other';
      const c = sco.comment ?? comment;
      const o: InterchangeObservable = { type: t, value: sco.value, toIds: sco.to_ids === true };
      if (c !== undefined) o.comment = c;
      return sco.value.trim() ? [o] : [];
    }
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Refuse STIX 2.0 and any other version but 2.1 ([STIX] §3.2 spec_version, §8 bundle). */
function assertStix21(bundle: Record<string, unknown>, objects: readonly unknown[]): void {
  // 2.1 removed spec_version from the bundle; a 2.0 bundle states it there.
  if (bundle.spec_version === '2.0') {
    throw importFailed(STIX_20_REJECTED, [
      { path: 'spec_version', message: "Bundle declares spec_version '2.0'" },
    ]);
  }
  objects.forEach((o, i) => {
    if (!isRecord(o)) return;
    const v = o.spec_version;
    const type = typeof o.type === 'string' ? o.type : '';
    // §3.2: "If objects are found where this property is not present, the
    // implicit value for all STIX Objects other than SCOs is 2.0."
    const implicit20 = v === undefined && !SCO_TYPES.has(type) && !type.startsWith('x-');
    if (v === '2.0' || implicit20) {
      throw importFailed(STIX_20_REJECTED, [
        {
          path: joinPath('objects', i, 'spec_version'),
          message:
            v === undefined
              ? `${type || 'object'} has no spec_version, so it is STIX 2.0`
              : "spec_version is '2.0'",
        },
      ]);
    }
    if (v !== undefined && v !== '2.1') {
      throw importFailed(`STIX ${String(v)} is not supported; convert to 2.1`, [
        {
          path: joinPath('objects', i, 'spec_version'),
          message: `Unsupported spec_version ${JSON.stringify(v)}`,
        },
      ]);
    }
  });
}

/**
 * Read a STIX 2.1 bundle.
 * - title: the first report's name, else the first indicator's name, else
 *   `STIX bundle <id>`; body: the report's description.
 * - observables: from indicators with `pattern_type: "stix"` (see
 *   patternComparisons / indicatorObservables; toIds true) and from SCOs in
 *   the bundle or in an observed-data's deprecated `objects` (ipv4/ipv6,
 *   domain-name, url, email-addr, file name and MD5/SHA-1/SHA-256/SHA-512,
 *   PortShield's custom SCO; toIds from the object, false for standard
 *   SCOs). A note with one object_ref to an SCO gives that SCO's comment.
 * - marking: every object_marking_refs and granular marking_ref in the
 *   bundle, resolved by well-known id (TLP 1.0 and 2.0, PortShield handling
 *   codes) or by the marking-definition object when it is present, plus
 *   marking labels (tlp:..., europol:..., admiralty-scale:...) on any object.
 *   Most restrictive wins; default AMBER. References to markings neither
 *   known nor in the bundle are ignored.
 * - tags: the non-marking labels of report objects.
 * - source: the name of the identity that created the report (or else the
 *   first indicator), else of the first identity in the bundle.
 * - createdAt: the report's published (or created), else the first
 *   indicator's created.
 */
export function parseStixBundle(json: unknown): InterchangeItem {
  if (!isRecord(json)) {
    throw importFailed('A STIX bundle must be a JSON object', [
      { path: '(root)', message: 'Expected an object' },
    ]);
  }
  if (json.spec_version === '2.0') assertStix21(json, []);
  const bundle = parseAt(bundleSchema, json, '', 'bundle');
  const rawObjects = bundle.objects ?? [];
  assertStix21(json, rawObjects);

  const objects: StixObject[] = rawObjects.map((o, i) =>
    parseAt(objectSchema, o, joinPath('objects', i), 'object'),
  );
  const byId = new Map<string, StixObject>();
  for (const o of objects) if (!byId.has(o.id)) byId.set(o.id, o);

  // Marking evidence from every object.
  const signals: MarkingSignals = emptySignals();
  const labelSignals: MarkingSignals[] = [];
  for (const o of objects) {
    const refs = [
      ...(o.object_marking_refs ?? []),
      ...(o.granular_markings ?? []).flatMap((g) => g.marking_ref ?? []),
    ];
    for (const ref of refs) {
      const definition = byId.get(ref);
      const tlp = tlpFromStixMarkingId(ref) ?? (definition ? tlpFromStixMarkingDefinition(definition) : null);
      if (tlp) signals.tlps.push(tlp);
      const code = handlingCodeFromMarking(ref, definition);
      if (code) signals.handlingCodes.push(code);
    }
    if (o.type !== 'report' && o.labels) labelSignals.push(scanMarkingTags(o.labels).signals);
  }

  // Comments for SCOs from single-target notes.
  const noteFor = new Map<string, string>();
  objects.forEach((o, i) => {
    if (o.type !== 'note') return;
    const note = parseAt(noteSchema, rawObjects[i], joinPath('objects', i), 'note');
    const target = note.object_refs?.length === 1 ? note.object_refs[0] : undefined;
    if (target && note.content?.trim() && !noteFor.has(target)) noteFor.set(target, note.content);
  });

  const observables: InterchangeObservable[] = [];
  const reports: z.infer<typeof reportSchema>[] = [];
  const indicators: z.infer<typeof indicatorSchema>[] = [];
  objects.forEach((o, i) => {
    const path = joinPath('objects', i);
    const raw = rawObjects[i];
    if (o.type === 'indicator') {
      const indicator = parseAt(indicatorSchema, raw, path, 'indicator');
      indicators.push(indicator);
      if ((indicator.pattern_type ?? 'stix') !== 'stix') return; // snort, yara, sigma...: not ours to read
      const comparisons = patternComparisons(indicator.pattern) ?? [];
      const description = indicator.description?.trim() ? indicator.description.trim() : undefined;
      observables.push(...indicatorObservables(comparisons, description));
    } else if (o.type === 'report') {
      reports.push(parseAt(reportSchema, raw, path, 'report'));
    } else if (o.type === 'observed-data') {
      const od = parseAt(observedDataSchema, raw, path, 'observed-data');
      for (const [key, sco] of Object.entries(od.objects ?? {})) {
        if (isRecord(sco))
          observables.push(...scoObservables(sco, joinPath(path, 'objects', key), undefined));
      }
    } else if (SCO_TYPES.has(o.type) || o.type === CUSTOM_OBSERVABLE_TYPE) {
      observables.push(...scoObservables(raw, path, noteFor.get(o.id)));
    }
  });

  const report = reports[0];
  const reportLabels = reports.flatMap((r) => r.labels ?? []);
  const scan = scanMarkingTags(reportLabels);
  if (scan.invalid.length > 0) {
    throw importFailed(
      'Bundle carries a handling restriction PortShield cannot read',
      scan.invalid.map((bad) => ({ path: 'report.labels', message: bad.message })),
    );
  }
  const { marking, extraTags } = resolveMarking(mergeSignals(signals, scan.signals, ...labelSignals));
  const { kind, rest } = kindFromTags(scan.otherTags);

  const identityName = (id: string | undefined): string | null => {
    const identity = id ? byId.get(id) : undefined;
    if (identity?.type !== 'identity') return null;
    const name = identitySchema.safeParse(identity);
    return name.success ? name.data.name?.trim() || null : null;
  };
  const firstIdentity = objects.find((o) => o.type === 'identity');
  const source =
    identityName(report?.created_by_ref) ??
    identityName(indicators.find((i) => i.created_by_ref)?.created_by_ref) ??
    identityName(firstIdentity?.id);

  const title =
    report?.name?.trim() ||
    indicators.find((i) => i.name?.trim())?.name?.trim() ||
    `STIX bundle ${bundle.id}`;
  return {
    kind: kind ?? 'report',
    title,
    body: report?.description ?? '',
    marking,
    observables: dedupeObservables(observables),
    tags: [...rest, ...extraTags.filter((t) => !rest.includes(t))],
    externalId: bundle.id,
    createdAt: normaliseIso(report?.published ?? report?.created) ?? normaliseIso(indicators[0]?.created),
    source,
  };
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: Record<string, unknown>[];
}

/** [STIX] §9 pattern for an observable, or null when STIX has no object for its type. */
export function stixPatternFor(o: InterchangeObservable): string | null {
  const v = `'${escapeLiteral(o.value)}'`;
  switch (o.type) {
    case 'ip':
      return `[${o.value.includes(':') ? 'ipv6-addr' : 'ipv4-addr'}:value = ${v}]`;
    case 'domain':
      return `[domain-name:value = ${v}]`;
    case 'url':
      return `[url:value = ${v}]`;
    case 'email':
      return `[email-addr:value = ${v}]`;
    case 'filename':
      return `[file:name = ${v}]`;
    case 'hash': {
      const algorithm = hashAlgorithm(o.value);
      return algorithm ? `[file:hashes.${algorithm === 'MD5' ? 'MD5' : `'${algorithm}'`} = ${v}]` : null;
    }
    default:
      return null;
  }
}

/** [STIX] §10.5 hashing-algorithm-ov name for a hex digest, by length. */
function hashAlgorithm(value: string): string | null {
  if (!/^[0-9a-f]+$/i.test(value)) return null;
  return (
    ({ 32: 'MD5', 40: 'SHA-1', 64: 'SHA-256', 128: 'SHA-512' } as Record<number, string>)[value.length] ??
    null
  );
}

/**
 * The SCO for an observable, with the deterministic id [STIX] §2.9 asks for:
 * UUIDv5 in the STIX namespace over the type's ID-contributing properties,
 * serialised as canonical JSON (RFC 8785; for these string-only objects,
 * sorted keys and JSON.stringify give the same bytes). Null when the
 * observable has no standard SCO.
 */
function standardSco(o: InterchangeObservable): Record<string, unknown> | null {
  const withId = (type: string, contributing: Record<string, unknown>) => ({
    type,
    spec_version: '2.1',
    id: `${type}--${uuidV5(JSON.stringify(contributing), STIX_SCO_NAMESPACE)}`,
    ...contributing,
  });
  switch (o.type) {
    case 'ip':
      return withId(o.value.includes(':') ? 'ipv6-addr' : 'ipv4-addr', { value: o.value });
    case 'domain':
      return withId('domain-name', { value: o.value });
    case 'url':
      return withId('url', { value: o.value });
    case 'email':
      return withId('email-addr', { value: o.value });
    case 'filename':
      return withId('file', { name: o.value });
    case 'hash': {
      const algorithm = hashAlgorithm(o.value);
      return algorithm ? withId('file', { hashes: { [algorithm]: o.value } }) : null;
    }
    default:
      return null;
  }
}

/**
 * Write an item as a STIX 2.1 bundle:
 * - an identity for the owner organisation (created_by_ref of everything
 *   that can carry it; id derived from the organisation name so all its
 *   bundles agree);
 * - a report ([STIX] §4.16) holding title, body, labels and object_refs. A
 *   report, not a grouping or note: a PortShield alert, report or RFI is a
 *   finished, published product, which is what a report asserts; a grouping
 *   (§4.4) says only that objects share a context, and a note (§4.13) is
 *   commentary on other objects;
 * - per observable (after de-duplication), in order:
 *   * toIds === true and a STIX pattern exists: an indicator (§4.7) whose
 *     pattern is `[type:prop = 'value']` and whose description is the
 *     comment;
 *   * toIds !== true and a standard SCO exists: that SCO (§6), plus a note
 *     carrying the comment, if any. Context that was not meant for
 *     detection is not turned into an indicator at the receiver (MISP's own
 *     STIX export draws the same line on to_ids);
 *   * otherwise: an `x-portshield-observable` custom SCO (see
 *     CUSTOM_OBSERVABLE_TYPE), which carries to_ids and comment itself;
 * - the TLP 2.0 marking-definition for the item's level and, when the item
 *   has a handling code, its statement marking, referenced from every
 *   object's object_marking_refs. Evaluation (Admiralty), kind and the
 *   item's tags travel as report labels in MISP tag form.
 * Ids are UUIDv5 of the item id and the object's role, except SCO ids,
 * which §2.9 derives from content. Throws MARKING_VIOLATION for TLP:RED.
 */
export function toStixBundle(
  item: InterchangeItem & { id: string; createdAt: string; ownerOrgName: string },
): StixBundle {
  assertExportable(item.marking, 'a STIX bundle');
  const created = normaliseIso(item.createdAt);
  if (!created) {
    throw new AppError('VALIDATION_FAILED', 'createdAt is not a valid timestamp', [
      { path: 'createdAt', message: `Not an ISO 8601 timestamp: ${item.createdAt}` },
    ]);
  }
  const ownerOrgName = item.ownerOrgName.trim();
  if (!ownerOrgName) {
    throw new AppError('VALIDATION_FAILED', 'ownerOrgName is required', [
      { path: 'ownerOrgName', message: 'Required' },
    ]);
  }
  const sid = (type: string, role: string) => `${type}--${uuidV5(`${item.id}/stix/${type}/${role}`)}`;

  const markingDefinitions = [stixTlpMarkingDefinition(item.marking.tlp)];
  if (item.marking.handlingCode)
    markingDefinitions.push(handlingCodeMarkingDefinition(item.marking.handlingCode));
  const markingRefs = [
    tlpToStixMarkingId(item.marking.tlp),
    ...(item.marking.handlingCode ? [handlingCodeMarkingId(item.marking.handlingCode)] : []),
  ];

  const identity = {
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${uuidV5(`organisation/${ownerOrgName}`)}`,
    created: FIXED_CREATED,
    modified: FIXED_CREATED,
    name: ownerOrgName,
    identity_class: 'organization',
    object_marking_refs: markingRefs,
  };
  const sdoBase = {
    spec_version: '2.1',
    created,
    modified: created,
    created_by_ref: identity.id,
    object_marking_refs: markingRefs,
  };

  const contentObjects: Record<string, unknown>[] = [];
  dedupeObservables(item.observables).forEach((o, i) => {
    const pattern = stixPatternFor(o);
    const sco = o.toIds === true ? null : standardSco(o);
    if (o.toIds === true && pattern) {
      const indicator: Record<string, unknown> = {
        type: 'indicator',
        id: sid('indicator', String(i)),
        ...sdoBase,
        name: `${o.type}: ${o.value}`,
        pattern,
        pattern_type: 'stix',
        pattern_version: '2.1',
        valid_from: created,
      };
      if (o.comment) indicator.description = o.comment;
      contentObjects.push(indicator);
    } else if (sco) {
      contentObjects.push({ ...sco, object_marking_refs: markingRefs });
      if (o.comment) {
        contentObjects.push({
          type: 'note',
          id: sid('note', String(i)),
          ...sdoBase,
          content: o.comment,
          object_refs: [sco.id],
        });
      }
    } else {
      const custom: Record<string, unknown> = {
        type: CUSTOM_OBSERVABLE_TYPE,
        spec_version: '2.1',
        id: sid(CUSTOM_OBSERVABLE_TYPE, String(i)),
        observable_type: o.type,
        value: o.value,
        to_ids: o.toIds === true,
        object_marking_refs: markingRefs,
      };
      if (o.comment !== undefined) custom.comment = o.comment;
      contentObjects.push(custom);
    }
  });

  const labelsHead = [...evaluationTags(item.marking), kindTag(item.kind)];
  const labels = [...labelsHead, ...exportableItemTags(item.tags, labelsHead)];
  const report: Record<string, unknown> = {
    type: 'report',
    id: sid('report', 'item'),
    ...sdoBase,
    name: item.title,
    report_types: ['threat-report'],
    published: created,
    // §4.16: object_refs MUST hold at least one reference.
    object_refs: contentObjects.length > 0 ? contentObjects.map((o) => o.id as string) : [identity.id],
    labels,
  };
  if (item.body) report.description = item.body;

  return {
    type: 'bundle',
    id: sid('bundle', 'item'),
    objects: [...markingDefinitions, identity, report, ...contentObjects],
  };
}
