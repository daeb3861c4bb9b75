import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireAuth } from '../platform/http.ts';
import {
  blocksInputSchema,
  clusterQuerySchema,
  pathInputSchema,
  paymentsInputSchema,
  paymentsQuerySchema,
  tagInputSchema,
  tagPackInputSchema,
  tbmlQuerySchema,
  traceInputSchema,
  transfersInputSchema,
  watchInputSchema,
} from './finance.schema.ts';
import type { FinanceService } from './finance.ts';

const idParams = z.object({ id: z.string().max(64) }).strict();
const addressParams = z.object({ address: z.string().max(200) }).strict();
const clusterParams = z.object({ id: z.coerce.number().int().min(0).max(2_147_483_647) }).strict();
const declarationParams = z.object({ declarationId: z.string().max(64) }).strict();

export function financeRoutes(app: FastifyInstance, deps: { finance: FinanceService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { finance } = deps;
  const tags = ['finance'];

  r.post(
    '/api/finance/blocks',
    {
      preHandler: [requireAuth],
      bodyLimit: 200 * 1024 * 1024,
      schema: { tags, summary: 'Import raw Bitcoin blocks (hex) as one batch', body: blocksInputSchema },
    },
    async (req) => finance.importBlocks(actorOf(req), req.body.hex),
  );

  r.post(
    '/api/finance/transfers',
    {
      preHandler: [requireAuth],
      bodyLimit: 60 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import ETH/TRON transfers (CSV or JSON Lines); bad rows quarantined',
        body: transfersInputSchema,
      },
    },
    async (req) => finance.importTransfers(actorOf(req), req.body.text),
  );

  r.get(
    '/api/finance/addresses/:address',
    {
      preHandler: [requireAuth],
      schema: { tags, summary: 'Address, cluster and visible tags', params: addressParams },
    },
    async (req) => finance.address(actorOf(req), req.params.address),
  );

  r.get(
    '/api/finance/addresses/:address/exposure',
    {
      preHandler: [requireAuth],
      schema: { tags, summary: 'Exposure score 0–10 with reasons', params: addressParams },
    },
    async (req) => finance.exposure(actorOf(req), req.params.address),
  );

  r.post(
    '/api/finance/trace',
    {
      preHandler: [requireAuth],
      schema: {
        tags,
        summary: 'Trace funds (poison, haircut, FIFO); JSON, CSV or GraphML',
        body: traceInputSchema,
      },
    },
    async (req, reply) => {
      const res = await finance.trace(actorOf(req), req.body);
      if (req.body.format === 'csv') return reply.type('text/csv; charset=utf-8').send(res.text);
      if (req.body.format === 'graphml')
        return reply.type('application/graphml+xml; charset=utf-8').send(res.text);
      return res.result;
    },
  );

  r.post(
    '/api/finance/paths',
    {
      preHandler: [requireAuth],
      schema: { tags, summary: 'Shortest money paths between two clusters', body: pathInputSchema },
    },
    async (req) => finance.paths(actorOf(req), req.body.from, req.body.to, req.body.hops),
  );

  r.post(
    '/api/finance/tags',
    {
      preHandler: [requireAuth],
      schema: { tags, summary: 'Tag an address or a cluster', body: tagInputSchema },
    },
    async (req, reply) => reply.code(201).send(await finance.addTag(actorOf(req), req.body)),
  );

  r.get(
    '/api/finance/tags/:id',
    { preHandler: [requireAuth], schema: { tags, params: idParams } },
    async (req) => finance.tag(actorOf(req), req.params.id),
  );

  r.post(
    '/api/finance/tagpacks',
    {
      preHandler: [requireAuth],
      bodyLimit: 25 * 1024 * 1024,
      schema: { tags, summary: 'Import a GraphSense TagPack', body: tagPackInputSchema },
    },
    async (req) =>
      finance.importTagPack(actorOf(req), req.body.yaml, {
        marking: req.body.marking,
        distribution: req.body.distribution,
      }),
  );

  r.get(
    '/api/finance/tagpacks/export',
    { preHandler: [requireAuth], schema: { tags, summary: 'Visible tags as a TagPack (YAML)' } },
    async (req, reply) =>
      reply.type('application/yaml; charset=utf-8').send(await finance.exportTagPack(actorOf(req))),
  );

  r.get(
    '/api/finance/watches',
    { preHandler: [requireAuth], schema: { tags, summary: "Your organisation's watches" } },
    async (req) => finance.listWatches(actorOf(req)),
  );

  r.post(
    '/api/finance/watches',
    {
      preHandler: [requireAuth],
      schema: { tags, summary: 'Watch an address or a cluster', body: watchInputSchema },
    },
    async (req, reply) => reply.code(201).send(await finance.watch(actorOf(req), req.body)),
  );

  r.get(
    '/api/finance/watches/:id',
    { preHandler: [requireAuth], schema: { tags, params: idParams } },
    async (req) => finance.getWatch(actorOf(req), req.params.id),
  );

  r.delete(
    '/api/finance/watches/:id',
    { preHandler: [requireAuth], schema: { tags, params: idParams } },
    async (req, reply) => {
      await finance.unwatch(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );

  r.get(
    '/api/finance/alerts',
    { preHandler: [requireAuth], schema: { tags, summary: "Your organisation's alerts" } },
    async (req) => finance.listAlerts(actorOf(req)),
  );

  r.post(
    '/api/finance/payments',
    {
      preHandler: [requireAuth],
      bodyLimit: 60 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Import payment records (CSV or JSON Lines) for your organisation only; bad rows quarantined',
        body: paymentsInputSchema,
      },
    },
    async (req) => finance.importPayments(actorOf(req), req.body.text),
  );

  r.get(
    '/api/finance/payments',
    {
      preHandler: [requireAuth],
      schema: {
        tags,
        summary: "Your organisation's payment records by party name or IBAN",
        querystring: paymentsQuerySchema,
      },
    },
    async (req) => finance.payments(actorOf(req), req.query),
  );

  r.get(
    '/api/finance/clusters/:id',
    {
      preHandler: [requireAuth],
      schema: {
        tags,
        summary: 'Cluster: size, first and last activity, visible tags, a page of member addresses',
        params: clusterParams,
        querystring: clusterQuerySchema,
      },
    },
    async (req) => finance.cluster(actorOf(req), req.params.id, req.query),
  );

  r.get(
    '/api/finance/tbml',
    {
      preHandler: [requireAuth],
      schema: {
        tags,
        summary:
          'Over- and under-invoiced declarations of your organisation (interquartile price filter), with linked-payment counts',
        querystring: tbmlQuerySchema,
      },
    },
    async (req) => finance.tbml(actorOf(req), req.query),
  );

  r.get(
    '/api/finance/tbml/:declarationId/payments',
    {
      preHandler: [requireAuth],
      schema: {
        tags,
        summary: "A declaration's price check and your organisation's payments linked to its parties",
        params: declarationParams,
      },
    },
    async (req) => finance.tbmlPayments(actorOf(req), req.params.declarationId),
  );

  r.get(
    '/api/finance/alerts/:id',
    { preHandler: [requireAuth], schema: { tags, params: idParams } },
    async (req) => finance.getAlert(actorOf(req), req.params.id),
  );
}
