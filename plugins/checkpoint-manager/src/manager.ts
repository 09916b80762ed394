import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { listVersions, ModelportError, OptionsError, silentLogger, validateOptions, type Graph, type JsonSchema, type Logger, type ModelSource } from '@modelport/core';
import { checkpointMetadata, CHECKPOINT_METADATA_KEY, type CheckpointRecord } from './checkpoint-record.js';
import { loadCheckpoints, writeIndex } from './index-file.js';
import { removeLeftovers } from './leftovers.js';
import { withLock, type HeldLock, type LockOptions } from './lock.js';
import { sanitizeMetrics, compareMetric, metricValue, type MetricMode } from './metrics.js';
import { retentionPolicyOf, validateManagerOptions, type CheckpointManagerInput, type CheckpointManagerOptions } from './options.js';
import { GRAPH_SOURCE, isGraph, LAYERS_TARGET, PLUGIN_NAME } from './plugin.js';
import { pruneHoldingLock, type PruneResult } from './prune.js';
import { restoreVersion, type RestoreAs, type RestoredModel } from './restore.js';
import type { RetentionPolicy } from './retention.js';
import { openExportSession, type CheckpointServices, type ExportSession } from './session.js';
import { nextVersion } from './versioning.js';
import { watchVersions, type WatchOptions } from './watch.js';

/** A checkpoint as listed: its record and its directory. */
export interface Checkpoint extends CheckpointRecord {
  readonly dir: string;
}

/** What can be saved: a tf.LayersModel being trained, a Graph IR, or any source the session can load. */
export type CheckpointSource = tf.LayersModel | Graph | ModelSource;

export interface SaveOptions {
  /** Training step (or epoch count); default: one more than the latest checkpoint's. */
  readonly step?: number;
  /** Numbers, flat or nested; NaN and ±Infinity are recorded as null. */
  readonly metrics?: Readonly<Record<string, unknown>>;
  /** Why this save happens (`periodic`, `best`, `end`), recorded with it. */
  readonly triggers?: readonly string[];
}

const SAVE_OPTIONS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    step: { type: 'integer', minimum: 0 },
    metrics: { type: 'object' },
    triggers: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
};

/**
 * Checkpoints of one model in a versioned repository, `<directory>/<model>/<version>/`, the layout
 * the modelport server, TF Serving and Triton read. `save` exports through the export pipeline into
 * the next version, under a lock shared by every writer process, and then applies the retention
 * policy. Readers (`list`, `latest`, `best`, `restore`, `watch`) take no lock: versions appear
 * complete (renamed into place) and disappear whole (renamed away before deletion).
 */
export class CheckpointManager {
  readonly options: CheckpointManagerOptions;
  /** `<directory>/<model>`, absolute. */
  readonly modelDir: string;
  readonly policy: RetentionPolicy;
  private readonly services: CheckpointServices;
  private session?: Promise<ExportSession>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: CheckpointManagerInput, services: CheckpointServices = {}) {
    this.options = validateManagerOptions(options);
    this.modelDir = path.resolve(this.options.directory, this.options.model);
    this.policy = retentionPolicyOf(this.options);
    this.services = services;
  }

  get logger(): Logger {
    return this.services.logger ?? silentLogger;
  }

  /**
   * Writer start-up, also done by every save: removes what interrupted saves left (temp
   * directories of dead processes) and rewrites checkpoint.json if it is missing, corrupt or behind
   * the directories.
   */
  open(): Promise<void> {
    return this.serial(() => this.withLock((lock) => this.startUp(lock)));
  }

  /** Exports `model` as the next version, records step and metrics with it, applies retention. */
  async save(model: CheckpointSource, options: SaveOptions = {}): Promise<Checkpoint> {
    const checked = validateOptions<SaveOptions>(SAVE_OPTIONS_SCHEMA, { ...options, ...(options.metrics ? { metrics: sanitizeMetrics(options.metrics) } : {}) }, 'save options', { plugin: PLUGIN_NAME });
    const source = this.sourceOf(model);
    return this.serial(async () => {
      this.session ??= openExportSession(this.services, this.modelDir);
      const session = await this.session;
      return this.withLock(async (lock) => {
        await this.startUp(lock);
        const loaded = await loadCheckpoints(this.modelDir, this.logger);
        const latestStep = loaded.checkpoints.reduce((m, c) => Math.max(m, c.step), 0);
        const step = checked.step ?? latestStep + 1;
        const version = nextVersion(this.options.versioning, step, await listVersions(this.modelDir), this.modelDir);
        const record: CheckpointRecord = {
          version, step, time: new Date().toISOString(), metrics: checked.metrics ? sanitizeMetrics(checked.metrics) : {},
          ...(checked.triggers?.length ? { triggers: checked.triggers } : {}),
        };
        lock.assertHeld();
        const passed = { ...session.exportDefaults, ...this.options.export };
        const summary = await session.pipeline.run({
          source,
          options: {
            ...passed,
            validate: passed.validate ?? true,
            targets: this.targetsFor(source),
            out: path.resolve(this.options.directory),
            modelName: this.options.model,
            version,
            metadata: { ...passed.metadata, [CHECKPOINT_METADATA_KEY]: checkpointMetadata(record) },
          },
        });
        await pruneHoldingLock({
          modelDir: this.modelDir, model: this.options.model, policy: this.policy, protect: [version], lock, logger: this.logger,
          loaded: { ...loaded, checkpoints: [...loaded.checkpoints, record] },
        });
        return { ...record, dir: summary.dir };
      });
    });
  }

  /** Every checkpoint, sorted by step (then version), with time and metrics. */
  async list(): Promise<Checkpoint[]> {
    const { checkpoints } = await loadCheckpoints(this.modelDir, this.logger);
    return checkpoints.map((c) => this.withDir(c)).sort((a, b) => a.step - b.step || a.version - b.version);
  }

  /** The newest checkpoint (highest version). */
  async latest(): Promise<Checkpoint | undefined> {
    const { checkpoints } = await loadCheckpoints(this.modelDir, this.logger);
    const newest = checkpoints[checkpoints.length - 1];
    return newest && this.withDir(newest);
  }

  /**
   * The best checkpoint by a metric (default: keepBest's); ties go to the earlier version.
   * Checkpoints without a finite value of the metric are not candidates.
   */
  async best(metric = this.options.keepBest?.metric, mode?: MetricMode): Promise<Checkpoint | undefined> {
    if (!metric) throw new OptionsError('best() needs a metric name, or keepBest.metric in the options', { plugin: PLUGIN_NAME });
    const m = mode ?? (this.options.keepBest?.metric === metric ? this.options.keepBest.mode : 'min');
    const order = compareMetric(m);
    const candidates = (await this.list())
      .map((c) => ({ c, value: metricValue(c.metrics, metric) }))
      .filter((x): x is { c: Checkpoint; value: number } => x.value !== undefined)
      .sort((a, b) => order(a.value, b.value) || a.c.version - b.c.version);
    return candidates[0]?.c;
  }

  /** Loads a version (default: the latest) back into tfjs; see restoreVersion. */
  async restore(which?: number | Checkpoint, as: RestoreAs = 'auto'): Promise<RestoredModel> {
    const version = typeof which === 'number' ? which : which?.version ?? (await this.latest())?.version;
    if (version === undefined) throw new ModelportError('there is no checkpoint to restore yet', { file: this.modelDir });
    return restoreVersion(path.join(this.modelDir, String(version)), as);
  }

  /** Each new checkpoint as it becomes visible (complete), until `signal` aborts or the loop breaks. */
  async *watch(options: Omit<WatchOptions, 'logger'> = {}): AsyncGenerator<Checkpoint> {
    for await (const v of watchVersions(this.modelDir, { ...options, logger: this.logger })) {
      if (v.checkpoint) yield { ...v.checkpoint, dir: v.dir };
    }
  }

  /** Applies the retention policy now (a save does it after each version). */
  prune(options: { dryRun?: boolean } = {}): Promise<PruneResult> {
    return this.serial(() => this.withLock(async (lock) => {
      await this.startUp(lock);
      const loaded = await loadCheckpoints(this.modelDir, this.logger);
      return pruneHoldingLock({ modelDir: this.modelDir, model: this.options.model, loaded, policy: this.policy, lock, logger: this.logger, ...options });
    }));
  }

  /** Runs `fn` holding the model directory's lock (what a trainer uses to update best.json). */
  withLock<T>(fn: (lock: HeldLock) => Promise<T>): Promise<T> {
    return withLock(this.modelDir, this.lockOptions(), fn);
  }

  // Cheap (one readdir), so every save does it: a writer that crashed meanwhile is cleaned up after too.
  private async startUp(lock: HeldLock): Promise<void> {
    const removed = await removeLeftovers(this.modelDir);
    if (removed.length) this.logger.info(`checkpoints: removed ${removed.length} leftover(s) of interrupted saves in ${this.modelDir}: ${removed.join(', ')}`);
    const loaded = await loadCheckpoints(this.modelDir, this.logger);
    lock.assertHeld();
    if (loaded.outOfDate) await writeIndex(this.modelDir, { model: this.options.model, policy: this.policy, checkpoints: loaded.checkpoints, others: loaded.others });
  }

  private lockOptions(): LockOptions {
    return { ...this.options.lock, logger: this.logger };
  }

  // Saves of one manager run one after the other; the lock orders them against other processes.
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private sourceOf(model: CheckpointSource): ModelSource {
    if (model instanceof tf.LayersModel) return { format: 'tfjs-layers-model', model, name: this.options.model };
    if (isGraph(model)) return { format: GRAPH_SOURCE, model, name: this.options.model };
    if (model && typeof (model as ModelSource).format === 'string') return model as ModelSource;
    throw new OptionsError('save() takes a tf.LayersModel (of the same @tensorflow/tfjs), a modelport Graph, or a source { format, path | model }', { plugin: PLUGIN_NAME });
  }

  private targetsFor(source: ModelSource): string[] {
    const targets = [...this.options.targets];
    if (this.options.layersCopy && source.format === 'tfjs-layers-model' && !targets.includes(LAYERS_TARGET)) targets.push(LAYERS_TARGET);
    return targets;
  }

  private withDir(record: CheckpointRecord): Checkpoint {
    return { ...record, dir: path.join(this.modelDir, String(record.version)) };
  }
}
