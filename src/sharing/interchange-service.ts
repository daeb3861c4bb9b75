import type { Actor } from '../access/index.ts';
import { checkExportable, emptyDistribution } from '../access/index.ts';
import { AppError, type ErrorDetail } from '../platform/errors.ts';
import type { InterchangeItem } from './interchange.ts';
import { parseMispEvent, toMispEvent } from './misp.ts';
import type { Correlation, Item } from './sharing.schema.ts';
import type { SharingService } from './sharing.ts';
import { normalizeObservables } from './sharing.ts';
import { parseStixBundle, toStixBundle } from './stix.ts';

export type InterchangeFormat = 'misp' | 'stix';

export interface ImportResult {
  item: Item;
  correlation: Correlation;
  /** Observables that were not valid identifiers: kept out, reported with their path and reason. */
  quarantined: ErrorDetail[];
}

/**
 * Imports one MISP event or STIX bundle as an item of the actor's organisation. The file's marking
 * is kept (never weakened); the distribution starts at the organisation only — widening it is
 * a separate, audited act. Observables that fail validation are quarantined, not stored.
 */
export async function importInterchange(
  sharing: SharingService,
  actor: Actor,
  format: InterchangeFormat,
  json: unknown,
): Promise<ImportResult> {
  const parsed: InterchangeItem = format === 'misp' ? parseMispEvent(json) : parseStixBundle(json);
  const { good, bad } = normalizeObservables(parsed.observables);
  if (!parsed.title.trim())
    throw new AppError('IMPORT_FAILED', 'The file has no title', [{ path: 'title', message: 'empty' }]);
  const source = parsed.source ? `\n\n_Source: ${parsed.source}_` : '';
  const { item, correlation } = await sharing.publish(
    actor,
    {
      kind: parsed.kind,
      title: parsed.title.slice(0, 300).padEnd(3, '.'),
      body: `${parsed.body}${source}`.slice(0, 100_000),
      marking: parsed.marking,
      distribution: emptyDistribution(),
      personalData: null,
      observables: good.map((o) => ({ type: o.type, value: o.value })),
      addressees: [],
      deadline: null,
    },
    { externalId: parsed.externalId, tags: parsed.tags },
  );
  return { item, correlation, quarantined: bad };
}

/** Exports an item the actor may see; TLP:RED never leaves in a file. The export is audited as a disclosure. */
export async function exportInterchange(
  sharing: SharingService,
  actor: Actor,
  itemId: string,
  format: InterchangeFormat,
  justification: string | null,
): Promise<unknown> {
  const item = await sharing.get(actor, itemId, justification);
  checkExportable(item.marking);
  const base: InterchangeItem & { id: string } = {
    id: item.id,
    kind: item.kind,
    title: item.title,
    body: item.body,
    marking: item.marking,
    observables: item.observables.map((o) => ({
      type: o.type as InterchangeItem['observables'][number]['type'],
      value: o.value,
    })),
    tags: item.tags,
    externalId: null,
    createdAt: item.createdAt,
    source: item.ownerOrgName,
  };
  const out =
    format === 'misp'
      ? toMispEvent({ ...base, ownerOrgName: item.ownerOrgName })
      : toStixBundle({ ...base, createdAt: item.createdAt, ownerOrgName: item.ownerOrgName });
  await sharing.auditExport(actor, itemId, format);
  return out;
}
