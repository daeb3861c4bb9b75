import { z } from 'zod';
import { distributionSchema, markingSchema } from '../access/index.ts';
import { OBSERVABLE_TYPES } from '../identifiers/index.ts';

export const ITEM_KINDS = ['alert', 'report', 'rfi'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const SUBJECT_CATEGORIES = ['suspect', 'convicted', 'victim', 'witness', 'contact', 'other'] as const;
export const SIGHTING_KINDS = ['seen', 'false_positive', 'acted_on', 'seizure'] as const;

export const observableInputSchema = z
  .object({
    type: z.enum(OBSERVABLE_TYPES as unknown as [string, ...string[]]),
    value: z.string().min(1).max(500),
  })
  .strict();

export const personalDataSchema = z
  .object({
    subjectCategory: z.enum(SUBJECT_CATEGORIES),
    reviewDate: z.iso.date(),
  })
  .strict();

export const itemInputSchema = z
  .object({
    kind: z.enum(ITEM_KINDS),
    title: z.string().trim().min(3).max(300),
    body: z.string().max(100_000).default(''),
    marking: markingSchema,
    distribution: distributionSchema,
    personalData: personalDataSchema.nullable().default(null),
    observables: z.array(observableInputSchema).max(1000).default([]),
    addressees: z.array(z.uuid()).max(200).default([]),
    deadline: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .strict();
export type ItemInput = z.infer<typeof itemInputSchema>;
export type ItemInputRaw = z.input<typeof itemInputSchema>;

export const listQuerySchema = z
  .object({
    q: z.string().max(500).optional(),
    kind: z.enum(ITEM_KINDS).optional(),
    tlp: markingSchema.shape.tlp.optional(),
    observable: z.string().max(500).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(25),
  })
  .strict();
export type ListQuery = z.infer<typeof listQuerySchema>;

export const itemSummarySchema = z.object({
  id: z.uuid(),
  kind: z.enum(ITEM_KINDS),
  title: z.string(),
  marking: markingSchema,
  ownerOrgId: z.uuid(),
  ownerOrgName: z.string(),
  authorName: z.string(),
  createdAt: z.string(),
  personalData: z.boolean(),
  observableCount: z.number().int(),
});
export type ItemSummary = z.infer<typeof itemSummarySchema>;

export const correlationSchema = z.object({
  visible: z.array(
    z.object({
      itemId: z.uuid(),
      title: z.string(),
      kind: z.enum(ITEM_KINDS),
      observableType: z.string(),
      normalized: z.string(),
    }),
  ),
  restricted: z.array(
    z.object({ observableType: z.string(), normalized: z.string(), count: z.number().int() }),
  ),
  /** Values carried by too many items to correlate one by one (a port, a carrier): counts only, no hits. */
  common: z.array(z.object({ observableType: z.string(), normalized: z.string(), count: z.number().int() })),
});
export type Correlation = z.infer<typeof correlationSchema>;

export const sightingSchema = z.object({
  id: z.uuid(),
  kind: z.enum(SIGHTING_KINDS),
  note: z.string().nullable(),
  authorName: z.string(),
  orgName: z.string(),
  createdAt: z.string(),
});
export const replySchema = z.object({
  id: z.uuid(),
  body: z.string(),
  bodyHtml: z.string(),
  authorName: z.string(),
  orgName: z.string(),
  createdAt: z.string(),
});

export const itemSchema = itemSummarySchema.extend({
  body: z.string(),
  bodyHtml: z.string(),
  distribution: distributionSchema,
  personalDataDetail: personalDataSchema.nullable(),
  observables: z.array(
    z.object({ id: z.number().int(), type: z.string(), value: z.string(), normalized: z.string() }),
  ),
  correlation: correlationSchema,
  sightings: z.array(sightingSchema),
  replies: z.array(replySchema),
  addressees: z.array(z.uuid()),
  deadline: z.string().nullable(),
  tags: z.array(z.string()),
  attachments: z.array(
    z.object({
      id: z.uuid(),
      filename: z.string(),
      mediaType: z.string(),
      size: z.number().int(),
      sha256: z.string(),
      createdAt: z.string(),
    }),
  ),
  canEdit: z.boolean(),
  reviewFlagged: z.boolean(),
});
export type Item = z.infer<typeof itemSchema>;

export const replyInputSchema = z.object({ body: z.string().trim().min(1).max(50_000) }).strict();
export const sightingInputSchema = z
  .object({ kind: z.enum(SIGHTING_KINDS), note: z.string().max(2000).optional() })
  .strict();
export const widenInputSchema = z
  .object({ distribution: distributionSchema, reason: z.string().trim().min(3).max(2000) })
  .strict();
export const justificationSchema = z.object({ justification: z.string().trim().min(3).max(2000) }).strict();

export const hitSchema = z.object({
  id: z.uuid(),
  itemId: z.uuid().nullable(),
  itemTitle: z.string().nullable(),
  observableType: z.string(),
  normalized: z.string(),
  requesterName: z.string(),
  requesterOrgName: z.string(),
  status: z.enum(['new', 'contact_requested', 'granted', 'declined']),
  justification: z.string().nullable(),
  mine: z.boolean(),
  createdAt: z.string(),
});
export type Hit = z.infer<typeof hitSchema>;

export const wideningRequestSchema = z.object({
  id: z.uuid(),
  itemId: z.uuid(),
  itemTitle: z.string(),
  requesterName: z.string(),
  distribution: distributionSchema,
  reason: z.string(),
  status: z.enum(['pending', 'approved', 'declined']),
  createdAt: z.string(),
});

export const attachmentInputSchema = z
  .object({
    filename: z.string().trim().min(1).max(255),
    mediaType: z.string().min(3).max(200),
    contentBase64: z.base64().max(7_000_000),
  })
  .strict();
