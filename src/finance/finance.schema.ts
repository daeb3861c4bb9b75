import { z } from 'zod';
import { distributionSchema, markingSchema } from '../access/index.ts';
import { validateUnLocode } from '../identifiers/index.ts';

export const traceInputSchema = z
  .object({
    /** An address, `cluster:<id>` or a transaction id (64 hex digits). */
    from: z.string().trim().min(1).max(200),
    direction: z.enum(['forward', 'backward']).default('forward'),
    model: z.enum(['poison', 'haircut', 'fifo']).default('haircut'),
    hops: z.number().int().min(1).max(6).default(3),
    format: z.enum(['json', 'csv', 'graphml']).default('json'),
    /** Account chains (ETH, TRON): the token to follow; default: the one the source moved most often. */
    token: z.string().trim().min(1).max(100).optional(),
    /**
     * Bitcoin: treat likely one-time change (heuristic, change-links.ts) as the spender's own: the trace
     * continues through it without spending a hop; such edges say `viaChange` with the link's confidence.
     */
    includeChange: z.boolean().optional(),
  })
  .strict();
export type TraceInput = z.infer<typeof traceInputSchema>;

export const pathInputSchema = z
  .object({
    from: z.string().trim().min(1).max(200),
    to: z.string().trim().min(1).max(200),
    hops: z.number().int().min(1).max(6).default(6),
  })
  .strict();

export const tagInputSchema = z
  .object({
    address: z.string().trim().min(1).max(200).optional(),
    clusterId: z.number().int().min(0).optional(),
    label: z.string().trim().min(1).max(200),
    category: z.string().trim().min(1).max(60).nullable().default(null),
    source: z.string().trim().max(500).nullable().default(null),
    confidence: z.string().trim().max(60).nullable().default(null),
    marking: markingSchema,
    distribution: distributionSchema.default({ orgs: [], users: [], communities: [], node: false }),
  })
  .strict();

export const tagPackInputSchema = z
  .object({
    yaml: z.string().min(1).max(20_000_000),
    marking: markingSchema,
    distribution: distributionSchema.default({ orgs: [], users: [], communities: [], node: false }),
  })
  .strict();

export const watchInputSchema = z
  .object({
    address: z.string().trim().min(1).max(200).optional(),
    clusterId: z.number().int().min(0).optional(),
    note: z.string().max(2000).default(''),
    /** Also publish a sharing item (kind alert) for each alert, with this marking, to this community. */
    share: z.object({ tlp: markingSchema.shape.tlp, communityId: z.uuid().optional() }).strict().optional(),
  })
  .strict();

export const blocksInputSchema = z
  .object({ hex: z.array(z.string().min(160).max(16_000_000)).min(1).max(100) })
  .strict();

export const transfersInputSchema = z.object({ text: z.string().min(1).max(50_000_000) }).strict();

export const paymentsInputSchema = z.object({ text: z.string().min(1).max(50_000_000) }).strict();

export const paymentsQuerySchema = z
  .object({
    /** Part of a payer's or payee's name (folded like stored names). */
    party: z.string().trim().min(2).max(300).optional(),
    /** Payer or payee IBAN (any spacing or case). */
    iban: z.string().trim().min(5).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .strict();

const day = z.iso.date();

export const tbmlQuerySchema = z
  .object({
    /** Port of discharge (UN/LOCODE). */
    port: z
      .string()
      .max(16)
      .transform((p, ctx) => {
        const r = validateUnLocode(p);
        if (r.ok) return r.value;
        ctx.addIssue({ code: 'custom', message: r.message });
        return z.NEVER;
      })
      .optional(),
    /** HS code or its first 2–6 digits (dots and spaces ignored). */
    hs: z
      .string()
      .trim()
      .regex(/^[\d.\s]+$/, 'expected digits of an HS code')
      .transform((h) => h.replace(/\D/g, ''))
      .pipe(z.string().min(2, 'at least the 2-digit HS chapter').max(6))
      .optional(),
    direction: z.enum(['over', 'under']).optional(),
    /** Filing date range, both inclusive. */
    from: day.optional(),
    to: day.optional(),
    /** Smallest deviation factor from the Q1–Q3 band that flags (1 = anything outside the band). */
    minFactor: z.coerce.number().min(1).max(1000).default(2),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type TbmlQuery = z.infer<typeof tbmlQuerySchema>;

export const clusterQuerySchema = z
  .object({
    offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
