import path from 'node:path';
import { sanitizeMetrics, type Metrics } from './metrics.js';
import { readExportManifest } from './verify.js';

/** The key of ExportOptions.metadata under which a save records its step and metrics (export.json and model.json carry it). */
export const CHECKPOINT_METADATA_KEY = 'checkpoint';

/** One checkpoint: a complete version of the model directory and what training said about it. */
export interface CheckpointRecord {
  readonly version: number;
  readonly step: number;
  /** ISO time of the save. */
  readonly time: string;
  readonly metrics: Metrics;
  /** Why it was saved, when the saver said (`periodic`, `best`, `end`). */
  readonly triggers?: readonly string[];
}

/** What a save puts in the export's metadata; enough to rebuild the record from export.json. */
export function checkpointMetadata(record: CheckpointRecord): Record<string, unknown> {
  const { version: _version, ...rest } = record;
  return rest;
}

/**
 * The record of a version, read from its export.json; undefined for a version that is no
 * checkpoint (exported by `modelport export` into the same repository).
 */
export async function readCheckpointRecord(modelDir: string, version: number): Promise<CheckpointRecord | undefined> {
  const manifest = await readExportManifest(path.join(modelDir, String(version)));
  const meta = manifest.options?.metadata?.[CHECKPOINT_METADATA_KEY] as Partial<CheckpointRecord> | undefined;
  if (!meta || typeof meta !== 'object') return undefined;
  return {
    version,
    step: typeof meta.step === 'number' ? meta.step : version,
    time: typeof meta.time === 'string' ? meta.time : manifest.createdAt ?? new Date(0).toISOString(),
    metrics: sanitizeMetrics(meta.metrics),
    ...(Array.isArray(meta.triggers) ? { triggers: meta.triggers.filter((t): t is string => typeof t === 'string') } : {}),
  };
}
