import { z } from 'zod';
import { ROLES } from '../access/index.ts';

export const ORG_KINDS = [
  'customs',
  'police',
  'judicial',
  'fiu',
  'port_authority',
  'terminal_operator',
  'shipping_line',
  'forwarder',
  'haulier',
  'eu_agency',
  'partner_agency',
  'secretariat',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const LOCALES = ['en', 'nl', 'fr', 'de', 'es', 'it'] as const;

export const orgInputSchema = z
  .object({
    name: z.string().trim().min(2).max(200),
    country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case'),
    sector: z.enum(['public', 'private']),
    kind: z.enum(ORG_KINDS),
  })
  .strict();
export type OrgInput = z.infer<typeof orgInputSchema>;

export const orgSchema = orgInputSchema.extend({ id: z.uuid() });
export type Org = z.infer<typeof orgSchema>;

export const userInputSchema = z
  .object({
    username: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'letters, digits, dot, dash or underscore; 3 to 64 characters'),
    displayName: z.string().trim().min(1).max(200),
    orgId: z.uuid(),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    password: z.string().min(12, 'at least 12 characters').max(256),
    locale: z.enum(LOCALES).default('en'),
  })
  .strict();
export type UserInput = z.infer<typeof userInputSchema>;

export const loginSchema = z
  .object({
    username: z.string().trim().toLowerCase().min(1).max(64),
    password: z.string().min(1).max(256),
    totp: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
  })
  .strict();
export type LoginInput = z.infer<typeof loginSchema>;

export const publicUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  locale: z.string(),
  orgId: z.uuid(),
  orgName: z.string(),
  orgCountry: z.string(),
  orgSector: z.enum(['public', 'private']),
  orgKind: z.string(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

export const sessionAnswerSchema = z.object({ user: publicUserSchema, csrfToken: z.string() });

export const adminUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  orgId: z.uuid(),
  roles: z.array(z.string()),
  locale: z.string(),
  mfa: z.boolean(),
  disabled: z.boolean(),
});
