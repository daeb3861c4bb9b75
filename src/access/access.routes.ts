import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.ts';
import type { Db } from '../platform/database.ts';
import { AppError } from '../platform/errors.ts';
import { actorOf, requireAuth } from '../platform/http.ts';
import { communityInputSchema, communitySchema } from './access.schema.ts';
import { createCommunity, listCommunities } from './access.store.ts';

export function accessRoutes(app: FastifyInstance, deps: { db: Db; audit: AuditLog }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/admin/communities',
    { preHandler: [requireAuth], schema: { tags: ['admin'], response: { 200: z.array(communitySchema) } } },
    async (req) => {
      const actor = actorOf(req);
      // An administration list, like /api/admin/orgs; everyone else reads communities in /api/directory.
      if (!actor.permissions.has('admin:communities') && !actor.permissions.has('admin:users')) {
        throw new AppError('FORBIDDEN', 'Needs admin:communities');
      }
      return listCommunities(deps.db);
    },
  );
  r.post(
    '/api/admin/communities',
    {
      preHandler: [requireAuth],
      schema: { tags: ['admin'], body: communityInputSchema, response: { 201: communitySchema } },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      if (!actor.permissions.has('admin:communities'))
        throw new AppError('FORBIDDEN', 'Needs admin:communities');
      const c = await deps.db.transaction().execute(async (tx) => {
        const created = await createCommunity(tx, req.body);
        await deps.audit.append(
          tx,
          { userId: actor.userId, orgId: actor.orgId },
          {
            action: 'collection',
            objectType: 'community',
            objectId: created.id,
            details: { name: created.name, members: created.memberOrgIds },
          },
        );
        return created;
      });
      return reply.code(201).send(c);
    },
  );
}
