import type { FastifyRequest } from 'fastify';
import type { Logger } from '@modelport/core';
import type { ServingMetrics } from '../metrics.js';
import type { ModelManager } from '../model-manager.js';
import type { ServeSettings } from '../options.js';

/**
 * What every protocol gets from the server: the models and their versions (the manager, which
 * resolves and counts requests in), the metrics, the settings (limits, batching), the logger.
 */
export interface ServingContext {
  readonly manager: ModelManager;
  readonly metrics: ServingMetrics;
  readonly settings: ServeSettings;
  readonly logger: Logger;
  readonly serverVersion: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Metric labels of a model API request, set by its handler. */
    serving?: { model: string; version: string; api: string };
  }
}

/**
 * Marks an HTTP request as a model API call, so that the server counts it and times it by model
 * and API ("v1/predict"). Labels name only models the server knows: a client must not mint
 * metric series with made-up names. Set `request.serving.version` once a version is chosen.
 */
export function labelRequest(ctx: ServingContext, request: FastifyRequest, model: string, api: string): void {
  request.serving = { model: ctx.manager.knows(model) ? model : '', version: '', api };
}
