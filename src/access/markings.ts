import type { Actor } from '../platform/actor.ts';
import { AppError } from '../platform/errors.ts';
import {
  type Distribution,
  HANDLING_CODES,
  type HandlingCode,
  type Marking,
  TLP_LEVELS,
  type Tlp,
} from './access.schema.ts';

export function tlpRank(t: Tlp): number {
  return TLP_LEVELS.indexOf(t);
}

export function mostRestrictiveTlp(...levels: Tlp[]): Tlp {
  return levels.reduce((a, b) => (tlpRank(b) > tlpRank(a) ? b : a), 'CLEAR' as Tlp);
}

/**
 * Handling codes are not a ladder: each forbids something different. When two markings meet we keep
 * one by the order H0 < H1 < H2 < H3: H2 forbids passing the item on at all, which outweighs H1's
 * limit on use in court, and H3 carries free-text restrictions a program cannot check, so a person
 * must read them. The sharing module's MISP/STIX import applies the same order.
 */
export function mostRestrictiveHandling(a: HandlingCode | null, b: HandlingCode | null): HandlingCode | null {
  if (a === null) return b;
  if (b === null) return a;
  return HANDLING_CODES.indexOf(a) >= HANDLING_CODES.indexOf(b) ? a : b;
}

const RELIABILITY_ORDER = ['A', 'B', 'C', 'X'] as const;
const CREDIBILITY_ORDER = ['1', '2', '3', '4'] as const;

/** Merge, import, copy and re-share keep the most restrictive marking (DESIGN rule 3) and the weakest evaluation. */
export function mergeMarkings(a: Marking, b: Marking): Marking {
  const weakest = <T extends string>(order: readonly T[], x: T | null, y: T | null): T | null => {
    if (x === null || y === null) return x ?? y;
    return order.indexOf(x) >= order.indexOf(y) ? x : y;
  };
  return {
    tlp: mostRestrictiveTlp(a.tlp, b.tlp),
    handlingCode: mostRestrictiveHandling(a.handlingCode, b.handlingCode),
    sourceReliability: weakest(RELIABILITY_ORDER, a.sourceReliability, b.sourceReliability),
    infoCredibility: weakest(CREDIBILITY_ORDER, a.infoCredibility, b.infoCredibility),
  };
}

/** Checks that a distribution fits its marking; throws MARKING_VIOLATION with the field path. */
export function checkDistribution(marking: Marking, d: Distribution): void {
  if (marking.tlp === 'RED') {
    const extra: string[] = [];
    if (d.orgs.length) extra.push('distribution.orgs');
    if (d.communities.length) extra.push('distribution.communities');
    if (d.node) extra.push('distribution.node');
    if (extra.length) {
      throw new AppError(
        'MARKING_VIOLATION',
        'TLP:RED reaches named users only',
        extra.map((path) => ({ path, message: 'not allowed for TLP:RED; name the users instead' })),
      );
    }
  }
}

export function isWider(current: Distribution, next: Distribution): boolean {
  return (
    (next.node && !current.node) ||
    next.orgs.some((o) => !current.orgs.includes(o)) ||
    next.users.some((u) => !current.users.includes(u)) ||
    next.communities.some((c) => !current.communities.includes(c))
  );
}

/** The originator: the author, or a writer of the owner organisation. */
export function isOriginator(actor: Actor, o: { ownerOrgId: string; authorId: string }): boolean {
  return (
    o.authorId === actor.userId || (o.ownerOrgId === actor.orgId && actor.permissions.has('items:write'))
  );
}

export type WideningDecision = 'apply' | 'request';

/**
 * Widening needs the originator's recorded consent: the originator's own change is that consent;
 * anyone else files a request. TLP:RED cannot be forwarded, and AMBER+STRICT recipients may not
 * pass the item on, so neither accepts a request from a recipient.
 */
export function wideningDecision(
  actor: Actor,
  o: { ownerOrgId: string; authorId: string; tlp: Tlp },
): WideningDecision {
  if (isOriginator(actor, o)) return 'apply';
  if (o.tlp === 'RED') throw new AppError('MARKING_VIOLATION', 'TLP:RED cannot be forwarded');
  if (o.tlp === 'AMBER+STRICT') {
    throw new AppError('MARKING_VIOLATION', 'TLP:AMBER+STRICT stays inside the recipient organisations');
  }
  return 'request';
}

/** TLP:RED never leaves the node in a file. */
export function checkExportable(marking: Pick<Marking, 'tlp'>): void {
  if (marking.tlp === 'RED') throw new AppError('MARKING_VIOLATION', 'TLP:RED items cannot be exported');
}
