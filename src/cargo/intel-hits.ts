/**
 * IntelHits backed by the sharing module: the observables of a declaration that appear in shared
 * items the acting user may see (the sharing module's own visibility condition). Scoring is
 * synchronous, so the lookups for a whole batch are made first, in one query, and the scorer then
 * reads from memory.
 */
import type { Actor } from '../access/index.ts';
import type { SharingService } from '../sharing/index.ts';
import type { Declaration } from './declaration.ts';
import { type IntelHit, type IntelHits, type Observable, observablesOf } from './indicators.ts';

/** The sharing module's read-only correlation, as cargo uses it. */
export type ObservableCounter = Pick<SharingService, 'visibleObservableCounts'>;

const key = (type: string, value: string) => `${type}\u0000${value}`;

/** IntelHits for the given declarations, prefetched for `actor` in one round trip. */
export async function prefetchIntelHits(
  sharing: ObservableCounter,
  actor: Actor,
  declarations: readonly Declaration[],
): Promise<IntelHits> {
  const wanted = new Map<string, Observable>();
  for (const d of declarations)
    for (const o of observablesOf(d)) wanted.set(key(o.observableType, o.value), o);
  const counts = new Map<string, number>();
  if (wanted.size > 0) {
    const rows = await sharing.visibleObservableCounts(
      actor,
      [...wanted.values()].map((o) => ({ type: o.observableType, value: o.value })),
    );
    for (const r of rows) counts.set(key(r.type, r.value), r.itemCount);
  }
  return (observables) => {
    if (counts.size === 0) return [];
    const out: IntelHit[] = [];
    const seen = new Set<string>();
    for (const o of observables) {
      const k = key(o.observableType, o.value);
      const n = counts.get(k);
      if (n === undefined || seen.has(k)) continue;
      seen.add(k);
      out.push({ observableType: o.observableType, value: o.value, itemCount: n });
    }
    return out;
  };
}
