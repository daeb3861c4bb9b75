/**
 * PortShield item <-> MISP event, in the MISP core format
 * (draft-dulaunoy-misp-core-format, "MISP core format", cited below as [MISP]
 * with its section names).
 */
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import {
  dedupeObservables,
  type InterchangeItem,
  type InterchangeObservable,
  ITEM_KINDS,
  type ItemKind,
  importFailed,
  isObservableType,
  issuesToDetails,
  isUuid,
  joinPath,
  type ObservableType,
  uuidV5,
} from './interchange.ts';
import {
  assertExportable,
  markingToTags,
  mergeSignals,
  resolveMarking,
  scanMarkingTags,
  TLP_TAG_COLOURS,
  tlpFromTag,
} from './tlp.ts';

// ---------------------------------------------------------------------------
// Schemas. [MISP] represents numbers as JSON strings, but real exports (and
// PyMISP) also write numbers, so ids, distribution and timestamps accept both.
// Unknown keys are allowed everywhere: the format grows and we read a subset.
// ---------------------------------------------------------------------------

const numberish = z.union([z.string(), z.number()]);
const flag = z.union([z.boolean(), z.string(), z.number()]);

// [MISP] "Tag": name MUST be present.
const tagSchema = z.looseObject({ name: z.string({ error: 'Tag name must be a string' }) });

// [MISP] "Attribute Attributes": type, category, value and to_ids MUST be present.
// category and to_ids are read leniently (category is not used; to_ids defaults to false).
const attributeSchema = z.looseObject({
  type: z.string({ error: 'Attribute type is required (a string)' }).min(1, 'Attribute type is empty'),
  value: z.union([z.string(), z.number()], { error: 'Attribute value is required (a string)' }),
  category: z.string().optional(),
  to_ids: flag.optional(),
  comment: z.string().nullish(),
  uuid: z.string().optional(),
  deleted: flag.optional(),
  distribution: numberish.optional(),
  Tag: z.array(tagSchema, { error: 'Tag must be an array' }).optional(),
});
type MispAttribute = z.infer<typeof attributeSchema>;

// [MISP] "Object": a named group of attributes.
const objectSchema = z.looseObject({
  name: z.string().optional(),
  deleted: flag.optional(),
  distribution: numberish.optional(),
  Attribute: z.array(attributeSchema, { error: 'Attribute must be an array' }).optional(),
});

// [MISP] "EventReport": Markdown content attached to an event.
const eventReportSchema = z.looseObject({
  name: z.string().optional(),
  content: z.string({ error: 'EventReport content must be a string' }),
  deleted: flag.optional(),
});

// [MISP] "Event". uuid, info and date are MUST in the draft, but PyMISP's own
// minimal events omit them, so they are optional here with fallbacks.
const eventSchema = z.looseObject({
  uuid: z.string().optional(),
  info: z.string().optional(),
  date: z.string().optional(),
  timestamp: numberish.optional(),
  distribution: numberish.optional(),
  Orgc: z.looseObject({ name: z.string().optional(), uuid: z.string().optional() }).optional(),
  Tag: z.array(tagSchema, { error: 'Tag must be an array' }).optional(),
  Attribute: z.array(attributeSchema, { error: 'Attribute must be an array' }).optional(),
  Object: z.array(objectSchema, { error: 'Object must be an array' }).optional(),
  EventReport: z.array(eventReportSchema, { error: 'EventReport must be an array' }).optional(),
});

// ---------------------------------------------------------------------------
// PortShield machine tags (no MISP taxonomy exists for these)
// ---------------------------------------------------------------------------

/** Event tag carrying the PortShield item kind, so a round trip keeps it. */
const KIND_TAG_RE = /^\s*portshield\s*:\s*kind\s*=\s*"?(alert|report|rfi)"?\s*$/i;
export function kindTag(kind: ItemKind): string {
  return `portshield:kind="${kind}"`;
}
export function kindFromTags(tags: readonly string[]): { kind: ItemKind | null; rest: string[] } {
  let kind: ItemKind | null = null;
  const rest: string[] = [];
  for (const t of tags) {
    const m = KIND_TAG_RE.exec(t);
    const k = m?.[1]?.toLowerCase();
    if (k && (ITEM_KINDS as readonly string[]).includes(k)) kind ??= k as ItemKind;
    else rest.push(t);
  }
  return { kind, rest };
}

/**
 * Attribute tag giving the PortShield type of an observable MISP has no
 * attribute type for (container, vessel, B/L, ...): such observables are
 * exported as MISP type `other` with this tag, and read back from it.
 */
const OBSERVABLE_TYPE_TAG_RE = /^\s*portshield\s*:\s*observable-type\s*=\s*"?([a-z]+)"?\s*$/i;
function observableTypeTag(type: ObservableType): string {
  return `portshield:observable-type="${type}"`;
}

// ---------------------------------------------------------------------------
// Attribute type mapping (import)
// ---------------------------------------------------------------------------

// Only the hash types whose hex length identifies the algorithm on export
// (32/40/56/64/96/128) become `hash`; sha3-*, sha512/256 etc. would come back
// out as the wrong SHA-2 type, so they stay `other` with their MISP type.
const HASH_TYPES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

/** MISP attribute type -> PortShield observable type. Types not listed become `other`. */
const TYPE_MAP: Readonly<Record<string, ObservableType>> = {
  filename: 'filename',
  url: 'url',
  link: 'url',
  domain: 'domain',
  hostname: 'domain',
  'ip-src': 'ip',
  'ip-dst': 'ip',
  email: 'email',
  'email-src': 'email',
  'email-dst': 'email',
  'email-reply-to': 'email',
  'target-email': 'email',
  'whois-registrant-email': 'email',
  'dns-soa-email': 'email',
  'phone-number': 'phone',
  'whois-registrant-phone': 'phone',
  iban: 'iban',
  btc: 'crypto',
  xmr: 'crypto',
  dash: 'crypto',
  'full-name': 'person',
  other: 'other',
};

/** Attribute types that are prose, not observables: they go into the body. */
const BODY_TYPES = new Set(['text', 'comment']);

function mapSingleType(mispType: string): ObservableType | null {
  if (HASH_TYPES.has(mispType)) return 'hash';
  return TYPE_MAP[mispType] ?? null;
}

function otherComment(mispType: string, comment: string | undefined): string {
  return comment ? `MISP type: ${mispType} - ${comment}` : `MISP type: ${mispType}`;
}

function truthy(flagValue: boolean | string | number | undefined): boolean {
  if (typeof flagValue === 'boolean') return flagValue;
  if (typeof flagValue === 'number') return flagValue !== 0;
  if (typeof flagValue === 'string') return ['1', 'true'].includes(flagValue.trim().toLowerCase());
  return false;
}

/**
 * Observables for one attribute. Composite types ("type1|type2", value
 * "v1|v2") are split when both halves map: `filename|md5` gives a filename and
 * a hash, `domain|ip` a domain and an ip; `ip-dst|port` and `hostname|port`
 * keep the address and note the port in the comment. Anything else,
 * `regkey|value` included, becomes one `other` carrying the MISP type.
 */
function attributeToObservables(
  attr: MispAttribute,
  portshieldType: ObservableType | null,
): InterchangeObservable[] {
  const type = attr.type.trim();
  const value = String(attr.value);
  const comment = attr.comment?.trim() ? attr.comment.trim() : undefined;
  const toIds = truthy(attr.to_ids);
  const make = (t: ObservableType, v: string, c: string | undefined): InterchangeObservable =>
    c === undefined ? { type: t, value: v, toIds } : { type: t, value: v, comment: c, toIds };

  if (type === 'other' && portshieldType) return [make(portshieldType, value, comment)];

  const single = mapSingleType(type);
  if (single) return [make(single, value, comment)];

  const sep = type.indexOf('|');
  const vsep = value.indexOf('|');
  if (sep > 0 && vsep > 0) {
    const [t1, t2] = [type.slice(0, sep), type.slice(sep + 1)];
    const [v1, v2] = [value.slice(0, vsep), value.slice(vsep + 1)];
    const m1 = mapSingleType(t1);
    if (m1 && t2 === 'port') {
      return [make(m1, v1, comment ? `port ${v2} - ${comment}` : `port ${v2}`)];
    }
    const m2 = t2 === 'ip' ? 'ip' : mapSingleType(t2); // `domain|ip` names its second half plain `ip`
    if (m1 && m1 !== 'other' && m2 && m2 !== 'other') return [make(m1, v1, comment), make(m2, v2, comment)];
  }
  return [make('other', value, otherComment(type, comment))];
}

// ---------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dateToIso(date: string | undefined): string | null {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function timestampToIso(ts: string | number | undefined): string | null {
  if (ts === undefined) return null;
  const seconds = typeof ts === 'number' ? ts : /^\d+$/.test(ts.trim()) ? Number(ts.trim()) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return new Date(seconds * 1000).toISOString();
}

/**
 * Read one MISP event, wrapped (`{ "Event": {...} }`, what MISP exports) or
 * bare (the event's fields at the top level).
 *
 * - title: `info`; body: EventReport contents, then the values of `text` and
 *   `comment` attributes, as Markdown paragraphs (CRLF normalised to LF).
 * - observables: attributes at event level and inside `Object`s, mapped as
 *   described at TYPE_MAP / attributeToObservables; deleted attributes and
 *   objects are skipped ([MISP] "deleted": revoked, not actionable).
 * - marking: from TLP / handling-code / Admiralty tags on the event and on
 *   every attribute (most restrictive wins, default AMBER). MISP
 *   `distribution` is not read into the marking: it is MISP's own access
 *   control, and who receives an item is decided by PortShield.
 * - tags: the remaining event tags, then the remaining attribute tags (they
 *   describe part of the event, but an item has only one tag list and
 *   dropping them would lose them).
 * - createdAt: `timestamp` if it falls on `date`, else `date` at 00:00 UTC,
 *   else `timestamp`. source: `Orgc.name` (the creator, [MISP] "Orgc").
 */
export function parseMispEvent(json: unknown): InterchangeItem {
  if (!isRecord(json)) {
    throw importFailed('A MISP event must be a JSON object', [
      { path: '(root)', message: 'Expected an object' },
    ]);
  }
  const wrapped = 'Event' in json;
  const raw: unknown = wrapped ? json.Event : json;
  const prefix = wrapped ? 'Event' : '';
  if (!isRecord(raw)) {
    throw importFailed('Event must be a JSON object', [{ path: 'Event', message: 'Expected an object' }]);
  }
  const parsed = eventSchema.safeParse(raw);
  if (!parsed.success) {
    throw importFailed('Not a valid MISP event', issuesToDetails(parsed.error.issues, prefix));
  }
  const event = parsed.data;

  const observables: InterchangeObservable[] = [];
  const bodyParts: string[] = [];
  const attributeTags: string[] = [];
  const eventTags = (event.Tag ?? []).map((t) => t.name);

  for (const report of event.EventReport ?? []) {
    if (!truthy(report.deleted) && report.content.trim()) bodyParts.push(report.content);
  }

  const visit = (attributes: readonly MispAttribute[], path: string): void => {
    attributes.forEach((attr, i) => {
      if (truthy(attr.deleted)) return;
      const tags = (attr.Tag ?? []).map((t) => t.name);
      let portshieldType: ObservableType | null = null;
      for (const tag of tags) {
        const m = OBSERVABLE_TYPE_TAG_RE.exec(tag);
        const candidate = m?.[1]?.toLowerCase();
        if (candidate && isObservableType(candidate)) portshieldType = candidate;
        else attributeTags.push(tag);
      }
      if (BODY_TYPES.has(attr.type.trim())) {
        const text = String(attr.value).replace(/\r\n?/g, '\n').trim();
        if (text) bodyParts.push(text);
        return;
      }
      if (String(attr.value).trim() === '') {
        throw importFailed('Attribute value is empty', [
          { path: joinPath(path, i, 'value'), message: 'value MUST be present and not empty' },
        ]);
      }
      observables.push(...attributeToObservables(attr, portshieldType));
    });
  };
  visit(event.Attribute ?? [], joinPath(prefix, 'Attribute'));
  (event.Object ?? []).forEach((obj, i) => {
    if (!truthy(obj.deleted)) visit(obj.Attribute ?? [], joinPath(prefix, 'Object', i, 'Attribute'));
  });

  const allTags = [...eventTags, ...attributeTags];
  const scan = scanMarkingTags(allTags);
  if (scan.invalid.length > 0) {
    throw importFailed(
      'Event carries a handling restriction PortShield cannot read',
      scan.invalid.map((bad) => ({
        path:
          bad.index < eventTags.length
            ? joinPath(prefix, 'Tag', bad.index, 'name')
            : joinPath(prefix, 'Attribute'),
        message: bad.message,
      })),
    );
  }
  const { marking, extraTags } = resolveMarking(mergeSignals(scan.signals));
  const { kind, rest } = kindFromTags(scan.otherTags);

  const fromDate = dateToIso(event.date);
  const fromTimestamp = timestampToIso(event.timestamp);
  const createdAt =
    fromDate && fromTimestamp
      ? fromTimestamp.slice(0, 10) === event.date
        ? fromTimestamp
        : fromDate
      : (fromDate ?? fromTimestamp);

  const uuid = event.uuid?.trim() || null;
  const info = event.info?.trim();
  return {
    kind: kind ?? 'report',
    title: info || (uuid ? `MISP event ${uuid}` : 'Untitled MISP event'),
    body: bodyParts.join('\n\n'),
    marking,
    observables: dedupeObservables(observables),
    tags: [...rest, ...extraTags.filter((t) => !rest.includes(t))],
    externalId: uuid,
    createdAt,
    source: event.Orgc?.name?.trim() || null,
  };
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

export interface MispTag {
  name: string;
  colour: string;
  exportable: boolean;
}

export interface MispAttributeOut {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  comment: string;
  distribution: string;
  sharing_group_id: string;
  timestamp: string;
  deleted: boolean;
  Tag?: MispTag[];
}

export interface MispEventOut {
  Event: {
    uuid: string;
    info: string;
    date: string;
    timestamp: string;
    publish_timestamp: string;
    published: boolean;
    threat_level_id: string;
    analysis: string;
    distribution: string;
    sharing_group_id: string;
    Orgc?: { name: string; uuid: string };
    Attribute: MispAttributeOut[];
    EventReport?: {
      uuid: string;
      name: string;
      content: string;
      distribution: string;
      sharing_group_id: string;
      timestamp: string;
      deleted: boolean;
    }[];
    Tag: MispTag[];
  };
}

const HEX_RE = /^[0-9a-f]+$/i;
const HASH_BY_LENGTH: Readonly<Record<number, string>> = {
  32: 'md5',
  40: 'sha1',
  56: 'sha224',
  64: 'sha256',
  96: 'sha384',
  128: 'sha512',
};
// Address formats for the MISP btc / xmr / dash types; anything else stays `other`.
const BTC_RE = /^(?:bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$/;
const XMR_RE = /^[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?$/;
const DASH_RE = /^X[1-9A-HJ-NP-Za-km-z]{33}$/;

/**
 * MISP type and category for an observable. Each category is one the draft
 * lists as valid for the type ([MISP] "type": category-type combinations).
 * Types MISP has no attribute type for go out as `other` / `Other` with a
 * `portshield:observable-type` attribute tag.
 */
function mispTypeFor(o: InterchangeObservable): {
  type: string;
  category: string;
  tagType: ObservableType | null;
} {
  const value = o.value.trim();
  switch (o.type) {
    case 'hash': {
      const t = HEX_RE.test(value) ? HASH_BY_LENGTH[value.length] : undefined;
      return t ? { type: t, category: 'Payload delivery', tagType: null } : other('hash');
    }
    case 'filename':
      return { type: 'filename', category: 'Payload delivery', tagType: null };
    case 'url':
      return { type: 'url', category: 'Network activity', tagType: null };
    case 'domain':
      return { type: 'domain', category: 'Network activity', tagType: null };
    case 'ip':
      return { type: 'ip-dst', category: 'Network activity', tagType: null };
    case 'email':
      return { type: 'email', category: 'Network activity', tagType: null };
    case 'phone':
      return { type: 'phone-number', category: 'Other', tagType: null };
    case 'iban':
      return { type: 'iban', category: 'Financial fraud', tagType: null };
    case 'person':
      return { type: 'full-name', category: 'Person', tagType: null };
    case 'crypto':
      if (BTC_RE.test(value)) return { type: 'btc', category: 'Financial fraud', tagType: null };
      if (XMR_RE.test(value)) return { type: 'xmr', category: 'Financial fraud', tagType: null };
      if (DASH_RE.test(value)) return { type: 'dash', category: 'Financial fraud', tagType: null };
      return other('crypto');
    case 'other':
      return { type: 'other', category: 'Other', tagType: null };
    default:
      return other(o.type);
  }
}

function other(tagType: ObservableType): { type: string; category: string; tagType: ObservableType } {
  return { type: 'other', category: 'Other', tagType };
}

function tag(name: string): MispTag {
  const tlp = tlpFromTag(name);
  return { name, colour: tlp ? TLP_TAG_COLOURS[tlp] : '#808080', exportable: true };
}

function isoToDate(iso: string): Date {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new AppError('VALIDATION_FAILED', 'createdAt is not a valid timestamp', [
      { path: 'createdAt', message: `Not an ISO 8601 timestamp: ${iso}` },
    ]);
  }
  return new Date(ms);
}

/**
 * Item tags that may go out next to the marking tags: ordinary tags, and
 * handling-code tags (codes the Marking had no room for). TLP and Admiralty
 * tags are dropped, since item.marking is authoritative and they could only
 * contradict it; so are kind tags and repeats.
 */
export function exportableItemTags(tags: readonly string[], already: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const s = scanMarkingTags([t]);
    const keep = s.otherTags.length === 1 || s.signals.handlingCodes.length === 1 || s.invalid.length === 1;
    if (keep && !KIND_TAG_RE.test(t) && !already.includes(t) && !out.includes(t)) out.push(t);
  }
  return out;
}

/**
 * Write an item as a MISP event in the core format, in the shape of a MISP
 * feed export (no instance-local ids, which a receiving instance assigns).
 *
 * - uuid = item.id; attribute and report uuids are UUIDv5 of the item id.
 * - threat_level_id "4" (undefined), analysis "2" (complete), published false.
 * - distribution "0" (your organisation only) on the event and "5" (inherit)
 *   on attributes: spread between MISP instances must not happen by MISP
 *   synchronisation; which partners get an item is PortShield's decision.
 * - Tag: the marking as taxonomy tags (tlp, europol:handling-code,
 *   admiralty-scale), the kind (portshield:kind), then the item's tags.
 * - body -> one EventReport (Markdown, [MISP] "EventReport").
 * - Orgc: `ownerOrgName` when given (the organisation publishing this event),
 *   else the item's source; omitted when neither is known.
 * - to_ids is true only for observables with toIds === true.
 *
 * Throws MARKING_VIOLATION for TLP:RED. Item handling codes H2/H3 are written
 * out but not enforced here: checking the provider's permission is the
 * caller's job before anything is sent.
 */
export function toMispEvent(
  item: InterchangeItem & { id: string; ownerOrgName?: string | null },
  options: { now?: Date } = {},
): MispEventOut {
  assertExportable(item.marking, 'a MISP event');
  if (!isUuid(item.id)) {
    throw new AppError('VALIDATION_FAILED', 'Item id must be a UUID to become a MISP event uuid', [
      { path: 'id', message: 'Expected a UUID' },
    ]);
  }
  const when = item.createdAt ? isoToDate(item.createdAt) : (options.now ?? new Date());
  const timestamp = String(Math.floor(when.getTime() / 1000));
  const date = when.toISOString().slice(0, 10);

  const attributes: MispAttributeOut[] = dedupeObservables(item.observables).map((o, i) => {
    const { type, category, tagType } = mispTypeFor(o);
    const attr: MispAttributeOut = {
      uuid: uuidV5(`${item.id}/misp/attribute/${i}`),
      type,
      category,
      value: o.value,
      to_ids: o.toIds === true,
      comment: o.comment ?? '',
      distribution: '5',
      sharing_group_id: '0',
      timestamp,
      deleted: false,
    };
    if (tagType) attr.Tag = [tag(observableTypeTag(tagType))];
    return attr;
  });

  const markingTags = [...markingToTags(item.marking), kindTag(item.kind)];
  const tagNames = [...markingTags, ...exportableItemTags(item.tags, markingTags)];

  const orgName = item.ownerOrgName?.trim() || item.source?.trim() || null;
  const event: MispEventOut['Event'] = {
    uuid: item.id.toLowerCase(),
    // [MISP] info SHOULD NOT include new-lines.
    info: item.title.replace(/\s*[\r\n]+\s*/g, ' ').trim(),
    date,
    timestamp,
    publish_timestamp: '0',
    published: false,
    threat_level_id: '4',
    analysis: '2',
    distribution: '0',
    sharing_group_id: '0',
    Attribute: attributes,
    Tag: tagNames.map(tag),
  };
  if (orgName) event.Orgc = { name: orgName, uuid: uuidV5(`organisation/${orgName}`) };
  if (item.body.trim()) {
    event.EventReport = [
      {
        uuid: uuidV5(`${item.id}/misp/event-report/0`),
        name: event.info,
        content: item.body,
        distribution: '5',
        sharing_group_id: '0',
        timestamp,
        deleted: false,
      },
    ];
  }
  return { Event: event };
}
