import type { Marking, Tlp } from '../api/types.ts';

/** TLP 2.0 colours: coloured text on a black background. */
export const TLP_COLOURS: Record<Tlp, string> = {
  RED: '#FF2B2B',
  'AMBER+STRICT': '#FFC000',
  AMBER: '#FFC000',
  GREEN: '#33FF00',
  CLEAR: '#FFFFFF',
};

export const TLP_BACKGROUND = '#000000';

/** `TLP:AMBER+STRICT` — TLP labels are never translated (FIRST TLP 2.0). */
export function tlpLabel(tlp: Tlp): string {
  return `TLP:${tlp}`;
}

/** Admiralty grading, e.g. `B2`; `null` when neither part is set. */
export function gradingLabel(marking: Marking): string | null {
  if (!marking.sourceReliability && !marking.infoCredibility) return null;
  return `${marking.sourceReliability ?? 'X'}${marking.infoCredibility ?? '–'}`;
}

/** `TLP:AMBER+STRICT · H1 · B2` */
export function markingLabel(marking: Marking): string {
  return [tlpLabel(marking.tlp), marking.handlingCode, gradingLabel(marking)].filter(Boolean).join(' · ');
}
