import { compareMetric, metricValue, type MetricMode, type Metrics } from './metrics.js';

const HOUR_MS = 3_600_000;

export interface KeepBest {
  readonly metric: string;
  readonly mode: MetricMode;
  readonly count: number;
}

/** What to keep; absent rules keep nothing extra, and without `maxToKeep` nothing is ever removed. */
export interface RetentionPolicy {
  readonly maxToKeep?: number;
  readonly keepCheckpointEveryNHours?: number;
  readonly keepBest?: KeepBest;
}

/** The fields retention looks at. */
export interface RetainedCheckpoint {
  readonly version: number;
  readonly step: number;
  /** ISO time of the save. */
  readonly time: string;
  readonly metrics: Metrics;
}

export type KeepReason = 'latest' | 'every-n-hours' | 'best' | 'writing';

export interface RetentionPlan {
  /** Versions kept, with every rule that keeps them. */
  readonly keep: ReadonlyMap<number, readonly KeepReason[]>;
  /** Versions to remove, ascending. */
  readonly remove: readonly number[];
}

/**
 * Decides which checkpoints stay. A checkpoint is kept when any rule keeps it:
 * - `latest`: among the `maxToKeep` newest (by version, i.e. write order);
 * - `every-n-hours`: the first checkpoint of its N-hour period, periods counted from the oldest
 *   checkpoint (which is itself the first of period 0). The first checkpoint of a period stays
 *   the first for ever, so the rule gives the same answer on every run and after a rebuild;
 * - `best`: among the `keepBest.count` best by `keepBest.metric` (ties: the earlier version);
 * - `writing`: in `protect` (the version a save just wrote).
 * Without `maxToKeep` everything is kept: the other rules only ever add.
 */
export function planRetention(checkpoints: readonly RetainedCheckpoint[], policy: RetentionPolicy, protect: Iterable<number> = []): RetentionPlan {
  const keep = new Map<number, KeepReason[]>();
  const add = (version: number, reason: KeepReason) => {
    const reasons = keep.get(version) ?? [];
    if (!reasons.includes(reason)) reasons.push(reason);
    keep.set(version, reasons);
  };
  const byVersion = [...checkpoints].sort((a, b) => a.version - b.version);
  const newest = policy.maxToKeep === undefined ? byVersion : byVersion.slice(-policy.maxToKeep);
  for (const c of newest) add(c.version, 'latest');
  for (const version of keptEveryNHours(byVersion, policy.keepCheckpointEveryNHours)) add(version, 'every-n-hours');
  for (const version of bestVersions(byVersion, policy.keepBest)) add(version, 'best');
  for (const version of protect) add(version, 'writing');
  const remove = policy.maxToKeep === undefined ? [] : byVersion.map((c) => c.version).filter((v) => !keep.has(v));
  return { keep, remove };
}

function keptEveryNHours(checkpoints: readonly RetainedCheckpoint[], hours: number | undefined): number[] {
  if (!hours || checkpoints.length === 0) return [];
  const timed = checkpoints.map((c) => ({ version: c.version, t: Date.parse(c.time) })).filter((c) => Number.isFinite(c.t));
  timed.sort((a, b) => a.t - b.t || a.version - b.version);
  const origin = timed[0]?.t ?? 0;
  const firstOfPeriod = new Map<number, number>();
  for (const c of timed) {
    const period = Math.floor((c.t - origin) / (hours * HOUR_MS));
    if (!firstOfPeriod.has(period)) firstOfPeriod.set(period, c.version);
  }
  return [...firstOfPeriod.values()];
}

/** The `count` best versions by the metric; checkpoints without a finite value do not compete. */
export function bestVersions(checkpoints: readonly RetainedCheckpoint[], keepBest: KeepBest | undefined): number[] {
  if (!keepBest) return [];
  const order = compareMetric(keepBest.mode);
  return checkpoints
    .map((c) => ({ version: c.version, value: metricValue(c.metrics, keepBest.metric) }))
    .filter((c): c is { version: number; value: number } => c.value !== undefined)
    .sort((a, b) => order(a.value, b.value) || a.version - b.version)
    .slice(0, keepBest.count)
    .map((c) => c.version);
}
