import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireAuth } from '../platform/http.ts';
import { DeclarationSchema, WatchlistEntrySchema } from './cargo.schema.ts';
import type { CargoService } from './cargo.ts';

/** HTTP contract of the cargo module (docs/cargo-formats.md, docs/api.md). */
const idParams = z.strictObject({ id: z.string().max(64) });
const portParams = z.strictObject({ port: z.string().max(8) });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
/** A stored rule-set version number: digits only (no sign, exponent or hex), within int4. */
const ruleVersionParams = z.strictObject({
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'expected a positive integer')
    .transform(Number)
    .pipe(z.int().min(1).max(2_147_483_647)),
});

export const batchInputSchema = z.strictObject({
  format: z.enum(['csv', 'jsonl']),
  text: z.string().max(50 * 1024 * 1024),
});

export const portSettingsInputSchema = z.strictObject({
  capacity: z.int().min(0).max(100_000),
  thresholds: z.strictObject({
    red: z.number().min(-1000).max(10_000),
    amber: z.number().min(-1000).max(10_000),
  }),
});

export const assignmentInputSchema = z.strictObject({ userId: z.string().max(64) });

export const inspectionInputSchema = z.strictObject({
  outcome: z.enum(['nothing', 'seizure']),
  drug: z.enum(['cocaine', 'cannabis', 'heroin', 'synthetic', 'other']).optional(),
  kilograms: z.number().positive().max(1_000_000).optional(),
  concealment: z
    .enum(['rip-on-rip-off', 'cover-load', 'container-structure', 'reefer-unit', 'other'])
    .optional(),
  notes: z.string().max(4000).optional(),
});

const queueQuery = z.strictObject({ port: z.string().max(8), date: day.optional() });
const performanceQuery = z.strictObject({ port: z.string().max(8).optional(), from: day, to: day });
const rulesInputSchema = z.strictObject({
  yaml: z.string().min(1).max(2_000_000),
  comment: z.string().trim().min(1).max(2000),
});
const simulateInputSchema = z.strictObject({
  yaml: z.string().min(1).max(2_000_000),
  days: z.int().min(1).max(3660).default(90),
});
const ftmInputSchema = z.strictObject({
  text: z.string().max(50 * 1024 * 1024),
  list: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'letters, digits, ".", "_", ":" or "-"'),
});

export function cargoRoutes(app: FastifyInstance, deps: { cargo: CargoService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { cargo } = deps;
  const tags = ['cargo'];
  const auth = { preHandler: [requireAuth] };

  r.post(
    '/api/cargo/declarations',
    {
      ...auth,
      schema: {
        tags,
        summary: 'File one declaration (an existing reference is an amendment)',
        body: DeclarationSchema,
      },
    },
    async (req, reply) => reply.code(201).send(await cargo.ingestOne(actorOf(req), req.body)),
  );

  r.post(
    '/api/cargo/declarations/batch',
    {
      ...auth,
      bodyLimit: 60 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Ingest a CSV or JSON Lines batch; bad rows quarantined; one transaction',
        body: batchInputSchema,
      },
    },
    async (req) => cargo.ingestBatch(actorOf(req), req.body.format, req.body.text),
  );

  r.get(
    '/api/cargo/declarations/:id',
    {
      ...auth,
      schema: {
        tags,
        summary: 'A declaration with its versions, score, assignee and inspection',
        params: idParams,
      },
    },
    async (req) => cargo.getDeclaration(actorOf(req), req.params.id),
  );

  r.get(
    '/api/cargo/queue',
    {
      ...auth,
      schema: {
        tags,
        summary: "A port's ranked targeting queue for one day of arrival",
        querystring: queueQuery,
      },
    },
    async (req) => cargo.queue(actorOf(req), req.query.port, req.query.date),
  );

  r.get(
    '/api/cargo/ports/:port/settings',
    {
      ...auth,
      schema: { tags, summary: "Your organisation's capacity and thresholds for a port", params: portParams },
    },
    async (req) => cargo.getPortSettings(actorOf(req), req.params.port),
  );

  r.put(
    '/api/cargo/ports/:port/settings',
    {
      ...auth,
      schema: {
        tags,
        summary: 'Set daily capacity and thresholds for a port',
        params: portParams,
        body: portSettingsInputSchema,
      },
    },
    async (req) => cargo.putPortSettings(actorOf(req), req.params.port, req.body),
  );

  r.post(
    '/api/cargo/declarations/:id/assignment',
    {
      ...auth,
      schema: {
        tags,
        summary: 'Assign to an officer of your organisation',
        params: idParams,
        body: assignmentInputSchema,
      },
    },
    async (req) => cargo.assign(actorOf(req), req.params.id, req.body.userId),
  );

  r.post(
    '/api/cargo/declarations/:id/inspection',
    {
      ...auth,
      schema: { tags, summary: 'Record an inspection result', params: idParams, body: inspectionInputSchema },
    },
    async (req, reply) => reply.code(201).send(await cargo.inspect(actorOf(req), req.params.id, req.body)),
  );

  r.post(
    '/api/cargo/declarations/:id/alert',
    {
      ...auth,
      schema: { tags, summary: 'Alert the customs of the other ports on the route', params: idParams },
    },
    async (req, reply) => reply.code(201).send(await cargo.alert(actorOf(req), req.params.id)),
  );

  r.get(
    '/api/cargo/performance',
    {
      ...auth,
      schema: { tags, summary: 'Rule performance: overall, per rule, weekly', querystring: performanceQuery },
    },
    async (req) => cargo.performance(actorOf(req), req.query.port, req.query.from, req.query.to),
  );

  r.get(
    '/api/cargo/model',
    {
      ...auth,
      schema: {
        tags,
        summary:
          "Second opinion: what the model learned from your organisation's inspections (weights per reason, cross-validated AUC)",
      },
    },
    async (req) => cargo.outcomeModel(actorOf(req)),
  );

  r.get(
    '/api/cargo/rules',
    { ...auth, schema: { tags, summary: 'The rule set in force, with its version' } },
    async (req) => cargo.rules(actorOf(req)),
  );

  r.get(
    '/api/cargo/rules/versions',
    { ...auth, schema: { tags, summary: 'Every stored rule-set version' } },
    async (req) => cargo.ruleVersions(actorOf(req)),
  );

  r.get(
    '/api/cargo/rules/versions/:version',
    {
      ...auth,
      schema: {
        tags,
        summary: 'One stored rule-set version with its YAML (to view, compare or restore)',
        params: ruleVersionParams,
      },
    },
    async (req) => cargo.ruleVersion(actorOf(req), req.params.version),
  );

  r.post(
    '/api/cargo/rules',
    {
      ...auth,
      schema: { tags, summary: 'Store a new rule-set version (validated)', body: rulesInputSchema },
    },
    async (req, reply) => {
      const res = await cargo.saveRules(actorOf(req), req.body.yaml, req.body.comment);
      return reply.code(res.created ? 201 : 200).send(res);
    },
  );

  r.post(
    '/api/cargo/rules/simulate',
    {
      ...auth,
      schema: {
        tags,
        summary: 'What a rule set would have selected over the last days',
        body: simulateInputSchema,
      },
    },
    async (req) => cargo.simulate(actorOf(req), req.body.yaml, req.body.days),
  );

  r.get(
    '/api/cargo/watchlists',
    { ...auth, schema: { tags, summary: "Your organisation's watchlists" } },
    async (req) => cargo.watchlistsOf(actorOf(req)),
  );

  r.post(
    '/api/cargo/watchlists/entries',
    {
      ...auth,
      schema: { tags, summary: 'Add one watchlist entry (list = its source)', body: WatchlistEntrySchema },
    },
    async (req, reply) => reply.code(201).send(await cargo.addWatchlistEntry(actorOf(req), req.body)),
  );

  r.delete(
    '/api/cargo/watchlists/entries/:id',
    { ...auth, schema: { tags, summary: 'Delete a watchlist entry', params: idParams } },
    async (req, reply) => {
      await cargo.deleteWatchlistEntry(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );

  r.post(
    '/api/cargo/watchlists/import-ftm',
    {
      ...auth,
      bodyLimit: 60 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import FollowTheMoney JSON lines as a watchlist (replaces that list)',
        body: ftmInputSchema,
      },
    },
    async (req) => cargo.importFtm(actorOf(req), req.body.text, req.body.list),
  );
}
