import type { FastifyInstance } from 'fastify';
import type { ServingContext } from './context.js';

/** Prometheus text format, where TF Serving has it and where scrapers look by default. */
export function registerMonitoringRoutes(app: FastifyInstance, ctx: ServingContext): void {
  const scrape = async (_request: unknown, reply: { type(t: string): unknown }) => {
    reply.type(ctx.metrics.contentType);
    return ctx.metrics.text();
  };
  app.get('/monitoring/prometheus/metrics', scrape);
  app.get('/metrics', scrape);
}
