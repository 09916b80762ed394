import { isImprovement, metricValue, type Metrics } from '@modelport/checkpoint-manager';
import type { TrainerExportOptions } from './options.js';

export type ExportTrigger = 'periodic' | 'best' | 'end';

export interface EpochDecision {
  readonly triggers: readonly ExportTrigger[];
  /** The monitored metric's value this epoch, when the logs have it. */
  readonly value?: number;
}

/**
 * Whether an epoch exports, and why. `periodic` when the step is a multiple of everyEpochs;
 * `best` when the monitored metric is present and strictly better than `best` (by more than
 * minDelta): the first evaluation, with no best yet, always is. Epochs without the metric (no
 * validation this epoch) are not evaluations.
 */
export function decideEpoch(step: number, metrics: Metrics, best: number | undefined, options: TrainerExportOptions): EpochDecision {
  const triggers: ExportTrigger[] = [];
  if (options.everyEpochs && step % options.everyEpochs === 0) triggers.push('periodic');
  const value = options.monitor ? metricValue(metrics, options.monitor) : undefined;
  if (value !== undefined && isImprovement(value, best, options.mode, options.minDelta)) triggers.push('best');
  return { triggers, ...(value !== undefined ? { value } : {}) };
}
