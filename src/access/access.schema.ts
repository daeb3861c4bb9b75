import { z } from 'zod';

/** TLP 2.0 (FIRST, 2022), from least to most restrictive. */
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/**
 * Europol (SIENA) handling codes, per the Council's manual on law-enforcement information exchange
 * (EU doc 6261/18): H0 only for preventing and combating crime; H1 not to be disclosed in judicial
 * proceedings without the provider's permission; H2 not to be disseminated without the provider's
 * permission; H3 other restrictions stated with the item.
 */
export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

/** Admiralty-style evaluation (4x4 as used by Europol): source reliability and information credibility. */
export const SOURCE_RELIABILITY = ['A', 'B', 'C', 'X'] as const;
export const INFO_CREDIBILITY = ['1', '2', '3', '4'] as const;

export const markingSchema = z
  .object({
    tlp: z.enum(TLP_LEVELS),
    handlingCode: z.enum(HANDLING_CODES).nullable(),
    sourceReliability: z.enum(SOURCE_RELIABILITY).nullable(),
    infoCredibility: z.enum(INFO_CREDIBILITY).nullable(),
  })
  .strict();
export type Marking = z.infer<typeof markingSchema>;

export const distributionSchema = z
  .object({
    orgs: z.array(z.uuid()).max(500).default([]),
    users: z.array(z.uuid()).max(500).default([]),
    communities: z.array(z.uuid()).max(100).default([]),
    node: z.boolean().default(false),
  })
  .strict();
export type Distribution = z.infer<typeof distributionSchema>;

export const emptyDistribution = (): Distribution => ({ orgs: [], users: [], communities: [], node: false });

export const communityInputSchema = z
  .object({
    name: z.string().trim().min(2).max(200),
    description: z.string().max(2000).default(''),
    memberOrgIds: z.array(z.uuid()).max(1000).default([]),
  })
  .strict();
export type CommunityInput = z.infer<typeof communityInputSchema>;

export const communitySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  memberOrgIds: z.array(z.uuid()),
});
export type Community = z.infer<typeof communitySchema>;
