import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { isImprovement, metricValue, sanitizeMetrics, type Checkpoint, type CheckpointManager, type Metrics } from '@modelport/checkpoint-manager';
import { readBestRecord, updateBestRecord, type BestRecord } from './best-record.js';
import { resolveLogs } from './logs.js';
import { validateTrainerOptions, type TrainerExportInput, type TrainerExportOptions } from './options.js';
import { decideEpoch, type ExportTrigger } from './triggers.js';

/**
 * A tfjs training callback (model.fit, model.fitDataset) that exports checkpoints through a
 * CheckpointManager: every N epochs, at the end, and when a monitored metric improves (the
 * best-exporter pattern). The step of epoch e is e + 1, continued after the manager's latest
 * checkpoint when a new run starts from epoch 0 again, so that versions keep growing.
 */
export class TrainerExportCallback extends tf.Callback {
  readonly options: TrainerExportOptions;
  /** The checkpoints this callback saved, in order. */
  readonly saved: Checkpoint[] = [];
  private best?: BestRecord;
  private stepOffset?: number;
  private latestStep = 0;
  private lastEpoch?: { step: number; metrics: Metrics };
  private lastSavedStep?: number;

  constructor(readonly manager: CheckpointManager, options: TrainerExportInput = {}) {
    super();
    this.options = validateTrainerOptions(options);
  }

  /** `<directory>/<model>/best.json`: where the best value survives a restart. */
  get bestFile(): string {
    return path.join(this.manager.modelDir, this.options.bestFile);
  }

  /** The best record in force (after training began). */
  get bestRecord(): BestRecord | undefined {
    return this.best;
  }

  override async onTrainBegin(): Promise<void> {
    this.stepOffset = undefined;
    this.lastEpoch = undefined;
    this.latestStep = (await this.manager.list()).reduce((m, c) => Math.max(m, c.step), 0);
    if (this.options.monitor) this.best = await this.loadBest(this.options.monitor);
  }

  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    // A run that starts again at epoch 0 continues the steps instead of repeating them.
    this.stepOffset ??= Math.max(0, this.latestStep - epoch);
    const step = epoch + 1 + this.stepOffset;
    const metrics = sanitizeMetrics(await resolveLogs(logs as Record<string, unknown> | undefined));
    this.lastEpoch = { step, metrics };
    const { triggers, value } = decideEpoch(step, metrics, this.best?.value, this.options);
    if (triggers.length) await this.export(step, metrics, triggers, value);
  }

  override async onTrainEnd(): Promise<void> {
    if (this.options.atEnd && this.lastEpoch && this.lastSavedStep !== this.lastEpoch.step) {
      await this.export(this.lastEpoch.step, this.lastEpoch.metrics, ['end']);
    }
  }

  private async export(step: number, metrics: Metrics, triggers: readonly ExportTrigger[], value?: number): Promise<void> {
    let checkpoint: Checkpoint;
    try {
      checkpoint = await this.manager.save(this.model, { step, metrics, triggers });
    } catch (e) {
      if (this.options.onError === 'throw') throw e;
      this.manager.logger.warn(`trainer-export: the export of step ${step} failed, training goes on: ${(e as Error).message}`);
      return;
    }
    this.saved.push(checkpoint);
    this.lastSavedStep = step;
    if (triggers.includes('best') && value !== undefined && this.options.monitor) {
      const candidate: BestRecord = { mode: this.options.mode, value, step, version: checkpoint.version, time: checkpoint.time };
      const monitor = this.options.monitor;
      this.best = await this.manager.withLock(() => updateBestRecord(this.bestFile, monitor, candidate, this.manager.logger));
    }
  }

  // best.json, or the checkpoints' own metrics when it was lost or lags behind a crash: the better of the two.
  private async loadBest(metric: string): Promise<BestRecord | undefined> {
    const recorded = await readBestRecord(this.bestFile, metric, this.options.mode, this.manager.logger);
    const fromCheckpoints = await this.manager.best(metric, this.options.mode);
    const value = fromCheckpoints && metricValue(fromCheckpoints.metrics, metric);
    if (value === undefined || (recorded && !isImprovement(value, recorded.value, this.options.mode))) return recorded;
    return { mode: this.options.mode, value, step: fromCheckpoints!.step, version: fromCheckpoints!.version, time: fromCheckpoints!.time };
  }
}

/** `model.fit(x, y, { callbacks: [trainerExport(manager, { monitor: 'val_loss' })] })`. */
export function trainerExport(manager: CheckpointManager, options: TrainerExportInput = {}): TrainerExportCallback {
  return new TrainerExportCallback(manager, options);
}
