/**
 * Shared model for converting PortShield items to and from the two standard
 * exchange formats (MISP core format and STIX 2.1), plus the few helpers both
 * converters need (deterministic UUIDs, error shaping, de-duplication).
 *
 * Everything here is pure: no I/O, no clock, no randomness.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { ObservableType } from '../identifiers/index.ts';
import { AppError, type ErrorDetail } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';

/** TLP 2.0 levels (FIRST TLP 2.0). TLP 1.0 WHITE is read as CLEAR on import. */
export type Tlp = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';

/**
 * Europol (SIENA) handling codes. Meanings, per the Council's "Manual on Law
 * Enforcement Information Exchange" (EU doc 6261/18):
 * - H0: may only be used for preventing and combating crime, in line with the
 *   Europol Regulation and other applicable law;
 * - H1: not to be disclosed in judicial proceedings without the provider's permission;
 * - H2: not to be disseminated without the provider's permission;
 * - H3: other restrictions and comments (free text).
 */
export type HandlingCode = 'H0' | 'H1' | 'H2' | 'H3';

/** Europol Regulation art. 29(1) source evaluation (the "4x4" system). */
export type SourceReliability = 'A' | 'B' | 'C' | 'X';
/** Europol Regulation art. 29(2) information evaluation. */
export type InfoCredibility = '1' | '2' | '3' | '4';

export interface Marking {
  tlp: Tlp;
  handlingCode: HandlingCode | null;
  sourceReliability: SourceReliability | null;
  infoCredibility: InfoCredibility | null;
}

/**
 * The observable union is owned by the identifiers module; re-exported here so
 * sharing code has one import site.
 */
export type { ObservableType };

/**
 * Runtime list of every ObservableType, for validating values read from the
 * wire. Kept local (a type-only dependency on identifiers) and checked against
 * the union at compile time in both directions.
 */
export const OBSERVABLE_TYPES = [
  'container',
  'bl',
  'vessel',
  'company',
  'person',
  'phone',
  'email',
  'iban',
  'crypto',
  'plate',
  'location',
  'lei',
  'eori',
  'hs',
  'url',
  'domain',
  'ip',
  'hash',
  'filename',
  'other',
] as const satisfies readonly ObservableType[];

// Compile-time check that the list above names every member of the union.
type MissingObservableTypes = Exclude<ObservableType, (typeof OBSERVABLE_TYPES)[number]>;
const _allObservableTypesListed: MissingObservableTypes extends never ? true : never = true;
void _allObservableTypesListed;

export function isObservableType(value: string): value is ObservableType {
  return (OBSERVABLE_TYPES as readonly string[]).includes(value);
}

export interface InterchangeObservable {
  type: ObservableType;
  value: string;
  comment?: string;
  /** MISP `to_ids` / "this value is meant for detection". Undefined is exported as false. */
  toIds?: boolean;
}

export type ItemKind = 'alert' | 'report' | 'rfi';
export const ITEM_KINDS: readonly ItemKind[] = ['alert', 'report', 'rfi'];

export interface InterchangeItem {
  kind: ItemKind;
  title: string;
  /** Markdown. */
  body: string;
  marking: Marking;
  observables: InterchangeObservable[];
  /** Non-marking tags kept as-is (e.g. 'circl:incident-classification="malware"'). */
  tags: string[];
  /** MISP event uuid / STIX bundle id. */
  externalId: string | null;
  /** ISO 8601. */
  createdAt: string | null;
  /** Originating organisation name (MISP Orgc.name / STIX identity name). */
  source: string | null;
}

// ---------------------------------------------------------------------------
// Deterministic identifiers
// ---------------------------------------------------------------------------

/**
 * Namespace for every UUID PortShield derives (RFC 4122 §4.3 name-based UUIDs).
 * A fixed random value: never change it, or re-exports of the same item stop
 * producing the same ids and receivers see duplicates instead of updates.
 */
export const PORTSHIELD_UUID_NAMESPACE = '2e6d4431-f170-4845-baf1-c66d708b7f56';

export { isUuid };

/** Name-based UUID version 5 (SHA-1), RFC 4122 §4.3. */
export function uuidV5(name: string, namespace: string = PORTSHIELD_UUID_NAMESPACE): string {
  if (!isUuid(namespace)) throw new Error(`uuidV5: namespace is not a UUID: ${namespace}`);
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/** Join a JSON path the way API errors report it: `Event.Attribute.3.value`. */
export function joinPath(...parts: readonly (string | number | symbol)[]): string {
  return parts
    .map((p) => String(typeof p === 'symbol' ? p.description : p))
    .filter((p) => p !== '')
    .join('.');
}

export function importFailed(message: string, details: ErrorDetail[] = []): AppError {
  return new AppError('IMPORT_FAILED', message, details);
}

/** Turn zod issues into error details, each path prefixed with where the parsed value sits. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix: string): ErrorDetail[] {
  return issues.slice(0, 20).map((issue) => ({
    path: joinPath(prefix, ...issue.path) || '(root)',
    message: issue.message,
  }));
}

// ---------------------------------------------------------------------------
// Observables
// ---------------------------------------------------------------------------

/**
 * Drop repeated (type, value) pairs, keeping the first occurrence's comment.
 * `toIds` is true if any occurrence asked for detection: de-duplication must
 * not silently demote an indicator.
 */
export function dedupeObservables(observables: readonly InterchangeObservable[]): InterchangeObservable[] {
  const byKey = new Map<string, InterchangeObservable>();
  for (const o of observables) {
    const key = `${o.type}\u0000${o.value}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...o });
    } else {
      if (o.toIds === true) seen.toIds = true;
      if (seen.comment === undefined && o.comment !== undefined) seen.comment = o.comment;
    }
  }
  return [...byKey.values()];
}

/** Parse an ISO 8601 / RFC 3339 string to a normalised `toISOString()` form, or null. */
export function normaliseIso(value: string | undefined | null): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
