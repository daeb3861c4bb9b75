import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.ts';
import { notFound } from '../platform/errors.ts';
import { actorOf, decodedHeader, requireAuth } from '../platform/http.ts';
import type { EventBus, LiveEvent } from './events.ts';
import { exportInterchange, importInterchange } from './interchange-service.ts';
import {
  attachmentInputSchema,
  correlationSchema,
  itemInputSchema,
  itemSchema,
  justificationSchema,
  listQuerySchema,
  replyInputSchema,
  replySchema,
  sightingInputSchema,
  sightingSchema,
  widenInputSchema,
} from './sharing.schema.ts';
import type { SharingService } from './sharing.ts';

const idParams = z.object({ id: z.string().max(64) }).strict();

export function sharingRoutes(
  app: FastifyInstance,
  deps: { sharing: SharingService; events: EventBus; audit: AuditLog },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { sharing } = deps;

  r.get(
    '/api/items',
    {
      preHandler: [requireAuth],
      schema: { tags: ['items'], summary: 'Search the items you may see', querystring: listQuerySchema },
    },
    async (req) => sharing.list(actorOf(req), req.query),
  );

  r.post(
    '/api/items',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['items'],
        summary: 'Publish an alert, report or request for information; correlates its observables',
        body: itemInputSchema,
        response: { 201: z.object({ item: itemSchema, correlation: correlationSchema }) },
      },
    },
    async (req, reply) => reply.code(201).send(await sharing.publish(actorOf(req), req.body)),
  );

  r.get(
    '/api/items/:id',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['items'],
        summary: 'Read one item (personal data needs the x-justification header)',
        params: idParams,
        response: { 200: itemSchema },
      },
    },
    async (req) => sharing.get(actorOf(req), req.params.id, decodedHeader(req, 'x-justification')),
  );

  r.post(
    '/api/items/:id/replies',
    {
      preHandler: [requireAuth],
      schema: { tags: ['items'], params: idParams, body: replyInputSchema, response: { 201: replySchema } },
    },
    async (req, reply) =>
      reply.code(201).send(await sharing.reply(actorOf(req), req.params.id, req.body.body)),
  );

  r.post(
    '/api/items/:id/sightings',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['items'],
        params: idParams,
        body: sightingInputSchema,
        response: { 201: sightingSchema },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await sharing.addSighting(actorOf(req), req.params.id, req.body.kind, req.body.note)),
  );

  r.post(
    '/api/items/:id/widen',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['items'],
        summary: 'Widen the distribution (originator) or ask the originator to',
        params: idParams,
        body: widenInputSchema,
      },
    },
    async (req) => sharing.widen(actorOf(req), req.params.id, req.body.distribution, req.body.reason),
  );

  r.post(
    '/api/items/:id/observables',
    {
      preHandler: [requireAuth],
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        tags: ['items'],
        summary: 'Append a batch of observables to your item (one transaction per batch)',
        params: idParams,
        body: z
          .object({
            observables: z
              .array(z.object({ type: z.string(), value: z.string().max(500) }).strict())
              .max(20_000),
          })
          .strict(),
      },
    },
    async (req) => sharing.appendObservables(actorOf(req), req.params.id, req.body.observables),
  );

  r.post(
    '/api/items/:id/attachments',
    {
      preHandler: [requireAuth],
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['items'],
        summary:
          'Attach a file (PDF, PNG, JPEG, text/CSV, ZIP/Office; at most 5 MiB; type checked on the bytes)',
        params: idParams,
        body: attachmentInputSchema,
      },
    },
    async (req, reply) => reply.code(201).send(await sharing.attach(actorOf(req), req.params.id, req.body)),
  );

  r.get(
    '/api/items/:id/attachments/:attachmentId',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['items'],
        summary: 'Download an attachment',
        params: z.object({ id: z.string().max(64), attachmentId: z.string().max(64) }).strict(),
      },
    },
    async (req, reply) => {
      const f = await sharing.download(
        actorOf(req),
        req.params.id,
        req.params.attachmentId,
        decodedHeader(req, 'x-justification'),
      );
      return reply
        .header('content-type', f.mediaType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .send(f.content);
    },
  );

  r.get(
    '/api/items/:id/audit',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['items'],
        summary: "The item's audit trail (owner organisation, data-protection officers, auditors)",
        params: idParams,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      // Not allowed answers like not found: the trail must not confirm what the actor cannot see.
      if (!(await sharing.itemAuditAllowed(actor, req.params.id))) throw notFound('item');
      return deps.audit.query({ objectId: req.params.id, limit: 500, offset: 0 });
    },
  );

  r.get(
    '/api/items/:id/export',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['items'],
        summary: 'Export as a MISP event or a STIX 2.1 bundle',
        params: idParams,
        querystring: z.object({ format: z.enum(['misp', 'stix']) }).strict(),
      },
    },
    async (req) =>
      exportInterchange(
        sharing,
        actorOf(req),
        req.params.id,
        req.query.format,
        decodedHeader(req, 'x-justification'),
      ),
  );

  for (const format of ['misp', 'stix'] as const) {
    r.post(
      `/api/import/${format}`,
      {
        preHandler: [requireAuth],
        schema: {
          tags: ['items'],
          summary: `Import a ${format === 'misp' ? 'MISP event' : 'STIX 2.1 bundle'} as an item of your organisation`,
          body: z.unknown(),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await importInterchange(sharing, actorOf(req), format, req.body)),
    );
  }

  r.get('/api/inbox', { preHandler: [requireAuth], schema: { tags: ['inbox'] } }, async (req) =>
    sharing.inbox(actorOf(req)),
  );

  r.post(
    '/api/hits/:id/request-contact',
    { preHandler: [requireAuth], schema: { tags: ['inbox'], params: idParams, body: justificationSchema } },
    async (req) => {
      await sharing.requestContact(actorOf(req), req.params.id, req.body.justification);
      return { status: 'contact_requested' };
    },
  );

  for (const decision of ['grant', 'decline'] as const) {
    r.post(
      `/api/hits/:id/${decision}`,
      { preHandler: [requireAuth], schema: { tags: ['inbox'], params: idParams } },
      async (req) => {
        await sharing.decideHit(actorOf(req), req.params.id, decision === 'grant');
        return { status: decision === 'grant' ? 'granted' : 'declined' };
      },
    );
  }

  for (const decision of ['approve', 'decline'] as const) {
    r.post(
      `/api/widening-requests/:id/${decision}`,
      { preHandler: [requireAuth], schema: { tags: ['inbox'], params: idParams } },
      async (req) => sharing.decideWidening(actorOf(req), req.params.id, decision === 'approve'),
    );
  }

  r.get(
    '/api/events',
    {
      preHandler: [requireAuth],
      schema: { tags: ['inbox'], summary: 'Server-sent events: item, hit, request, finance-alert' },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      const send = (type: string, data: unknown) =>
        res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
      const onEvent = async (e: LiveEvent) => {
        try {
          // Authors are not told of their own items; personal-data titles stay behind the justification.
          if (e.type === 'item' && e.authorId !== actor.userId && (await sharing.canSee(actor, e.itemId)))
            send('item', e.personalData ? { id: e.itemId } : { id: e.itemId, title: e.title });
          else if (e.type === 'hit' && (e.ownerOrgId === actor.orgId || e.requesterUserId === actor.userId))
            send('hit', { id: e.hitId });
          else if (
            e.type === 'request' &&
            e.userIds.includes(actor.userId) &&
            (await sharing.canSee(actor, e.itemId))
          ) {
            send('request', e.personalData ? { id: e.itemId } : { id: e.itemId, title: e.title });
          } else if (
            e.type === 'finance-alert' &&
            e.orgId === actor.orgId &&
            actor.permissions.has('items:read')
          ) {
            send('finance-alert', { id: e.alertId });
          }
        } catch {
          // A closed database or connection ends this stream below; nothing to tell the client.
        }
      };
      const unsubscribe = deps.events.subscribe((e) => void onEvent(e));
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
      req.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
  );
}
