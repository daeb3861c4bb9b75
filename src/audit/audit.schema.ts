import { z } from 'zod';

/** The acts DESIGN.md requires to be logged (collection … erasure), plus sign-in events and denials. */
export const AUDIT_ACTIONS = [
  'collection',
  'alteration',
  'consultation',
  'disclosure',
  'combination',
  'erasure',
  'login',
  'login_failed',
  'logout',
  'access_denied',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  objectType: string;
  objectId: string | null;
  justification?: string | null;
  /** To whom something was disclosed: user, organisation or community ids, or 'node'. */
  recipients?: string[];
  details?: Record<string, string | number | boolean | null | string[]>;
}

/** An audit record as the API shows it; `index` is its leaf index in the Merkle tree. */
export const auditRecordSchema = z.object({
  index: z.number().int(),
  timestamp: z.string(),
  userId: z.string().nullable(),
  orgId: z.string().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  objectType: z.string(),
  itemId: z.string().nullable(),
  justification: z.string().nullable(),
  recipients: z.array(z.string()),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const signedTreeHeadSchema = z.object({
  treeSize: z.number().int(),
  rootHash: z.string(),
  timestamp: z.string(),
  signature: z.string(),
  keyId: z.string(),
  publicKey: z.string(),
});

export const inclusionProofSchema = z.object({
  leafIndex: z.number().int(),
  treeSize: z.number().int(),
  leafHash: z.string(),
  rootHash: z.string(),
  path: z.array(z.string()),
});

export const consistencyProofSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  fromRoot: z.string(),
  toRoot: z.string(),
  path: z.array(z.string()),
});
