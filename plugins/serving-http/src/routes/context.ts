import type { Logger } from '@modelport/core';
import type { ServingMetrics } from '../metrics.js';
import type { ModelManager } from '../model-manager.js';
import type { ServeSettings } from '../options.js';

/** What every route needs. */
export interface RouteContext {
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
