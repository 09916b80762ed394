import { runnableArtifacts, type ArtifactRecord, type Hooks, type Logger, type Predictor } from '@modelport/core';
import { adapterOptions, fileResolver, requireAdapter, type AdapterCatalog } from './adapters.js';
import { DynamicBatcher } from './batcher.js';
import { decodingSignatures } from './built-in-stages.js';
import { ServingError, type StatusCode } from './errors.js';
import { verifyDigests } from './integrity.js';
import type { ModelConfig } from './model-config.js';
import { insideDir } from './model-names.js';
import type { BatchingOptions, ServeSettings } from './options.js';
import type { VersionOnDisk } from './repository.js';
import { replayWarmup, warmupSampleOf } from './warmup.js';

/** A version ready to answer: the Predictor clients call (adapter applied) and how it runs. */
export interface LoadedVersion {
  readonly predictor: Predictor;
  readonly format: string;
  /** The artifact's main file, relative to the version directory. */
  readonly artifact: string;
  /** How it was warmed up, for status logs: "warmup.json", "generated", "skipped". */
  readonly warmup: string;
  readonly batcher?: DynamicBatcher;
}

export interface LoaderDeps {
  readonly hooks: Hooks;
  readonly logger: Logger;
  readonly settings: ServeSettings;
  readonly adapters: AdapterCatalog;
  /** Where relative adapter files resolve when not in the version directory. */
  configDir(): string;
  onBatch(model: string, version: number, rows: number): void;
}

function hasRuntime(hooks: Hooks, format: string): boolean {
  const hook = hooks.serve.get(format) as { taps: readonly unknown[] } | undefined;
  return !!hook && hook.taps.length > 0;
}

/**
 * Artifacts of the version that an applied runtime serves, in the configured order of formats; a
 * package (tfhub) offers its variants (SavedModel, tfjs, tflite) in its place.
 */
export function servableArtifacts(targets: readonly ArtifactRecord[], hooks: Hooks, preferred?: readonly string[]): ArtifactRecord[] {
  const served = runnableArtifacts(targets).filter((t) => hasRuntime(hooks, t.format));
  if (!preferred) return served;
  return preferred.flatMap((f) => served.filter((t) => t.format === f || t.target === f));
}

/** Opens the first artifact a runtime accepts; when every one fails, the error names each. */
async function openRuntime(deps: LoaderDeps, v: VersionOnDisk, config: ModelConfig): Promise<{ predictor: Predictor; artifact: ArtifactRecord }> {
  const candidates = servableArtifacts(v.manifest.targets, deps.hooks, config.formats);
  if (!candidates.length) {
    const formats = v.manifest.targets.map((t) => t.format).join(', ');
    const wanted = config.formats ? ` of those configured (${config.formats.join(', ')})` : '';
    throw new ServingError('UNIMPLEMENTED', `no applied runtime serves the formats of this version${wanted} (${formats}); install and enable a runtime plugin, e.g. @modelport/runtime-${v.manifest.targets[0]!.format}`);
  }
  const failures: string[] = [];
  for (const artifact of candidates) {
    const file = insideDir(v.dir, artifact.path);
    if (!file) {
      failures.push(`${artifact.format}: path "${artifact.path}" leaves the version directory`);
      continue;
    }
    try {
      const predictor = await deps.hooks.serve.for(artifact.format).promise({
        format: artifact.format, path: file, logger: deps.logger, ...(config.runtimeOptions ? { options: config.runtimeOptions } : {}),
      });
      if (predictor) return { predictor, artifact };
      failures.push(`${artifact.format}: no runtime answered`);
    } catch (e) {
      failures.push(`${artifact.format}: ${(e as Error).message}`);
    }
  }
  throw new ServingError(candidates.length === 1 && failures[0]!.endsWith('no runtime answered') ? 'UNIMPLEMENTED' : 'UNKNOWN', `could not load ${failures.join('; ')}`);
}

/**
 * Loads one version: checks its files, opens it through the `serve` hook, replays the warm-up
 * sample (which also checks the signature), applies the model's adapter and batching. Nothing of
 * a failed load stays in memory. A version whose signatures carry an output module is served as
 * exported even when the config names an adapter (see decodingSignatures).
 */
export async function loadVersion(deps: LoaderDeps, v: VersionOnDisk, config: ModelConfig): Promise<LoadedVersion> {
  const { settings } = deps;
  if (settings.verifyDigests && v.manifest.files) await verifyDigests(v.dir, v.manifest.files);
  const { predictor: raw, artifact } = await openRuntime(deps, v, config);
  let predictor = raw;
  try {
    let warmup = 'skipped';
    if (config.warmup ?? settings.warmup.enabled) {
      const sample = await warmupSampleOf(v.dir, v.manifest.warmup, raw.signatures, settings.warmup, settings.limits.maxTensorElements);
      if (sample) {
        warmup = sample.origin;
        try {
          await replayWarmup(raw, sample, settings.warmup.iterations);
        } catch (e) {
          // A generated sample with guessed dimensions may be what is wrong; a saved one is the export's word.
          if (!sample.guessed || e instanceof ServingError) throw asLoadError(e, 'FAILED_PRECONDITION', 'warm-up failed');
          deps.logger.warn(`${v.model} version ${v.version}: warm-up with a generated sample failed (${(e as Error).message}); serving anyway, save a warmup.json to check it`);
          warmup = 'generated (failed, guessed shapes)';
        }
      }
    }
    const decoding = decodingSignatures(v.manifest.signatures);
    if (config.adapter && decoding.length) {
      deps.logger.warn(`${v.model} version ${v.version}: served as exported, adapter "${config.adapter.name}" not applied: its signatures decode their outputs themselves (${decoding.join('; ')})`);
    } else if (config.adapter) {
      const contribution = requireAdapter(deps.adapters, config.adapter.name, v.model);
      const options = adapterOptions(contribution, config.adapter.options, v.model);
      const context = {
        model: v.model, version: v.version, dir: v.dir, logger: deps.logger,
        resolveFile: fileResolver(v.dir, deps.configDir()),
      };
      predictor = await contribution.adapter.wrap(raw, options, context);
    }
    const batching: BatchingOptions = { ...settings.batching, ...definedOnly(config.batching ?? {}) };
    const batcher = batching.enabled
      ? new DynamicBatcher(predictor, batching, (rows) => deps.onBatch(v.model, v.version, rows))
      : undefined;
    return { predictor, format: artifact.format, artifact: artifact.path, warmup, ...(batcher ? { batcher } : {}) };
  } catch (e) {
    await predictor.dispose().catch(() => undefined); // an adapter's predictor disposes the one it wraps
    throw e;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function asLoadError(e: unknown, code: StatusCode, what: string): ServingError {
  if (e instanceof ServingError) return e;
  return new ServingError(code, `${what}: ${(e as Error).message ?? String(e)}`, {}, { cause: e });
}
