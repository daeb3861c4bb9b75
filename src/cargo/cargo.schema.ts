/**
 * zod schemas of the cargo module: the single source of validation and types for what enters
 * from outside (declarations, watchlist entries, rule-set envelopes).
 *
 * A declaration carries the data of an ICS2 entry summary declaration (ENS) for one container,
 * at master and house level (EU Implementing Regulation 2015/2447, annex B, data sets F10–F15:
 * carrier, means of transport, routing, transport documents, parties, goods). Identifiers are
 * checked and normalised afterwards by `normalizeDeclaration` (declaration.ts) through the
 * `identifiers` module, so the schema only checks shape, lengths and obvious formats.
 */
import { z } from 'zod';

const MAX_NAME = 512;
const MAX_ADDRESS = 1024;

/** ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`): no local time, no ambiguity. */
const dateTime = z.iso.datetime({ offset: true });
/** A calendar date or a date-time. */
const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** UN/LOCODE as written by filers: `NLRTM` or `NL RTM`; checked by the identifiers module. */
const locode = z.string().trim().min(5).max(6);

const country = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code');

export const PartySchema = z.strictObject({
  name: z.string().trim().min(1).max(MAX_NAME),
  address: z.string().trim().min(1).max(MAX_ADDRESS),
  country,
  /** Required by ICS2 for parties established in the EU; checked when present. */
  eori: z.string().trim().min(3).max(17).optional(),
  phone: z.string().trim().min(3).max(32).optional(),
});
export type PartyInput = z.infer<typeof PartySchema>;

/** What an amendment (a later version of the same ENS) changed; kept as the filing trail. */
export const AMENDABLE_PARTS = [
  'consignee',
  'notify',
  'shipper',
  'goods',
  'route',
  'container',
  'freight',
  'transport',
  'other',
] as const;
export type AmendablePart = (typeof AMENDABLE_PARTS)[number];

export const AmendmentSchema = z.strictObject({
  version: z.int().min(2).max(999),
  filedAt: dateTime,
  parts: z.array(z.enum(AMENDABLE_PARTS)).min(1).max(AMENDABLE_PARTS.length),
});

export const DeclarationSchema = z
  .strictObject({
    /** The filer's reference for this declaration (stable across amendments). */
    id: z.string().trim().min(1).max(70),
    /** 1 for the original filing, n for the (n−1)-th amendment. */
    version: z.int().min(1).max(999),
    carrier: z
      .strictObject({
        scac: z
          .string()
          .trim()
          .regex(/^[A-Za-z]{2,4}$/, 'expected a 2–4 letter SCAC')
          .optional(),
        name: z.string().trim().min(1).max(MAX_NAME).optional(),
      })
      .refine((c) => c.scac !== undefined || c.name !== undefined, 'carrier needs a SCAC or a name'),
    vessel: z.strictObject({
      imo: z.string().trim().min(7).max(12),
      name: z.string().trim().min(1).max(128).optional(),
    }),
    voyage: z.string().trim().min(1).max(17),
    route: z.strictObject({
      loading: locode,
      /** Ports of call between loading and discharge where the container stays on board. */
      callPorts: z.array(locode).max(30),
      /** Ports where the container is transshipped (moved to another vessel). */
      transshipment: z.array(locode).max(10),
      discharge: locode,
      /** Customs office of first entry (customs office reference number, e.g. NL000396). */
      firstEntryOffice: z
        .string()
        .trim()
        .regex(/^[A-Za-z]{2}[A-Za-z0-9]{6}$/, 'expected a customs office reference number like NL000396'),
    }),
    times: z.strictObject({
      bookedAt: dateOrDateTime,
      filedAt: dateTime,
      /** Estimated time of departure from the port of loading, when known (pre-loading filing). */
      etd: dateTime.optional(),
      eta: dateTime,
    }),
    container: z.strictObject({
      number: z.string().trim().min(11).max(15),
      /** ISO 6346 size-type code, e.g. 45R1 (40' high-cube reefer), 22G1 (20' general). */
      sizeType: z
        .string()
        .trim()
        .regex(/^[0-9A-Za-z]{2}[A-Za-z][0-9A-Za-z]$/, 'expected an ISO 6346 size-type code like 45R1'),
      /** Free text on purpose: malformed seals are a risk indicator, not a rejection. */
      seals: z.array(z.string().max(40)).max(6),
    }),
    transportDocuments: z.strictObject({
      masterBl: z.string().trim().min(1).max(35),
      houseBl: z.string().trim().min(1).max(35).optional(),
    }),
    shipper: PartySchema,
    consignee: PartySchema,
    notify: PartySchema.optional(),
    goods: z.strictObject({
      description: z.string().trim().min(1).max(512),
      hsCode: z.string().trim().min(4).max(14),
      packages: z.int().min(1).max(10_000_000),
      grossKg: z.number().positive().max(200_000),
      value: z
        .strictObject({
          amount: z.number().nonnegative().max(1e12),
          currency: z
            .string()
            .trim()
            .regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 currency code'),
        })
        .optional(),
    }),
    freight: z.strictObject({
      terms: z.enum(['prepaid', 'collect']),
      payer: PartySchema.optional(),
    }),
    amendments: z.array(AmendmentSchema).max(50).optional(),
  })
  .superRefine((d, ctx) => {
    const filed = Date.parse(d.times.filedAt);
    const eta = Date.parse(d.times.eta);
    const booked = Date.parse(d.times.bookedAt);
    if (booked > filed) {
      ctx.addIssue({ code: 'custom', path: ['times', 'bookedAt'], message: 'booking after filing' });
    }
    if (eta < booked) {
      ctx.addIssue({ code: 'custom', path: ['times', 'eta'], message: 'arrival before booking' });
    }
    const amendments = d.amendments ?? [];
    amendments.forEach((a, i) => {
      if (a.version > d.version) {
        ctx.addIssue({
          code: 'custom',
          path: ['amendments', i, 'version'],
          message: `amendment version ${a.version} is later than the declaration version ${d.version}`,
        });
      }
    });
  });

export type DeclarationInput = z.infer<typeof DeclarationSchema>;

/* ------------------------------------------------------------------------------------------ */
/* Watchlists                                                                                  */
/* ------------------------------------------------------------------------------------------ */

const watchlistBase = {
  id: z.string().trim().min(1).max(200),
  /** Where the entry comes from (e.g. `opensanctions:eu_fsf`, `nl-customs`). */
  source: z.string().trim().min(1).max(200),
  reason: z.string().trim().max(1000).optional(),
  /** 0–1: how much a hit on this entry should weigh (1 = full watchlist weight). */
  weight: z.number().min(0).max(1).optional(),
};

export const WatchlistEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...watchlistBase,
    kind: z.literal('party'),
    names: z.array(z.string().trim().min(1).max(MAX_NAME)).min(1).max(200),
    countries: z.array(country).max(50).optional(),
    eoris: z.array(z.string().trim().min(3).max(17)).max(20).optional(),
  }),
  z.strictObject({
    ...watchlistBase,
    kind: z.literal('container'),
    value: z.string().trim().min(11).max(15),
  }),
  z.strictObject({ ...watchlistBase, kind: z.literal('vessel'), value: z.string().trim().min(7).max(12) }),
  z.strictObject({ ...watchlistBase, kind: z.literal('phone'), value: z.string().trim().min(3).max(32) }),
]);
export type WatchlistEntryInput = z.infer<typeof WatchlistEntrySchema>;

/* ------------------------------------------------------------------------------------------ */
/* Rule-set envelope (the condition tree itself is checked by rules.ts for precise messages)    */
/* ------------------------------------------------------------------------------------------ */

const ruleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'expected lower-case letters, digits, ".", "_" or "-" (≤ 80)');

export const RuleEnvelopeSchema = z.strictObject({
  id: ruleId,
  version: z.int().min(1).max(1_000_000).optional(),
  name: z.string().trim().min(1).max(200),
  /** Shown to analysts beside every hit: say why the rule exists and what it looks for. */
  description: z.string().trim().min(1).max(4000),
  weight: z.number().min(-100).max(100),
  scope: z
    .strictObject({
      ports: z.array(z.string().trim().min(5).max(6)).max(200).optional(),
      countries: z.array(country).max(60).optional(),
    })
    .optional(),
  validFrom: dateOrDateTime.optional(),
  validTo: dateOrDateTime.optional(),
  /** Checked by rules.ts: an expression tree of all / any / not and field comparisons. */
  when: z.unknown(),
});
export type RuleEnvelope = z.infer<typeof RuleEnvelopeSchema>;

export const RuleSetEnvelopeSchema = z.strictObject({
  version: z.int().min(1).max(1_000_000).optional(),
  name: z.string().trim().max(200).optional(),
  lists: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), z.array(z.string().max(100)).max(10_000))
    .optional(),
  rules: z.array(z.unknown()).max(5000),
});
