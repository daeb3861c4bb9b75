/**
 * IntelHits backed by the sharing module: the observables of a declaration that appear in shared
 * items the acting user may see (the sharing module's own visibility condition). Scoring is
 * synchronous, so the lookups for a whole batch are made first, in one query, and the scorer then
 * reads from memory.
 *
 * Each observable is looked up in the canonical form observables are stored in
 * (`normalizeObservable` of the identifiers module). A declaration already holds most of them
 * from its own normalisation, done once at ingest by the same functions (rule 6): the container
 * number, the IMO number, an EORI, a company's folded name. Only bills of lading (kept as filed,
 * upper-cased) and phone numbers (kept as filed when outside the numbering plan) are put in that
 * form here; a test checks every form against `normalizeObservable` on a synthetic world.
 */
import type { Actor } from '../access/index.ts';
import { normalizeObservable } from '../identifiers/index.ts';
import type { SharingService } from '../sharing/index.ts';
import type { Declaration, Party } from './declaration.ts';
import type { IntelHit, IntelHits } from './indicators.ts';

/** The sharing module's read-only correlation, as cargo uses it. */
export type ObservableCounter = Pick<SharingService, 'visibleCanonicalCounts'>;

/** Canonical phone forms, memoised: parsing a number costs microseconds, and parties file again and again. */
const PHONE_MEMO_LIMIT = 100_000;
const phoneForms = new Map<string, string | null>();

function phoneForm(phone: string): string | null {
  const hit = phoneForms.get(phone);
  if (hit !== undefined) return hit;
  const n = normalizeObservable('phone', phone);
  const form = n.ok ? n.value : null;
  if (phoneForms.size >= PHONE_MEMO_LIMIT) phoneForms.clear();
  phoneForms.set(phone, form);
  return form;
}

/** A bill of lading already in its canonical form (letters and digits, 4 to 20): the usual case. */
const CANONICAL_BL = /^[A-Z0-9]{4,20}$/;

function blForm(bl: string): string | null {
  if (CANONICAL_BL.test(bl)) return bl;
  const n = normalizeObservable('bl', bl);
  return n.ok ? n.value : null;
}

/**
 * Calls `visit(type, canonical form, value as scored)` for each observable of the declaration, in
 * the order and with the values of `observablesOf` (indicators.ts); observables with no canonical
 * form (not a valid identifier of their type) are left out, as the sharing module leaves them out.
 */
export function visitObservables(
  d: Declaration,
  visit: (type: string, normalized: string, value: string) => void,
): void {
  visit('container', d.container, d.container);
  const master = blForm(d.masterBl);
  if (master !== null) visit('bl', master, d.masterBl);
  visit('vessel', d.vesselImo, d.vesselImo);
  visit('company', d.shipper.normName, d.shipper.name);
  visit('company', d.consignee.normName, d.consignee.name);
  if (d.houseBl !== null) {
    const house = blForm(d.houseBl);
    if (house !== null) visit('bl', house, d.houseBl);
  }
  if (d.notify !== null) visit('company', d.notify.normName, d.notify.name);
  const party = (p: Party | null) => {
    if (p === null) return;
    if (p.eori !== null) visit('eori', p.eori, p.eori);
    if (p.phone !== null) {
      const form = phoneForm(p.phone);
      if (form !== null) visit('phone', form, p.phone);
    }
  };
  party(d.shipper);
  party(d.consignee);
  party(d.notify);
}

const TYPES = ['container', 'bl', 'vessel', 'company', 'eori', 'phone'] as const;
type IntelType = (typeof TYPES)[number];

/**
 * The canonical forms of the batch's observables, by type — the set `visitObservables` visits,
 * gathered without a callback per observable, and each party (shared by the declarations of a
 * trading partner) once.
 */
export function batchForms(declarations: readonly Declaration[]): Map<IntelType, Set<string>> {
  const forms = new Map<IntelType, Set<string>>(TYPES.map((t) => [t, new Set<string>()]));
  const containers = forms.get('container') as Set<string>;
  const bls = forms.get('bl') as Set<string>;
  const vessels = forms.get('vessel') as Set<string>;
  const companies = forms.get('company') as Set<string>;
  const eoris = forms.get('eori') as Set<string>;
  const phones = forms.get('phone') as Set<string>;
  const parties = new Set<Party>();
  const party = (p: Party | null) => {
    if (p === null || parties.has(p)) return;
    parties.add(p);
    companies.add(p.normName);
    if (p.eori !== null) eoris.add(p.eori);
    if (p.phone !== null) {
      const form = phoneForm(p.phone);
      if (form !== null) phones.add(form);
    }
  };
  for (const d of declarations) {
    containers.add(d.container);
    const master = blForm(d.masterBl);
    if (master !== null) bls.add(master);
    if (d.houseBl !== null) {
      const house = blForm(d.houseBl);
      if (house !== null) bls.add(house);
    }
    vessels.add(d.vesselImo);
    party(d.shipper);
    party(d.consignee);
    party(d.notify);
  }
  return forms;
}

/**
 * IntelHits for the given declarations, prefetched for `actor` in one round trip; null when none
 * of them has a hit (the scorer then builds no observables at all). The scorer's look-up reads
 * only the types that have hits, by value: no key is built per observable.
 */
export async function prefetchIntelHits(
  sharing: ObservableCounter,
  actor: Actor,
  declarations: readonly Declaration[],
): Promise<IntelHits | null> {
  const found = await sharing.visibleCanonicalCounts(actor, batchForms(declarations));
  if (found.length === 0) return null;
  // Hits are rare: the look-up by value as scored is built for them alone, visiting only the
  // observables of the types that have hits.
  const hitForms = new Map<string, Map<string, number>>();
  for (const f of found) {
    let m = hitForms.get(f.type);
    if (m === undefined) {
      m = new Map();
      hitForms.set(f.type, m);
    }
    m.set(f.normalized, f.itemCount);
  }
  const counts = new Map<string, Map<string, number>>();
  const add = (type: string, normalized: string, value: string) => {
    const n = hitForms.get(type)?.get(normalized);
    if (n === undefined) return;
    let values = counts.get(type);
    if (values === undefined) {
      values = new Map();
      counts.set(type, values);
    }
    values.set(value, n);
  };
  const only = new Set(hitForms.keys());
  const partyTypes = only.has('company') || only.has('eori') || only.has('phone');
  for (const d of declarations) {
    if (only.has('container')) add('container', d.container, d.container);
    if (only.has('vessel')) add('vessel', d.vesselImo, d.vesselImo);
    if (only.has('bl')) {
      const master = blForm(d.masterBl);
      if (master !== null) add('bl', master, d.masterBl);
      const house = d.houseBl === null ? null : blForm(d.houseBl);
      if (house !== null && d.houseBl !== null) add('bl', house, d.houseBl);
    }
    if (partyTypes) {
      for (const p of [d.shipper, d.consignee, d.notify]) {
        if (p === null) continue;
        add('company', p.normName, p.name);
        if (p.eori !== null) add('eori', p.eori, p.eori);
        const phone = p.phone === null ? null : phoneForm(p.phone);
        if (phone !== null && p.phone !== null) add('phone', phone, p.phone);
      }
    }
  }
  return (observables) => {
    let out: IntelHit[] | null = null;
    for (const o of observables) {
      const n = counts.get(o.observableType)?.get(o.value);
      if (n === undefined) continue;
      out ??= [];
      if (out.some((h) => h.observableType === o.observableType && h.value === o.value)) continue;
      out.push({ observableType: o.observableType, value: o.value, itemCount: n });
    }
    return out ?? NONE;
  };
}

const NONE: readonly IntelHit[] = [];
