import path from 'node:path';
import { OptionsError } from '@modelport/core';
import { loadCheckpoints, readIndex } from './index-file.js';
import { withLock } from './lock.js';
import { flattenMetrics } from './metrics.js';
import { PLUGIN_NAME } from './plugin.js';
import { pruneHoldingLock, type PruneResult } from './prune.js';
import { planRetention, type KeepReason, type RetentionPolicy } from './retention.js';

// The schema's defaults, for commands that build no manager.
const LOCK_DEFAULTS = { staleMs: 10_000, timeoutMs: 120_000 };

/** One line of `modelport checkpoints`. */
export interface CheckpointRow {
  readonly version: number;
  readonly step: number;
  readonly time: string;
  readonly metrics: Readonly<Record<string, number | null>>;
  /** Rules of the policy that keep it; empty means the next prune removes it. Absent without a policy. */
  readonly keptBy?: readonly KeepReason[];
}

/**
 * The checkpoints of `<base>/<model>` sorted by step, metrics flattened (`val.loss`), and, given
 * a policy or one recorded in checkpoint.json, the rules keeping each. Reads only; takes no lock.
 */
export async function listCheckpoints(modelDir: string, policy?: RetentionPolicy): Promise<CheckpointRow[]> {
  const dir = path.resolve(modelDir);
  const loaded = await loadCheckpoints(dir);
  const applied = policy ?? loaded.policy;
  const plan = applied && planRetention(loaded.checkpoints, applied);
  return [...loaded.checkpoints]
    .sort((a, b) => a.step - b.step || a.version - b.version)
    .map((c) => ({ version: c.version, step: c.step, time: c.time, metrics: flattenMetrics(c.metrics), ...(plan ? { keptBy: plan.keep.get(c.version) ?? [] } : {}) }));
}

/** The same as a text table, one checkpoint a line, for the CLI to print. */
export async function listCheckpointsTable(modelDir: string, policy?: RetentionPolicy): Promise<string> {
  const rows = await listCheckpoints(modelDir, policy);
  if (rows.length === 0) return `no checkpoints in ${path.resolve(modelDir)}\n`;
  const metricNames = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort();
  const withPolicy = rows.some((r) => r.keptBy);
  const header = ['version', 'step', 'time', ...metricNames, ...(withPolicy ? ['kept by'] : [])];
  const lines = rows.map((r) => [
    String(r.version), String(r.step), r.time,
    ...metricNames.map((m) => formatMetric(r.metrics[m])),
    ...(withPolicy ? [r.keptBy!.length ? r.keptBy!.join(', ') : '(pruned next)'] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[format(header), ...lines.map(format)].join('\n')}\n`;
}

/**
 * `modelport checkpoints <dir> --prune`: applies `policy`, or the one the last writer recorded in
 * checkpoint.json, holding the same lock writers take, so it never races a save.
 */
export async function pruneCheckpoints(modelDir: string, policy?: RetentionPolicy, options: { dryRun?: boolean; staleMs?: number; timeoutMs?: number } = {}): Promise<PruneResult> {
  const dir = path.resolve(modelDir);
  const applied = policy ?? (await readIndex(dir)).index?.policy;
  if (!applied || applied.maxToKeep === undefined) {
    throw new OptionsError('nothing to prune by: give a policy with maxToKeep (the checkpoint.json here records none)', { plugin: PLUGIN_NAME, file: path.join(dir, 'checkpoint.json') });
  }
  return withLock(dir, { ...LOCK_DEFAULTS, ...options }, async (lock) => {
    const loaded = await loadCheckpoints(dir);
    return pruneHoldingLock({ modelDir: dir, model: path.basename(dir), loaded, policy: applied, lock, ...(options.dryRun ? { dryRun: true } : {}) });
  });
}

function formatMetric(value: number | null | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'NaN';
  return String(Number(value.toPrecision(6)));
}
