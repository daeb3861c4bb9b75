/**
 * Watchlists: parties (companies and people), containers, vessels and phone numbers, screened
 * against every declaration. Every hit says which declaration field matched which entry value,
 * by which method and how strongly, so an analyst can judge it.
 *
 * Name matching. Names are normalised with the identifiers module (`normalizeCompanyName`),
 * then compared with `tokenSimilarity`. Before comparing, both sides are also reduced to a
 * transliteration skeleton (below) so that the usual Latin spellings of one Cyrillic name meet:
 * "Vladimirovich" / "Vladimirovitj" / "Wladimirowitsch", "Soiko" / "Sojko" / "Soyko",
 * "Zhuravleva" / "Zjuravleva". A pair is a hit when either comparison reaches the threshold.
 *
 * Threshold: 0.88 (`DEFAULT_NAME_THRESHOLD`, the same value as the identifiers module's
 * per-token threshold). tokenSimilarity is a soft Jaccard index over tokens (Jaro–Winkler ≥ 0.88
 * pairs count as near matches), so:
 * - "Viktor Vladimirovich Soiko" vs the sanctioned "Viktor Vladimirovitj Sojko": 0.89 directly
 *   (vladimirovich/vladimirovitj 0.94, soiko/sojko 0.89), 1.0 on the skeletons → hit;
 * - "Viktor Vladimirovich Ivanov" vs the same entry: 0.48 directly, 0.50 on skeletons → miss
 *   (one of three tokens entirely different);
 * - one extra token on a three-token name ("Frutas del Pacifico Export"): 0.75 → miss.
 * A two-token name a letter apart ("Juan Perez" / "Juan Perea", 0.92) is a hit: that is the
 * price of catching spelling variants, and why every hit carries its similarity and the
 * matched entry name for the analyst. Exact matches (normalised name, EORI, container, IMO,
 * phone) have similarity 1. Tests pin the hit and the miss.
 *
 * Cost. Each distinct normalised name is screened once (memo, bounded). A screening compares the
 * name with the list's names sharing a blocking key; most of those share the key and nothing
 * else, and an exact upper bound of the similarity (similarity-bound.ts) rules them out without
 * computing it. A test checks the results against the plain definition.
 */
import { createHash } from 'node:crypto';
import {
  nameTokens,
  normalizeCompanyName,
  tokenSimilarity,
  validateContainerNumber,
  validateImo,
} from '../identifiers/index.ts';
import { type WatchlistEntryInput, WatchlistEntrySchema } from './cargo.schema.ts';
import { type Declaration, normalizePhone, type Party } from './declaration.ts';
import { type BoundToken, BoundVocabulary, boundTokens, mayReachSimilarity } from './similarity-bound.ts';

export const DEFAULT_NAME_THRESHOLD = 0.88;

const NAME_CACHE_LIMIT = 2_000_000;
const NO_HITS: readonly NameHit[] = Object.freeze([]);

export type WatchlistKind = 'party' | 'container' | 'vessel' | 'phone';

export interface WatchlistHit {
  entryId: string;
  source: string;
  kind: WatchlistKind;
  /** The declaration field that matched, e.g. `consignee.name`, `container.number`. */
  field: string;
  /** The declaration's value of that field. */
  value: string;
  /** The entry's value (name, number) that matched. */
  matched: string;
  method: 'exact' | 'name-similarity' | 'transliteration-similarity';
  /** 1 for exact; the name similarity otherwise. */
  similarity: number;
  /** The entry's weight (0–1, default 1). */
  weight: number;
  reason: string | null;
}

/** What scoring needs from watchlists (the lead may back it with the database). */
export interface Watchlists {
  /** Changes whenever the entries change (scores record it). */
  readonly version: string;
  screenDeclaration(d: Declaration): readonly WatchlistHit[];
}

interface NameRef {
  entry: WatchlistEntryInput;
  name: string;
  norm: string;
  skeleton: string;
  /** Tokens of norm and skeleton, computed once (tokenSimilarity accepts token lists). */
  tokens: readonly string[];
  skeletonTokens: readonly string[];
  /** Number of distinct tokens (for the similarity upper bound). */
  distinct: number;
  /** Distinct tokens of norm and skeleton with their letter masks (similarity-bound.ts). */
  bound: readonly BoundToken[];
  skeletonBound: readonly BoundToken[];
  /** Number of the last screening that compared this name (instead of a set per screening). */
  triedBy: number;
}

/**
 * tokenSimilarity is a soft Jaccard index: its intersection is at most min(|A|, |B|), so the
 * similarity is at most min(|A|, |B|) / max(|A|, |B|). Pairs whose token counts alone rule out the
 * threshold are skipped without computing anything (at 0.88, the counts must be equal).
 */
function canReach(a: number, b: number, threshold: number): boolean {
  return Math.min(a, b) / Math.max(a, b) >= threshold;
}

export interface WatchlistOptions {
  nameThreshold?: number;
  version?: string;
}

/**
 * Folds common Latin transliterations of Cyrillic and Slavic spellings onto one skeleton.
 * Applied per token, longest patterns first. Lossy on purpose; used only to compare names.
 */
export function transliterationSkeleton(normName: string): string {
  return normName.split(' ').map(tokenSkeleton).join(' ');
}

/** Skeletons of single tokens: tokens repeat across names far more than names do. */
const tokenSkeletons = new Map<string, string>();
const TOKEN_SKELETON_LIMIT = 500_000;

function tokenSkeleton(t: string): string {
  let s = tokenSkeletons.get(t);
  if (s === undefined) {
    s = t
      .replace(/tsch|tch|tj|cz|ch/g, 'c')
      .replace(/sch|sh|sj|sz/g, 's')
      .replace(/zh|zj/g, 'z')
      .replace(/kh/g, 'h')
      .replace(/ph/g, 'f')
      .replace(/w/g, 'v')
      .replace(/[yj]/g, 'i')
      .replace(/ck/g, 'k')
      .replace(/(.)\1+/g, '$1');
    if (tokenSkeletons.size >= TOKEN_SKELETON_LIMIT) tokenSkeletons.clear();
    tokenSkeletons.set(t, s);
  }
  return s;
}

export class Watchlist implements Watchlists {
  readonly version: string;
  readonly nameThreshold: number;
  readonly size: number;
  /** Entries or names that could not be used, with the reason. */
  readonly rejected: ReadonlyArray<{ entryId: string; reason: string }>;
  private exactNames = new Map<string, NameRef[]>();
  private blocks = new Map<string, NameRef[]>();
  private eoris = new Map<string, WatchlistEntryInput[]>();
  /** Containers, vessels and phones by canonical value (one map per kind: no key building per lookup). */
  private containers = new Map<string, WatchlistEntryInput[]>();
  private vessels = new Map<string, WatchlistEntryInput[]>();
  private phones = new Map<string, WatchlistEntryInput[]>();
  private cache = new Map<string, readonly NameHit[]>();
  private byParty = new WeakMap<Party, PartyScreening>();
  private screenings = 0;
  private readonly vocabulary = new BoundVocabulary();

  constructor(entries: readonly WatchlistEntryInput[], options: WatchlistOptions = {}) {
    this.nameThreshold = options.nameThreshold ?? DEFAULT_NAME_THRESHOLD;
    const rejected: Array<{ entryId: string; reason: string }> = [];
    let size = 0;
    for (const raw of entries) {
      const parsed = WatchlistEntrySchema.safeParse(raw);
      if (!parsed.success) {
        rejected.push({
          entryId: String(raw.id),
          reason: parsed.error.issues[0]?.message ?? 'invalid entry',
        });
        continue;
      }
      const e = parsed.data;
      size++;
      if (e.kind === 'party') {
        for (const name of e.names) {
          const n = normalizeCompanyName(name);
          if (!n.ok || n.value.length === 0) {
            rejected.push({ entryId: e.id, reason: `name '${name}': ${n.ok ? 'empty' : n.message}` });
            continue;
          }
          const skeleton = transliterationSkeleton(n.value);
          const tokens = nameTokens(n.value);
          const skeletonTokens = nameTokens(skeleton);
          const ref: NameRef = {
            entry: e,
            name,
            norm: n.value,
            skeleton,
            tokens,
            skeletonTokens,
            distinct: new Set(tokens).size,
            bound: this.vocabulary.of(tokens),
            skeletonBound: this.vocabulary.of(skeletonTokens),
            triedBy: 0,
          };
          push(this.exactNames, ref.norm, ref);
          for (const key of blockingKeys(ref.skeleton)) push(this.blocks, key, ref);
        }
        for (const eori of e.eoris ?? []) push(this.eoris, eori.toUpperCase().replace(/\s/g, ''), e);
      } else {
        const key = this.valueKey(e.kind, e.value);
        if (key === null) rejected.push({ entryId: e.id, reason: `invalid ${e.kind} '${e.value}'` });
        else
          push(
            e.kind === 'container' ? this.containers : e.kind === 'vessel' ? this.vessels : this.phones,
            key,
            e,
          );
      }
    }
    this.size = size;
    this.rejected = rejected;
    this.version =
      options.version ??
      createHash('sha256')
        .update(JSON.stringify([this.nameThreshold, entries]))
        .digest('hex')
        .slice(0, 16);
  }

  private valueKey(kind: Exclude<WatchlistKind, 'party'>, value: string): string | null {
    if (kind === 'container') {
      const r = validateContainerNumber(value);
      return r.ok ? r.value : null;
    }
    if (kind === 'vessel') {
      const r = validateImo(value);
      return r.ok ? r.value : null;
    }
    const p = normalizePhone(value);
    return p.replace('+', '').length >= 6 ? p : null;
  }

  /** Screens one name (already normalised with normalizeCompanyName). Cached per name. */
  matchNormalizedName(norm: string): readonly NameHit[] {
    const cached = this.cache.get(norm);
    if (cached !== undefined) return cached;
    const hits: NameHit[] = [];
    const seen = new Set<WatchlistEntryInput>();
    for (const ref of this.exactNames.get(norm) ?? []) {
      if (seen.has(ref.entry)) continue;
      seen.add(ref.entry);
      hits.push({ ref, method: 'exact', similarity: 1 });
    }
    const skeleton = transliterationSkeleton(norm);
    const best = new Map<WatchlistEntryInput, NameHit>();
    const tokens = nameTokens(norm);
    const distinct = new Set(tokens).size;
    let skeletonTokens: string[] | null = null;
    let bound: BoundToken[] | null = null;
    let skeletonBound: BoundToken[] | null = null;
    const threshold = this.nameThreshold;
    const screening = ++this.screenings;
    for (const key of blockingKeys(skeleton)) {
      for (const ref of this.blocks.get(key) ?? []) {
        if (ref.triedBy === screening || seen.has(ref.entry)) continue;
        ref.triedBy = screening;
        if (!canReach(distinct, ref.distinct, threshold)) continue;
        const fold = skeleton !== norm || ref.skeleton !== ref.norm;
        // Most candidates share a blocking key and nothing more: rule them out with the bound
        // (similarity-bound.ts) before computing either similarity. Exact, so no hit is lost.
        bound ??= boundTokens(tokens);
        if (!mayReachSimilarity(bound, ref.bound, threshold, 2 * screening)) {
          if (!fold) continue;
          skeletonTokens ??= nameTokens(skeleton);
          skeletonBound ??= boundTokens(skeletonTokens);
          if (!mayReachSimilarity(skeletonBound, ref.skeletonBound, threshold, 2 * screening + 1)) continue;
        }
        const direct = tokenSimilarity(tokens, ref.tokens);
        let folded = direct;
        if (fold) {
          skeletonTokens ??= nameTokens(skeleton);
          folded = tokenSimilarity(skeletonTokens, ref.skeletonTokens);
        }
        const s = Math.max(direct, folded);
        if (s < threshold) continue;
        const prev = best.get(ref.entry);
        if (prev === undefined || s > prev.similarity) {
          best.set(ref.entry, {
            ref,
            method: direct >= folded ? 'name-similarity' : 'transliteration-similarity',
            similarity: s,
          });
        }
      }
    }
    hits.push(...best.values());
    const result = hits.length === 0 ? NO_HITS : hits;
    // Names repeat (regular traders), so every name is screened once; the bound only guards
    // against unbounded growth (a few hundred bytes a name).
    if (this.cache.size >= NAME_CACHE_LIMIT) this.cache.clear();
    this.cache.set(norm, result);
    return result;
  }

  /** Screens a raw name (normalises it first). */
  matchName(name: string): readonly NameHit[] {
    const n = normalizeCompanyName(name);
    return n.ok ? this.matchNormalizedName(n.value) : [];
  }

  screenDeclaration(d: Declaration): WatchlistHit[] {
    const out: WatchlistHit[] = [];
    // The party look-ups are made together, so that their cache misses overlap.
    const byParty = this.byParty;
    const notify = d.notify;
    const s0 = byParty.get(d.shipper);
    const c0 = byParty.get(d.consignee);
    const n0 = notify === null ? undefined : notify === d.consignee ? c0 : byParty.get(notify);
    this.screenParty(d.shipper, 'shipper', out, s0);
    this.screenParty(d.consignee, 'consignee', out, c0);
    if (notify !== null) this.screenParty(notify, 'notify', out, n0);
    if (d.payer !== null && d.payerRole === 'third-party')
      this.screenParty(d.payer, 'freight.payer', out, byParty.get(d.payer));
    if (this.containers.size > 0) this.screenValue(this.containers, 'container.number', d.container, out);
    if (this.vessels.size > 0) this.screenValue(this.vessels, 'vessel.imo', d.vesselImo, out);
    return out;
  }

  /**
   * What one party object's name, EORI and phone match. The normaliser shares a party object
   * between the declarations of the same trading partner, and the object is at hand already, so
   * this look-up replaces three keyed by strings that are rarely still in cache (the name memo
   * alone has a few hundred thousand names). The values screened are kept and compared (the
   * same strings, so a pointer comparison): a changed party is screened again.
   */
  private screeningOf(p: Party, known: PartyScreening | undefined): PartyScreening {
    if (
      known !== undefined &&
      known.normName === p.normName &&
      known.eori === p.eori &&
      known.phone === p.phone
    )
      return known;
    const names = this.matchNormalizedName(p.normName);
    const eoris =
      p.eori !== null && this.eoris.size > 0 ? (this.eoris.get(p.eori) ?? NO_ENTRIES) : NO_ENTRIES;
    const phones =
      p.phone !== null && this.phones.size > 0 ? (this.phones.get(p.phone) ?? NO_ENTRIES) : NO_ENTRIES;
    const s: PartyScreening = {
      normName: p.normName,
      eori: p.eori,
      phone: p.phone,
      names,
      eoris,
      phones,
      none: names.length === 0 && eoris.length === 0 && phones.length === 0,
    };
    this.byParty.set(p, s);
    return s;
  }

  private screenParty(p: Party, role: string, out: WatchlistHit[], known: PartyScreening | undefined): void {
    const s = this.screeningOf(p, known);
    if (s.none) return;
    for (const h of s.names) {
      const e = h.ref.entry;
      out.push({
        entryId: e.id,
        source: e.source,
        kind: 'party',
        field: `${role}.name`,
        value: p.name,
        matched: h.ref.name,
        method: h.method,
        similarity: h.similarity,
        weight: e.weight ?? 1,
        reason: e.reason ?? null,
      });
    }
    for (const e of s.eoris) out.push(hit(e, `${role}.eori`, p.eori as string, p.eori as string));
    for (const e of s.phones) {
      const phone = p.phone as string;
      out.push(hit(e, `${role}.phone`, phone, 'value' in e ? e.value : phone));
    }
  }

  private screenValue(
    map: Map<string, WatchlistEntryInput[]>,
    field: string,
    value: string,
    out: WatchlistHit[],
  ): void {
    const entries = map.get(value);
    if (entries !== undefined)
      for (const e of entries) out.push(hit(e, field, value, 'value' in e ? e.value : value));
  }
}

/** The watchlist entries a party object's name, EORI and phone matched (`none`: no entry at all). */
interface PartyScreening {
  readonly normName: string;
  readonly eori: string | null;
  readonly phone: string | null;
  readonly names: readonly NameHit[];
  readonly eoris: readonly WatchlistEntryInput[];
  readonly phones: readonly WatchlistEntryInput[];
  readonly none: boolean;
}

const NO_ENTRIES: readonly WatchlistEntryInput[] = Object.freeze([]);

export interface NameHit {
  ref: NameRef;
  method: WatchlistHit['method'];
  similarity: number;
}

function hit(e: WatchlistEntryInput, field: string, value: string, matched: string): WatchlistHit {
  return {
    entryId: e.id,
    source: e.source,
    kind: e.kind,
    field,
    value,
    matched,
    method: 'exact',
    similarity: 1,
    weight: e.weight ?? 1,
    reason: e.reason ?? null,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Blocking keys: the first three letters of each token of 3+ letters (of the skeleton). */
function blockingKeys(skeleton: string): string[] {
  const keys = new Set<string>();
  for (const t of skeleton.split(' ')) if (t.length >= 3) keys.add(t.slice(0, 3));
  if (keys.size === 0 && skeleton.length > 0) keys.add(skeleton.slice(0, 3));
  return [...keys];
}

/* ------------------------------------------------------------------------------------------ */
/* FollowTheMoney (OpenSanctions) import                                                        */
/* ------------------------------------------------------------------------------------------ */

const PARTY_SCHEMATA = new Set(['Person', 'Organization', 'Company', 'LegalEntity', 'PublicBody']);

export interface FtmImportOptions {
  /** Prefix of `source` (default `opensanctions`); the entity's datasets are appended. */
  source?: string;
  /** Import entities whose `target` is false (related entities, default false). */
  includeNonTargets?: boolean;
}

export interface FtmImportResult {
  entries: WatchlistEntryInput[];
  skipped: Array<{ line: number; id: string | null; reason: string }>;
}

function strings(props: Record<string, unknown>, ...keys: string[]): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const v = props[k];
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'string' && x.trim() !== '') out.push(x.trim());
  }
  return [...new Set(out)];
}

/**
 * FollowTheMoney entities, one JSON object per line (the OpenSanctions export format), into
 * watchlist entries: people and organisations become party entries (all names and aliases,
 * countries from country / nationality / jurisdiction), their phone numbers phone entries;
 * vessels become vessel entries by IMO number. Other schemata (Address, Payment…) are skipped
 * with a reason; references to entities not in the file are ignored.
 */
export function importFtm(jsonl: string, options: FtmImportOptions = {}): FtmImportResult {
  const prefix = options.source ?? 'opensanctions';
  const entries: WatchlistEntryInput[] = [];
  const skipped: FtmImportResult['skipped'] = [];
  const lines = jsonl.split('\n');
  lines.forEach((text, i) => {
    const line = i + 1;
    if (text.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      skipped.push({ line, id: null, reason: 'not JSON' });
      return;
    }
    if (typeof obj !== 'object' || obj === null) {
      skipped.push({ line, id: null, reason: 'not an object' });
      return;
    }
    const o = obj as Record<string, unknown>;
    const id = typeof o.id === 'string' ? o.id : null;
    const schema = typeof o.schema === 'string' ? o.schema : null;
    const props =
      typeof o.properties === 'object' && o.properties !== null
        ? (o.properties as Record<string, unknown>)
        : null;
    if (id === null || schema === null || props === null) {
      skipped.push({ line, id, reason: 'missing id, schema or properties' });
      return;
    }
    if (o.target === false && options.includeNonTargets !== true) {
      skipped.push({ line, id, reason: 'not a target' });
      return;
    }
    const datasets = Array.isArray(o.datasets)
      ? o.datasets.filter((d): d is string => typeof d === 'string')
      : [];
    const source = datasets.length > 0 ? `${prefix}:${datasets.join(',')}` : prefix;
    const topics = strings(props, 'topics');
    const reason = [
      typeof o.caption === 'string' ? o.caption : null,
      topics.length > 0 ? topics.join(', ') : null,
    ]
      .filter((x) => x !== null)
      .join(' — ');
    if (PARTY_SCHEMATA.has(schema)) {
      const names = strings(props, 'name', 'alias', 'previousName', 'weakAlias').slice(0, 200);
      if (names.length === 0) {
        skipped.push({ line, id, reason: 'no name' });
        return;
      }
      const countries = strings(props, 'country', 'nationality', 'jurisdiction')
        .map((c) => c.toUpperCase())
        .filter((c) => /^[A-Z]{2}$/.test(c));
      entries.push({
        id,
        kind: 'party',
        source,
        names,
        ...(countries.length > 0 ? { countries } : {}),
        ...(reason !== '' ? { reason } : {}),
      });
      for (const phone of strings(props, 'phone')) {
        entries.push({
          id: `${id}#phone:${phone}`,
          kind: 'phone',
          source,
          value: phone,
          ...(reason ? { reason } : {}),
        });
      }
      return;
    }
    if (schema === 'Vessel') {
      const imos = strings(props, 'imoNumber');
      if (imos.length === 0) {
        skipped.push({ line, id, reason: 'vessel without IMO number' });
        return;
      }
      for (const imo of imos) {
        entries.push({
          id: imos.length > 1 ? `${id}#${imo}` : id,
          kind: 'vessel',
          source,
          value: imo,
          ...(reason ? { reason } : {}),
        });
      }
      return;
    }
    skipped.push({ line, id, reason: `schema ${schema} is not screenable` });
  });
  return { entries, skipped };
}
