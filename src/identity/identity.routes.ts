import type {} from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listCommunities, PERMISSIONS } from '../access/index.ts';
import { AppError } from '../platform/errors.ts';
import { actorOf, requireAuth } from '../platform/http.ts';
import {
  adminUserSchema,
  loginSchema,
  orgInputSchema,
  orgSchema,
  sessionAnswerSchema,
  userInputSchema,
} from './identity.schema.ts';
import { type Authenticated, type IdentityService, SESSION_COOKIE } from './identity.ts';

export interface IdentityRouteDeps {
  identity: IdentityService;
  secureCookies: boolean;
  sessionAbsoluteHours: number;
}

const errorSchema = z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()) });

export function identityRoutes(app: FastifyInstance, deps: IdentityRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { identity } = deps;

  r.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username, password and one-time code',
        body: loginSchema,
        response: { 200: sessionAnswerSchema, 401: errorSchema },
      },
    },
    async (req, reply) => {
      const res = await identity.login(req.body);
      reply.setCookie(SESSION_COOKIE, res.sessionSecret, {
        path: '/',
        httpOnly: true,
        secure: deps.secureCookies,
        sameSite: 'strict',
        maxAge: deps.sessionAbsoluteHours * 3600,
      });
      return { user: res.user, csrfToken: res.csrfToken };
    },
  );

  r.post(
    '/api/auth/logout',
    { preHandler: [requireAuth], schema: { tags: ['auth'] } },
    async (req, reply) => {
      await identity.logout(req.auth as Authenticated);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  r.get(
    '/api/auth/me',
    {
      preHandler: [requireAuth],
      schema: { tags: ['auth'], response: { 200: sessionAnswerSchema } },
      // The first call of every page: the answer is built here from the resolved session, so it is
      // written as is rather than re-validated against its schema (kept for the OpenAPI document).
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => {
      const auth = req.auth as Authenticated;
      if (!auth.user) throw new AppError('FORBIDDEN', 'API tokens have no user profile');
      return { user: auth.user, csrfToken: auth.csrfToken ?? '' };
    },
  );

  r.get(
    '/api/directory',
    {
      preHandler: [requireAuth],
      schema: { tags: ['directory'], summary: 'Organisations, communities and users to address items to' },
    },
    async (req) => {
      actorOf(req);
      const [orgs, communities, users] = [
        await identity.listOrgs(),
        await listCommunities(identity.dbForDirectory()),
        await identity.directoryUsers(),
      ];
      return { orgs, communities, users };
    },
  );

  r.get(
    '/api/admin/orgs',
    { preHandler: [requireAuth], schema: { tags: ['admin'], response: { 200: z.array(orgSchema) } } },
    async (req) => {
      const actor = actorOf(req);
      if (!actor.permissions.has('admin:orgs') && !actor.permissions.has('admin:users')) {
        throw new AppError('FORBIDDEN', 'Needs admin:orgs');
      }
      return identity.listOrgs();
    },
  );

  r.post(
    '/api/admin/orgs',
    {
      preHandler: [requireAuth],
      schema: { tags: ['admin'], body: orgInputSchema, response: { 201: orgSchema } },
    },
    async (req, reply) => reply.code(201).send(await identity.createOrg(actorOf(req), req.body)),
  );

  r.get(
    '/api/admin/users',
    { preHandler: [requireAuth], schema: { tags: ['admin'], response: { 200: z.array(adminUserSchema) } } },
    async (req) => identity.listUsers(actorOf(req)),
  );

  r.post(
    '/api/admin/users',
    { preHandler: [requireAuth], schema: { tags: ['admin'], body: userInputSchema } },
    async (req, reply) => {
      const res = await identity.createUser(actorOf(req), req.body);
      return reply.code(201).send(res);
    },
  );

  r.post(
    '/api/admin/users/:id/revoke-sessions',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['admin'],
        summary: 'End every session of a user at once',
        params: z.object({ id: z.string().max(64) }).strict(),
      },
    },
    async (req, reply) => {
      await identity.revokeSessions(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );

  r.post(
    '/api/admin/tokens',
    {
      preHandler: [requireAuth],
      schema: {
        tags: ['admin'],
        summary: "Issue an API token for a machine of the caller's organisation (the secret is shown once)",
        body: z
          .object({
            name: z.string().trim().min(3).max(200),
            permissions: z.array(z.enum(PERMISSIONS)).min(1),
            expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const res = await identity.createToken(
        actorOf(req),
        b.name,
        b.permissions,
        b.expiresAt ? new Date(b.expiresAt) : null,
      );
      return reply.code(201).send(res);
    },
  );
}
