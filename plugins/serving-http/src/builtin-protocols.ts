import type { ServingProtocol } from './protocols.js';
import { registerKServeRoutes } from './routes/kserve.js';
import { registerMonitoringRoutes } from './routes/monitoring.js';
import { registerTfServingRoutes } from './routes/tf-serving.js';

export const TF_SERVING_REST: ServingProtocol = Object.freeze({
  name: 'tf-serving-rest', description: 'TF Serving REST /v1', register: registerTfServingRoutes,
});

export const KSERVE_V2: ServingProtocol = Object.freeze({
  name: 'kserve-v2', description: 'KServe v2 /v2', register: registerKServeRoutes,
});

/** Scrapers are clients too: a protocol like the others, so that its routes are checked for clashes as well. */
export const PROMETHEUS_METRICS: ServingProtocol = Object.freeze({
  name: 'prometheus-metrics', description: 'metrics /metrics', register: registerMonitoringRoutes,
});

/** What serving-http contributes to every server. */
export const BUILT_IN_PROTOCOLS: readonly ServingProtocol[] = Object.freeze([TF_SERVING_REST, KSERVE_V2, PROMETHEUS_METRICS]);
