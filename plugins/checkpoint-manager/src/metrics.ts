/** Metrics of a checkpoint: numbers, possibly nested (`{ val: { loss: 0.3 } }`); null where a value was not finite. */
export interface Metrics {
  readonly [name: string]: number | null | Metrics;
}

export type MetricMode = 'min' | 'max';

/**
 * The value of `name` in `metrics`: the key itself when present (tfjs logs are flat: `val_loss`),
 * else a dotted path into nested objects (`val.loss`). Undefined when absent or not finite.
 */
export function metricValue(metrics: Metrics | undefined, name: string): number | undefined {
  if (!metrics) return undefined;
  let value: unknown = Object.prototype.hasOwnProperty.call(metrics, name) ? metrics[name] : undefined;
  if (value === undefined && name.includes('.')) {
    value = name.split('.').reduce<unknown>((node, key) => (isObject(node) && Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined), metrics);
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Whether `value` is strictly better than `best` by more than `minDelta`. */
export function isImprovement(value: number, best: number | undefined, mode: MetricMode, minDelta = 0): boolean {
  if (best === undefined) return true;
  return mode === 'min' ? value < best - minDelta : value > best + minDelta;
}

/** Orders values best first. */
export function compareMetric(mode: MetricMode): (a: number, b: number) => number {
  return mode === 'min' ? (a, b) => a - b : (a, b) => b - a;
}

/**
 * A JSON-safe copy: numbers stay, nested objects are copied, NaN and ±Infinity become null (a
 * diverged loss is recorded, never chosen as best), anything else is dropped.
 */
export function sanitizeMetrics(input: unknown): Metrics {
  if (!isObject(input)) return {};
  const out: Record<string, number | null | Metrics> = {};
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'number') out[key] = Number.isFinite(value) ? value : null;
    else if (value === null) out[key] = null;
    else if (isObject(value)) out[key] = sanitizeMetrics(value);
  }
  return out;
}

/** `{ val: { loss: 1 } }` → `{ 'val.loss': 1 }`, for tables. */
export function flattenMetrics(metrics: Metrics, prefix = ''): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(metrics)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (isObject(value)) Object.assign(out, flattenMetrics(value as Metrics, name));
    else out[name] = value as number | null;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
