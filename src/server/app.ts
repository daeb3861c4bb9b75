import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { accessRoutes } from '../access/index.ts';
import { auditRoutes } from '../audit/index.ts';
import { cargoRoutes } from '../cargo/index.ts';
import { financeRoutes } from '../finance/index.ts';
import { type Authenticated, identityRoutes, SESSION_COOKIE } from '../identity/index.ts';
import { AppError } from '../platform/errors.ts';
import { sharingRoutes } from '../sharing/index.ts';
import type { NodeContext } from './context.ts';
import { errorHandler } from './errors.ts';

export const VERSION = '0.1.0';
const WEB_DIR = path.resolve(fileURLToPath(new URL('../../dist/web', import.meta.url)));
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AppOptions {
  /** Serve the built web UI from dist/web (default: when it exists). */
  web?: boolean;
  /** Request rate limit per client per minute; raise it for load tests on one address. */
  rateLimitPerMinute?: number;
  logger?: boolean;
  /**
   * Told about every route as it is registered, HEAD twins included, one call per method.
   * Registered before any route, so nothing escapes it: `test/routes.cross-org.test.ts` uses it to
   * demand a cross-organisation case for every route, including routes added later.
   */
  onRoute?: (route: { method: string; url: string }) => void;
}

export async function buildApp(ctx: NodeContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger === false ? undefined : ctx.log,
    bodyLimit: ctx.config.maxBodyBytes,
    trustProxy: false,
    // Never echo request details into responses; errors go through errorHandler.
    return503OnClosing: true,
  }) as unknown as FastifyInstance; // pino's Logger type is wider than Fastify's base logger type
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.decorateRequest('auth', null);
  const onRoute = opts.onRoute;
  if (onRoute) {
    app.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) onRoute({ method, url: r.url });
    });
  }

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine writes style attributes; no script runs inline.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
  await app.register(rateLimit, {
    max: opts.rateLimitPerMinute ?? 1200,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, ctxInfo) => {
      const e = new AppError(
        'RATE_LIMITED',
        `Too many requests; retry in ${Math.ceil(ctxInfo.ttl / 1000)} s`,
      );
      return Object.assign(e, { statusCode: 429 });
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PortShield API',
        version: VERSION,
        description:
          'Information sharing, targeting and tracing for the coalition against drug trafficking through ports.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });

  // Authentication first, then CSRF: a cookie session must echo its token on every change.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    const header = req.headers.authorization;
    let auth: Authenticated | null = null;
    if (header?.startsWith('Bearer ')) {
      auth = await ctx.identity.fromToken(header.slice(7).trim());
      if (!auth) throw new AppError('UNAUTHENTICATED', 'Invalid or expired token');
    } else {
      const secret = req.cookies[SESSION_COOKIE];
      if (secret) auth = await ctx.identity.fromSession(secret);
      if (auth && !SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== auth.csrfToken) {
        throw new AppError('CSRF_FAILED', 'Missing or wrong x-csrf-token header');
      }
    }
    req.auth = auth;
  });

  // Administrative changes (communities, users, organisations) change what sessions may do:
  // cached sessions are dropped before the answer leaves, so the next request sees the change.
  app.addHook('onSend', async (req, reply) => {
    if (!SAFE_METHODS.has(req.method) && req.url.startsWith('/api/admin/') && reply.statusCode < 400) {
      ctx.identity.forgetSessions();
    }
  });

  app.get('/api/health', { schema: { tags: ['health'] } }, async () => ({
    status: 'ok',
    database: ctx.database.kind,
    version: VERSION,
  }));

  identityRoutes(app, {
    identity: ctx.identity,
    secureCookies: ctx.config.secureCookies,
    sessionAbsoluteHours: ctx.config.sessionAbsoluteHours,
  });
  accessRoutes(app, { db: ctx.database.db, audit: ctx.audit });
  auditRoutes(app, { audit: ctx.audit });
  sharingRoutes(app, { sharing: ctx.sharing, events: ctx.events, audit: ctx.audit });
  financeRoutes(app, { finance: ctx.finance });
  cargoRoutes(app, { cargo: ctx.cargo });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(async (docs) => {
    // The reference page runs its own inline bootstrap script: relax CSP for this page only.
    docs.addHook('onSend', async (_req, reply) => {
      reply.header(
        'content-security-policy',
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'",
      );
    });
    await docs.register(scalar, { routePrefix: '/api/docs', configuration: { url: '/api/openapi.json' } });
  });

  const serveWeb = opts.web ?? existsSync(path.join(WEB_DIR, 'index.html'));
  if (serveWeb) {
    await app.register(fastifyStatic, { root: WEB_DIR, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    if (serveWeb && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.code(404).send(new AppError('NOT_FOUND', 'No such route').toJSON());
  });
  return app;
}
