import type { FastifyError, FastifyInstance } from 'fastify';
import { toServingError } from '../errors.js';
import { withoutServerPaths } from '../public-text.js';
import type { ServingContext } from './context.js';

/**
 * Every failure leaves as {"error": "…"} (the shape both protocols use) with the status code TF
 * Serving gives its canonical code; fastify's own refusals (body too large, bad content) keep theirs.
 * No absolute path of the server reaches a client.
 */
export function registerErrorReplies(app: FastifyInstance, ctx: ServingContext): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) return reply.code(400).send({ error: `invalid request body: ${error.message}` });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: `the request body is larger than ${ctx.settings.limits.maxBodyBytes} bytes (limits.maxBodyBytes)` });
    }
    if (error.code?.startsWith('FST_') && error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ error: error.message });
    const serving = toServingError(error);
    if (serving.httpStatus >= 500) ctx.logger.warn(`${request.method} ${request.url.slice(0, 200)}: ${serving.message}`);
    // A runtime's failure may name the files it read: the client gets it without the server's
    // folders. Client mistakes (4xx) quote the request, URL paths included, and are left as they are.
    const text = serving.httpStatus >= 500 ? withoutServerPaths(serving.message, [ctx.settings.repository]) : serving.message;
    return reply.code(serving.httpStatus).send({ error: text });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: `Malformed request: ${request.method} ${request.url.slice(0, 200)}` });
  });
}
