/**
 * GraphSense TagPacks (https://github.com/graphsense/graphsense-tagpacks; format described in the
 * graphsense-tagpack-tool README): a YAML document whose header fields are defaults inherited by every
 * entry of its `tags` list, each entry being free to override them. We read the fields investigators use
 * and flag Bitcoin addresses that do not validate (the tags are still loaded: a bad address in a third-
 * party pack is information, not a reason to drop the pack).
 *
 * Field names follow the format: `category` is the entity category (exchange, miner…), `abuse` the
 * abuse type (ransomware, service_hack…), `is_cluster_definer` says whether the tag may label the whole
 * cluster of its address. `network` (newer packs) is accepted as a synonym of `currency`.
 */
import { parseDocument, stringify } from 'yaml';
import { AppError } from '../platform/errors.ts';
import { isValidBtcAddress } from './btc-address.ts';

export interface TagPackHeader {
  title: string;
  creator: string | null;
  description: string | null;
  isPublic: boolean | null;
  /** Defaults inherited by the tags. */
  label: string | null;
  category: string | null;
  abuse: string | null;
  source: string | null;
  currency: string | null;
  lastmod: string | null;
  confidence: string | null;
  context: string | null;
  isClusterDefiner: boolean | null;
}

export interface TagRecord {
  address: string;
  currency: string | null;
  label: string;
  category: string | null;
  abuse: string | null;
  source: string | null;
  confidence: string | null;
  /** YYYY-MM-DD as written. */
  lastmod: string | null;
  isClusterDefiner: boolean;
  context: string | null;
  /** BTC addresses: whether it validates (Base58Check / Bech32 / Bech32m); null for other currencies. */
  addressValid: boolean | null;
}

export interface TagPack {
  header: TagPackHeader;
  tags: TagRecord[];
  /** Distinct addresses that failed validation, in order of appearance. */
  invalidAddresses: string[];
}

function fail(path: string, message: string): AppError {
  return new AppError('IMPORT_FAILED', `TagPack ${path}: ${message}`, [{ path, message }]);
}

type Fields = Record<string, unknown>;

function str(obj: Fields, key: string, path: string): string | null | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  throw fail(`${path}.${key}`, `expected a string, got ${Array.isArray(v) ? 'a list' : typeof v}`);
}

function bool(obj: Fields, key: string, path: string): boolean | null | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  throw fail(`${path}.${key}`, 'expected true or false');
}

function currencyOf(obj: Fields, path: string): string | null | undefined {
  const c = str(obj, 'currency', path);
  return c !== undefined ? c : str(obj, 'network', path);
}

/** Parses one TagPack document. YAML or structural errors throw AppError IMPORT_FAILED. */
export function parseTagPack(text: string): TagPack {
  // prettyErrors (the default) fills in line/column; the message then carries a code excerpt after its
  // first line, which we drop.
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0];
    const firstLine = (m: string): string => m.split('\n')[0]!;
    throw new AppError(
      'IMPORT_FAILED',
      `TagPack is not valid YAML${line ? ` (line ${line.line}, column ${line.col})` : ''}: ${firstLine(e.message)}`,
      doc.errors.map((x) => ({
        path: x.linePos ? `line ${x.linePos[0].line}` : '',
        message: firstLine(x.message),
      })),
    );
  }
  const root = doc.toJS() as unknown;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw fail('$', 'expected a mapping with header fields and a tags list');
  }
  const h = root as Fields;
  const title = str(h, 'title', 'header');
  if (!title) throw fail('title', 'missing');
  const header: TagPackHeader = {
    title,
    creator: str(h, 'creator', 'header') ?? null,
    description: str(h, 'description', 'header') ?? null,
    isPublic: bool(h, 'is_public', 'header') ?? null,
    label: str(h, 'label', 'header') ?? null,
    category: str(h, 'category', 'header') ?? null,
    abuse: str(h, 'abuse', 'header') ?? null,
    source: str(h, 'source', 'header') ?? null,
    currency: currencyOf(h, 'header') ?? null,
    lastmod: str(h, 'lastmod', 'header') ?? null,
    confidence: str(h, 'confidence', 'header') ?? null,
    context: str(h, 'context', 'header') ?? null,
    isClusterDefiner: bool(h, 'is_cluster_definer', 'header') ?? null,
  };
  const list = h.tags;
  if (!Array.isArray(list)) throw fail('tags', 'missing or not a list');
  const tags: TagRecord[] = [];
  const invalid = new Set<string>();
  list.forEach((raw: unknown, i) => {
    const path = `tags.${i}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail(path, 'expected a mapping');
    const t = raw as Fields;
    const address = str(t, 'address', path);
    if (!address) throw fail(`${path}.address`, 'missing');
    const inherit = <T>(own: T | null | undefined, dflt: T | null): T | null =>
      own === undefined ? dflt : own;
    const label = inherit(str(t, 'label', path), header.label);
    if (!label) throw fail(`${path}.label`, 'missing (neither the tag nor the header has one)');
    const currency = inherit(currencyOf(t, path), header.currency);
    const addressValid = currency?.toUpperCase() === 'BTC' ? isValidBtcAddress(address.trim()) : null;
    if (addressValid === false) invalid.add(address);
    tags.push({
      address,
      currency,
      label,
      category: inherit(str(t, 'category', path), header.category),
      abuse: inherit(str(t, 'abuse', path), header.abuse),
      source: inherit(str(t, 'source', path), header.source),
      confidence: inherit(str(t, 'confidence', path), header.confidence),
      lastmod: inherit(str(t, 'lastmod', path), header.lastmod),
      isClusterDefiner: inherit(bool(t, 'is_cluster_definer', path), header.isClusterDefiner) ?? false,
      context: inherit(str(t, 'context', path), header.context),
      addressValid,
    });
  });
  return { header, tags, invalidAddresses: [...invalid] };
}

/** TagRecord field → TagPack key, in the order they are written. */
const TAG_KEYS: [keyof TagRecord & keyof TagPackHeader, string][] = [
  ['label', 'label'],
  ['category', 'category'],
  ['abuse', 'abuse'],
  ['source', 'source'],
  ['currency', 'currency'],
  ['lastmod', 'lastmod'],
  ['confidence', 'confidence'],
  ['context', 'context'],
  ['isClusterDefiner', 'is_cluster_definer'],
];

/**
 * Writes a TagPack: the header's non-null fields, then each tag with its address and only the fields that
 * differ from the header (so they inherit the rest). `parseTagPack` of the result gives the same tags.
 */
export function toTagPackYaml(
  header: TagPackHeader,
  tags: readonly Omit<TagRecord, 'addressValid'>[],
): string {
  const out: Record<string, unknown> = { title: header.title };
  if (header.creator !== null) out.creator = header.creator;
  if (header.description !== null) out.description = header.description;
  if (header.isPublic !== null) out.is_public = header.isPublic;
  for (const [field, key] of TAG_KEYS) if (header[field] !== null) out[key] = header[field];
  out.tags = tags.map((t) => {
    const entry: Record<string, unknown> = { address: t.address };
    for (const [field, key] of TAG_KEYS) {
      const dflt = field === 'isClusterDefiner' ? (header.isClusterDefiner ?? false) : header[field];
      if (t[field] !== dflt) entry[key] = t[field];
    }
    return entry;
  });
  return stringify(out, { lineWidth: 0 });
}
