import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import { actorOf, requireAuth } from '../platform/http.ts';
import {
  AUDIT_ACTIONS,
  consistencyProofSchema,
  inclusionProofSchema,
  signedTreeHeadSchema,
} from './audit.schema.ts';
import type { AuditLog } from './audit.ts';

const querySchema = z
  .object({
    userId: z.uuid().optional(),
    itemId: z.uuid().optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export function auditRoutes(app: FastifyInstance, deps: { audit: AuditLog }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { audit } = deps;

  r.get(
    '/api/audit',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['audit'],
        summary: 'Audit records (data-protection officers, auditors)',
        querystring: querySchema,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      if (!actor.permissions.has('audit:read')) throw new AppError('FORBIDDEN', 'Needs audit:read');
      const q = req.query;
      // A data-protection officer sees what the people of their own organisation did; an auditor sees the node.
      const limitToOrg = actor.permissions.has('audit:read:node') ? undefined : actor.orgId;
      return audit.query({
        ...(q.userId ? { userId: q.userId } : {}),
        ...(q.itemId ? { objectId: q.itemId } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(limitToOrg ? { limitToOrg } : {}),
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
    },
  );

  // Tree heads and proofs reveal only hashes: any signed-in user (or peer) may check the log.
  r.get(
    '/api/audit/head',
    { preHandler: [requireAuth], schema: { tags: ['audit'], response: { 200: signedTreeHeadSchema } } },
    async () => audit.signHead(),
  );

  r.get(
    '/api/audit/proofs/inclusion',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['audit'],
        querystring: z
          .object({ index: z.coerce.number().int().min(0), treeSize: z.coerce.number().int().min(1) })
          .strict(),
        response: { 200: inclusionProofSchema },
      },
    },
    async (req) => audit.inclusion(req.query.index, req.query.treeSize),
  );

  r.get(
    '/api/audit/proofs/consistency',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['audit'],
        querystring: z
          .object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) })
          .strict(),
        response: { 200: consistencyProofSchema },
      },
    },
    async (req) => audit.consistency(req.query.from, req.query.to),
  );
}
