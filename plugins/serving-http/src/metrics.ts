import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The labels every request metric has. `api` is e.g. "v1/predict", "v2/infer", "v1/status". */
export interface RequestLabels {
  model: string;
  version: string;
  api: string;
}

/**
 * The server's Prometheus metrics, in a registry of its own (so that two servers in one process,
 * as in tests, do not share counters), served at /monitoring/prometheus/metrics and /metrics.
 */
export class ServingMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'modelport_serving_requests_total', help: 'Requests by model, version, API and HTTP status',
    labelNames: ['model', 'version', 'api', 'status'] as const, registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'modelport_serving_request_duration_seconds', help: 'Time from request to response, by model and API',
    labelNames: ['model', 'api'] as const, registers: [this.registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  readonly batchSize = new Histogram({
    name: 'modelport_serving_batch_size', help: 'Rows per runtime call when dynamic batching is on',
    labelNames: ['model', 'version'] as const, registers: [this.registry],
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  });
  readonly loads = new Counter({
    name: 'modelport_serving_version_loads_total', help: 'Versions loaded and made AVAILABLE',
    labelNames: ['model', 'version'] as const, registers: [this.registry],
  });
  readonly loadFailures = new Counter({
    name: 'modelport_serving_load_failures_total', help: 'Versions that failed to load, by status code',
    labelNames: ['model', 'version', 'code'] as const, registers: [this.registry],
  });
  readonly availableVersions = new Gauge({
    name: 'modelport_serving_available_versions', help: 'Versions in state AVAILABLE, by model',
    labelNames: ['model'] as const, registers: [this.registry],
  });

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
