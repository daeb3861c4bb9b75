import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorDetail } from '../platform/errors.ts';

/** One error format for every route: `{ code, message, details }` with a stable code. */
export function errorHandler(err: FastifyError | AppError | Error, req: FastifyRequest, reply: FastifyReply) {
  const send = (e: AppError) => reply.code(e.status).header('cache-control', 'no-store').send(e.toJSON());
  if (err instanceof AppError) return send(err);
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as FastifyError).validationContext ?? 'body';
    const details: ErrorDetail[] = err.validation.flatMap((v) => {
      const params = v.params as
        | { issue?: { path?: (string | number)[]; code?: string; keys?: string[] }; keys?: string[] }
        | undefined;
      // fastify-type-provider-zod 7 reports unknown keys as {keyword: 'unrecognized_keys',
      // instancePath: <parent>, params: {keys}}: name each unknown field itself, not its parent.
      if (!params?.issue && v.keyword === 'unrecognized_keys' && params?.keys?.length) {
        const parent = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return params.keys.map((k) => ({
          path: parent ? `${parent}.${k}` : k,
          message: `Unknown field ${JSON.stringify(k)}`,
          code: 'unrecognized_keys',
        }));
      }
      const issuePath = [...(params?.issue?.path ?? [])];
      // An unknown field is reported at the field itself, not at its parent object.
      if (params?.issue?.code === 'unrecognized_keys' && params.issue.keys?.length === 1)
        issuePath.push(params.issue.keys[0]!);
      const path = params?.issue
        ? issuePath.join('.')
        : v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return {
        path: path || where,
        message: v.message ?? 'invalid',
        ...(params?.issue?.code ? { code: params.issue.code } : {}),
      };
    });
    return send(new AppError('VALIDATION_FAILED', `The ${where} is not valid`, details));
  }
  const fe = err as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return send(new AppError('MALFORMED_JSON', 'The request body is not valid JSON'));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return send(new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return send(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send application/json'));
  }
  if (fe.statusCode === 429) return send(new AppError('RATE_LIMITED', 'Too many requests; slow down'));
  if (err instanceof SyntaxError || fe.statusCode === 400) {
    return send(new AppError('BAD_REQUEST', fe.message || 'Bad request'));
  }
  req.log.error({ err }, 'unhandled error');
  return send(new AppError('INTERNAL', 'Something went wrong on our side; the error is logged'));
}
