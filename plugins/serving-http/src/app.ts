import Fastify, { type FastifyInstance } from 'fastify';
import type { Contribution } from '@modelport/core';
import type { IncomingHttpHeaders } from 'node:http';
import { BytesInFlight } from './bytes-in-flight.js';
import { ServingError } from './errors.js';
import type { ServingProtocol } from './protocols.js';
import { registerProtocolRoutes } from './route-owners.js';
import type { ServingContext } from './routes/context.js';
import { registerErrorReplies } from './routes/error-replies.js';
import { jsonBodyError } from './json-body-error.js';

/**
 * The fastify instance of a server: one JSON body parser for any content type (TF Serving
 * clients and `curl -d` do not all send application/json), the size limit, metric hooks, error
 * replies, and the routes of every protocol. No fastify logger: the server logs through core's Logger.
 */
export function buildApp(ctx: ServingContext, protocols: readonly Contribution<ServingProtocol>[]): FastifyInstance {
  const { limits } = ctx.settings;
  const app = Fastify({
    logger: false,
    bodyLimit: limits.maxBodyBytes,
    // Slow uploads count against the deadline too (Node's requestTimeout covers receiving the request).
    requestTimeout: limits.requestTimeoutMs + 5000,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    // Validation must not rewrite what the client sent: no coercion, no removal, every problem listed.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: true } },
    schemaErrorFormatter: (errors, dataVar) => new Error(errors.map((e) => `${dataVar}${e.instancePath.replace(/\//g, '.')} ${e.message ?? 'is invalid'}`).join('; ')),
  });

  // Bodies wait here, unread (TCP holds the rest), until their bytes fit beside those in flight.
  const inFlight = new BytesInFlight(limits.maxBodyBytesInFlight);
  app.addHook('onRequest', async (request, reply) => {
    const bytes = bodyBytes(request.headers, limits.maxBodyBytes);
    if (bytes === 0) return;
    await inFlight.acquire(bytes, limits.requestTimeoutMs);
    // 'close' comes once the answer is sent or the client has gone, whichever is first.
    reply.raw.once('close', () => inFlight.release(bytes));
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(new ServingError('INVALID_ARGUMENT', jsonBodyError(e, text.length)), undefined);
    }
  });

  // Before schema validation, so that an empty POST says so rather than "body must be object".
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && request.body === undefined) {
      throw new ServingError('INVALID_ARGUMENT', 'the request body is empty; send a JSON object ({"instances": …}, {"inputs": …})');
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const labels = request.serving;
    if (!labels) return;
    ctx.metrics.requests.inc({ ...labels, status: String(reply.statusCode) });
    ctx.metrics.latency.observe({ model: labels.model, api: labels.api }, reply.elapsedTime / 1000);
  });

  registerErrorReplies(app, ctx);
  registerProtocolRoutes(app, ctx, protocols);
  return app;
}

/** What a body will take: its Content-Length, or the body limit when it comes chunked; 0 without a body. */
function bodyBytes(headers: IncomingHttpHeaders, maxBodyBytes: number): number {
  const length = headers['content-length'];
  if (length !== undefined) {
    const n = Number(length);
    return Number.isFinite(n) && n > 0 ? Math.min(n, maxBodyBytes) : 0;
  }
  return headers['transfer-encoding'] ? maxBodyBytes : 0;
}
