/**
 * Handling markings on the wire: TLP (MISP taxonomy tags, STIX 2.1 marking
 * definitions for TLP 1.0 and TLP 2.0), Europol handling codes and Admiralty
 * / Europol source and information evaluation.
 *
 * Two rules hold throughout:
 * 1. Labels never weaken. When several markings are present (event and
 *    attribute tags, several STIX objects, TLP 1.0 and 2.0 together), the item
 *    takes the most restrictive one.
 * 2. Unmarked means AMBER. Intelligence that arrives without any TLP is
 *    treated as TLP:AMBER, never CLEAR: a missing label is far more often an
 *    omission by the producer than a statement that the content is public,
 *    and defaulting to CLEAR would let an unmarked item be republished to
 *    everyone by accident. AMBER keeps it with the recipients' organisations
 *    until someone who knows better relabels it.
 */
import { AppError } from '../platform/errors.ts';
import type { HandlingCode, InfoCredibility, Marking, SourceReliability, Tlp } from './interchange.ts';

// ---------------------------------------------------------------------------
// TLP order
// ---------------------------------------------------------------------------

/** FIRST TLP 2.0, least to most restrictive. */
export const TLP_LEVELS: readonly Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];

/** See rule 2 in the module comment. */
export const DEFAULT_TLP: Tlp = 'AMBER';

export function tlpRank(tlp: Tlp): number {
  return TLP_LEVELS.indexOf(tlp);
}

/** The most restrictive of the given levels (CLEAR < GREEN < AMBER < AMBER+STRICT < RED); null if none. */
export function mostRestrictiveTlp(...tlps: (Tlp | null | undefined)[]): Tlp | null {
  let best: Tlp | null = null;
  for (const t of tlps) {
    if (t != null && (best === null || tlpRank(t) > tlpRank(best))) best = t;
  }
  return best;
}

// ---------------------------------------------------------------------------
// MISP taxonomy tags: TLP
// ---------------------------------------------------------------------------

// MISP `tlp` taxonomy (misp-taxonomies/tlp/machinetag.json): tlp:clear,
// tlp:white (TLP 1.0), tlp:green, tlp:amber, tlp:amber+strict, tlp:red. The
// taxonomy's other predicates (tlp:ex:chr, tlp:unclear) are not levels and
// stay ordinary tags.
const TLP_TAG_RE = /^\s*tlp\s*:\s*(clear|white|green|amber\+strict|amber|red)\s*$/i;

/** The TLP level a single MISP tag names, or null if the tag is not a TLP level tag. */
export function tlpFromTag(tag: string): Tlp | null {
  const m = TLP_TAG_RE.exec(tag);
  if (!m?.[1]) return null;
  const level = m[1].toUpperCase();
  // TLP 2.0 renamed WHITE to CLEAR with the same meaning (FIRST TLP 2.0, "Changes").
  return level === 'WHITE' ? 'CLEAR' : (level as Tlp);
}

/** The most restrictive TLP among MISP tags (case-insensitive), or null when no tag names a level. */
export function tlpFromTags(tags: readonly string[]): Tlp | null {
  return mostRestrictiveTlp(...tags.map(tlpFromTag));
}

/** MISP `tlp` taxonomy tag for a level, always the TLP 2.0 spelling (`tlp:clear`, not `tlp:white`). */
export function tlpToMispTag(tlp: Tlp): string {
  return `tlp:${tlp.toLowerCase()}`;
}

/** Tag colours from the MISP `tlp` taxonomy, so receiving instances render them as usual. */
export const TLP_TAG_COLOURS: Readonly<Record<Tlp, string>> = {
  CLEAR: '#ffffff',
  GREEN: '#33FF00',
  AMBER: '#FFC000',
  'AMBER+STRICT': '#FFC000',
  RED: '#FF2B2B',
};

// ---------------------------------------------------------------------------
// STIX 2.1 marking definitions
// ---------------------------------------------------------------------------

/**
 * STIX 2.1 §7.2.1.4 predefined TLP marking definitions. These are TLP 1.0
 * (white/green/amber/red); read on import only.
 */
export const STIX_TLP1_MARKING_IDS: Readonly<Record<'WHITE' | 'GREEN' | 'AMBER' | 'RED', string>> = {
  WHITE: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  GREEN: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  AMBER: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  RED: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

/**
 * TLP 2.0 marking definitions published by the OASIS CTI TC as a STIX 2.1
 * property extension (cti-stix-common-objects,
 * extension-definition-specifications/tlp-2.0). Used on export and import.
 */
export const STIX_TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
export const STIX_TLP2_MARKING_IDS: Readonly<Record<Tlp, string>> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
/** `created` of all five TLP 2.0 objects, fixed by the same publication. */
const STIX_TLP2_CREATED = '2022-10-01T00:00:00.000Z';

const TLP_BY_STIX_ID: ReadonlyMap<string, Tlp> = new Map<string, Tlp>([
  [STIX_TLP1_MARKING_IDS.WHITE, 'CLEAR'],
  [STIX_TLP1_MARKING_IDS.GREEN, 'GREEN'],
  [STIX_TLP1_MARKING_IDS.AMBER, 'AMBER'],
  [STIX_TLP1_MARKING_IDS.RED, 'RED'],
  ...Object.entries(STIX_TLP2_MARKING_IDS).map(([tlp, id]) => [id, tlp as Tlp] as const),
]);

/** The TLP level a well-known STIX marking-definition id stands for (TLP 1.0 or 2.0), or null. */
export function tlpFromStixMarkingId(id: string): Tlp | null {
  return TLP_BY_STIX_ID.get(id.trim().toLowerCase()) ?? null;
}

/** The TLP 2.0 marking-definition id for a level (what PortShield exports). */
export function tlpToStixMarkingId(tlp: Tlp): string {
  return STIX_TLP2_MARKING_IDS[tlp];
}

/** The TLP 2.0 marking-definition object for a level, exactly as OASIS publishes it. */
export function stixTlpMarkingDefinition(tlp: Tlp): Record<string, unknown> {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: STIX_TLP2_MARKING_IDS[tlp],
    created: STIX_TLP2_CREATED,
    name: `TLP:${tlp}`,
    extensions: {
      [STIX_TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp.toLowerCase() },
    },
  };
}

function tlpFromWord(word: unknown): Tlp | null {
  return typeof word === 'string' ? tlpFromTag(`tlp:${word.replace(/^tlp\s*:/i, '')}`) : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The TLP level a marking-definition object expresses by its content, for
 * markings whose id is not one of the well-known ones: STIX 2.1 §7.2.1.4
 * (`definition_type: "tlp"`, `definition.tlp`), the TLP 2.0 extension
 * (`tlp_2_0`), or, failing those, a `name` of the form `TLP:AMBER`.
 */
export function tlpFromStixMarkingDefinition(object: unknown): Tlp | null {
  if (!isRecord(object)) return null;
  const byId = typeof object.id === 'string' ? tlpFromStixMarkingId(object.id) : null;
  const definition = object.definition;
  const byDefinition =
    object.definition_type === 'tlp' && isRecord(definition) ? tlpFromWord(definition.tlp) : null;
  const extensions = object.extensions;
  const ext = isRecord(extensions) ? extensions[STIX_TLP2_EXTENSION_ID] : undefined;
  const byExtension = isRecord(ext) ? tlpFromWord(ext.tlp_2_0) : null;
  const byName = typeof object.name === 'string' ? tlpFromWord(object.name) : null;
  // Should these disagree, the most restrictive wins (rule 1).
  return mostRestrictiveTlp(byId, byDefinition, byExtension, byName);
}

// ---------------------------------------------------------------------------
// Europol handling codes
// ---------------------------------------------------------------------------

/**
 * PortShield convention for carrying a Europol handling code in MISP (there
 * is no MISP taxonomy for it): the machine tag `europol:handling-code="H1"`.
 * Read case-insensitively, with or without quotes; written exactly as shown.
 * In STIX the code travels as a statement marking (see stix.ts) and is also
 * accepted as a label in this tag form.
 */
const HANDLING_TAG_RE = /^\s*europol\s*:\s*handling-code\s*=\s*"?([^"]*)"?\s*$/i;

export function handlingCodeToTag(code: HandlingCode): string {
  return `europol:handling-code="${code}"`;
}

/**
 * Order used when several handling codes arrive but a Marking has room for
 * one. The codes are not one scale (H1 limits judicial use, H2 limits
 * onward dissemination), so the one kept is the one that stops most of what
 * PortShield itself does with an item:
 * - H3 first: it stands for restrictions written out in free text that no
 *   program can evaluate, so it must force a person to read the source;
 * - H2 next: it forbids onward dissemination, which is what sharing is;
 * - H1 next: it limits use as evidence, which happens outside PortShield;
 * - H0 last: the purpose limitation every Europol exchange carries anyway.
 * Any code beats none. The codes not kept are not dropped: the converters
 * leave them among the item's tags (`europol:handling-code="H1"`), so a
 * person sees them and a re-export carries them on.
 */
export const HANDLING_CODE_PRECEDENCE: readonly HandlingCode[] = ['H0', 'H1', 'H2', 'H3'];

export function mostRestrictiveHandlingCode(
  ...codes: (HandlingCode | null | undefined)[]
): HandlingCode | null {
  let best: HandlingCode | null = null;
  for (const c of codes) {
    if (
      c != null &&
      (best === null || HANDLING_CODE_PRECEDENCE.indexOf(c) > HANDLING_CODE_PRECEDENCE.indexOf(best))
    )
      best = c;
  }
  return best;
}

/**
 * Statement text for a code. H0-H2 quote the Council manual (EU doc 6261/18);
 * for H3 ("Other restrictions and comments") the restriction itself is free
 * text that a Marking does not carry, so the statement sends readers to the provider.
 */
export const HANDLING_CODE_STATEMENTS: Readonly<Record<HandlingCode, string>> = {
  H0: 'Europol handling code H0: This information may only be used for the purpose of preventing and combating crimes in line with the Europol Regulation and any other applicable law.',
  H1: 'Europol handling code H1: Not to be disclosed in judicial proceedings without the permission of the provider.',
  H2: 'Europol handling code H2: Not to be disseminated without the permission of the provider.',
  H3: 'Europol handling code H3: Other restrictions and comments apply; consult the provider.',
};

// ---------------------------------------------------------------------------
// Admiralty scale (MISP `admiralty-scale` taxonomy) <-> Europol 4x4
// ---------------------------------------------------------------------------

const RELIABILITY_TAG_RE = /^\s*admiralty-scale\s*:\s*source-reliability\s*=\s*"?([^"]*)"?\s*$/i;
const CREDIBILITY_TAG_RE = /^\s*admiralty-scale\s*:\s*information-credibility\s*=\s*"?([^"]*)"?\s*$/i;

/**
 * MISP's Admiralty scale has six grades each way; Europol's (Regulation art.
 * 29) four. Mapping, chosen so a grade is never read as better than it was:
 * - source: a (completely reliable) -> A; b (usually reliable) -> B;
 *   c (fairly reliable), d (not usually reliable), e (unreliable) -> C
 *   ("in most instances proved to be unreliable"); f (cannot be judged) -> X.
 *   c -> C under-rates a "fairly reliable" source, deliberately.
 * - information: 1-4 -> 1-4; 5 (improbable) -> 4, Europol's lowest grade,
 *   rather than null, which would read as "not evaluated"; 6 (cannot be
 *   judged) -> null.
 * Export writes A->a, B->b, C->d, X->f and 1-4 as is, so a round trip is stable.
 */
const RELIABILITY_FROM_ADMIRALTY: Readonly<Record<string, SourceReliability>> = {
  a: 'A',
  b: 'B',
  c: 'C',
  d: 'C',
  e: 'C',
  f: 'X',
};
const RELIABILITY_TO_ADMIRALTY: Readonly<Record<SourceReliability, string>> = {
  A: 'a',
  B: 'b',
  C: 'd',
  X: 'f',
};
const CREDIBILITY_FROM_ADMIRALTY: Readonly<Record<string, InfoCredibility | null>> = {
  '1': '1',
  '2': '2',
  '3': '3',
  '4': '4',
  '5': '4',
  '6': null,
};

/**
 * When evaluations conflict, keep the weakest: X (cannot be assessed), then
 * C, B, A; and 4, 3, 2, 1. Same order as mergeMarkings in
 * src/access/markings.ts, so an import and a later merge agree.
 */
const RELIABILITY_DISTRUST: readonly SourceReliability[] = ['A', 'B', 'C', 'X'];
const CREDIBILITY_DISTRUST: readonly InfoCredibility[] = ['1', '2', '3', '4'];

function weakest<T>(order: readonly T[], values: readonly T[]): T | null {
  let worst: T | null = null;
  for (const v of values) if (worst === null || order.indexOf(v) > order.indexOf(worst)) worst = v;
  return worst;
}

export function sourceReliabilityToTag(r: SourceReliability): string {
  return `admiralty-scale:source-reliability="${RELIABILITY_TO_ADMIRALTY[r]}"`;
}

export function infoCredibilityToTag(c: InfoCredibility): string {
  return `admiralty-scale:information-credibility="${c}"`;
}

// ---------------------------------------------------------------------------
// Putting it together
// ---------------------------------------------------------------------------

/** Marking evidence collected from one or more sources before merging. */
export interface MarkingSignals {
  tlps: Tlp[];
  handlingCodes: HandlingCode[];
  reliabilities: SourceReliability[];
  credibilities: InfoCredibility[];
}

export function emptySignals(): MarkingSignals {
  return { tlps: [], handlingCodes: [], reliabilities: [], credibilities: [] };
}

export interface TagScan {
  signals: MarkingSignals;
  /** Tags that carry no marking, in their original order, without duplicates. */
  otherTags: string[];
  /** Tags in a marking namespace PortShield must understand but cannot. */
  invalid: { index: number; tag: string; message: string }[];
}

/**
 * Sort tags into marking evidence and ordinary tags. A `europol:handling-code`
 * tag with an unknown value is reported as invalid: a restriction we cannot
 * read is one we cannot honour, so the import must stop. An Admiralty tag
 * with an unknown grade is not a restriction and stays an ordinary tag.
 */
export function scanMarkingTags(tags: readonly string[]): TagScan {
  const signals = emptySignals();
  const otherTags: string[] = [];
  const invalid: TagScan['invalid'] = [];
  tags.forEach((tag, index) => {
    const tlp = tlpFromTag(tag);
    if (tlp) {
      signals.tlps.push(tlp);
      return;
    }
    const handling = HANDLING_TAG_RE.exec(tag);
    if (handling) {
      const code = (handling[1] ?? '').trim().toUpperCase();
      if ((HANDLING_CODE_PRECEDENCE as readonly string[]).includes(code)) {
        signals.handlingCodes.push(code as HandlingCode);
      } else {
        invalid.push({
          index,
          tag,
          message: `Unknown Europol handling code '${handling[1] ?? ''}' (expected H0-H3)`,
        });
      }
      return;
    }
    const reliability = RELIABILITY_TAG_RE.exec(tag);
    const r = RELIABILITY_FROM_ADMIRALTY[(reliability?.[1] ?? '').trim().toLowerCase()];
    if (reliability && r) {
      signals.reliabilities.push(r);
      return;
    }
    const credibility = CREDIBILITY_TAG_RE.exec(tag);
    const grade = (credibility?.[1] ?? '').trim();
    if (credibility && grade in CREDIBILITY_FROM_ADMIRALTY) {
      const c = CREDIBILITY_FROM_ADMIRALTY[grade];
      if (c) signals.credibilities.push(c);
      return;
    }
    if (!otherTags.includes(tag)) otherTags.push(tag);
  });
  return { signals, otherTags, invalid };
}

export function mergeSignals(...all: MarkingSignals[]): MarkingSignals {
  const out = emptySignals();
  for (const s of all) {
    out.tlps.push(...s.tlps);
    out.handlingCodes.push(...s.handlingCodes);
    out.reliabilities.push(...s.reliabilities);
    out.credibilities.push(...s.credibilities);
  }
  return out;
}

/**
 * Reduce marking evidence to one Marking (most restrictive TLP, default
 * AMBER; strongest handling code; weakest evaluations), plus the
 * tags for handling codes that did not make it into the Marking.
 */
export function resolveMarking(signals: MarkingSignals): { marking: Marking; extraTags: string[] } {
  const handlingCode = mostRestrictiveHandlingCode(...signals.handlingCodes);
  const extraCodes = HANDLING_CODE_PRECEDENCE.filter(
    (c) => c !== handlingCode && signals.handlingCodes.includes(c),
  );
  return {
    marking: {
      tlp: mostRestrictiveTlp(...signals.tlps) ?? DEFAULT_TLP,
      handlingCode,
      sourceReliability: weakest(RELIABILITY_DISTRUST, signals.reliabilities),
      infoCredibility: weakest(CREDIBILITY_DISTRUST, signals.credibilities),
    },
    extraTags: extraCodes.map(handlingCodeToTag),
  };
}

/** MISP tags (taxonomy form) for a whole Marking: TLP first, then handling code, then evaluation. */
export function markingToTags(marking: Marking): string[] {
  const tags = [tlpToMispTag(marking.tlp)];
  if (marking.handlingCode) tags.push(handlingCodeToTag(marking.handlingCode));
  tags.push(...evaluationTags(marking));
  return tags;
}

/** Admiralty tags for the evaluation part of a Marking. */
export function evaluationTags(marking: Marking): string[] {
  const tags: string[] = [];
  if (marking.sourceReliability) tags.push(sourceReliabilityToTag(marking.sourceReliability));
  if (marking.infoCredibility) tags.push(infoCredibilityToTag(marking.infoCredibility));
  return tags;
}

/**
 * Refuse to put TLP:RED into an exchange file. RED is "for the eyes and ears
 * of individual recipients only" (FIRST TLP 2.0); a MISP event or STIX bundle
 * is built to be passed on, so no export format can honour it.
 */
export function assertExportable(marking: Marking, format: string): void {
  if (marking.tlp === 'RED') {
    throw new AppError('MARKING_VIOLATION', `TLP:RED items cannot be exported as ${format}`, [
      {
        path: 'marking.tlp',
        message: 'TLP:RED is limited to the individual recipients and may not be exported',
      },
    ]);
  }
}
