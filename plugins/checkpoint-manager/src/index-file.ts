import { promises as fs } from 'node:fs';
import path from 'node:path';
import { listVersions, validateOptions, writeFileAtomic, type JsonSchema, type Logger } from '@modelport/core';
import { readCheckpointRecord, type CheckpointRecord } from './checkpoint-record.js';
import type { RetentionPolicy } from './retention.js';

/** The index beside the versions: a cache of their records, rebuilt from export.json files when lost. */
export const CHECKPOINT_INDEX = 'checkpoint.json';
const FORMAT = 'modelport-checkpoints';

export interface CheckpointIndex {
  readonly format: typeof FORMAT;
  readonly formatVersion: 1;
  readonly model: string;
  readonly updatedAt: string;
  /** The retention policy of the last writer; `modelport checkpoints --prune` applies it. */
  readonly policy?: RetentionPolicy;
  /** Ascending by version. */
  readonly checkpoints: readonly CheckpointRecord[];
  /** Versions in the directory that are no checkpoints (plain exports); never pruned. */
  readonly others: readonly number[];
}

const metricsSchema = { type: 'object' };
const INDEX_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['format', 'formatVersion', 'model', 'checkpoints'],
  properties: {
    format: { const: FORMAT },
    formatVersion: { const: 1 },
    model: { type: 'string' },
    updatedAt: { type: 'string' },
    policy: { type: 'object' },
    checkpoints: {
      type: 'array',
      items: {
        type: 'object',
        required: ['version', 'step', 'time', 'metrics'],
        properties: {
          version: { type: 'integer', minimum: 1 },
          step: { type: 'number' },
          time: { type: 'string' },
          metrics: metricsSchema,
          triggers: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    others: { type: 'array', items: { type: 'integer' }, default: [] },
  },
};

/** The index as stored, or why it cannot be used (missing, not JSON, wrong shape). */
export async function readIndex(modelDir: string): Promise<{ index?: CheckpointIndex; problem?: string }> {
  const file = path.join(modelDir, CHECKPOINT_INDEX);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    return { problem: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (e as Error).message };
  }
  try {
    return { index: validateOptions<CheckpointIndex>(INDEX_SCHEMA, JSON.parse(text), CHECKPOINT_INDEX, { file }) };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

/** Rewrites the index atomically (temp file, fsync, rename): a reader sees the old or the new one. */
export async function writeIndex(modelDir: string, index: Omit<CheckpointIndex, 'format' | 'formatVersion' | 'updatedAt'>): Promise<void> {
  const full: CheckpointIndex = {
    format: FORMAT, formatVersion: 1, model: index.model, updatedAt: new Date().toISOString(),
    ...(index.policy ? { policy: index.policy } : {}),
    checkpoints: [...index.checkpoints].sort((a, b) => a.version - b.version),
    others: [...index.others].sort((a, b) => a - b),
  };
  await writeFileAtomic(path.join(modelDir, CHECKPOINT_INDEX), `${JSON.stringify(full, null, 2)}\n`);
}

export interface LoadedCheckpoints {
  /** Ascending by version; only versions whose directory exists. */
  readonly checkpoints: readonly CheckpointRecord[];
  readonly others: readonly number[];
  readonly policy?: RetentionPolicy;
  /** Whether the stored index differs from the directories (missing, corrupt, or out of date). */
  readonly outOfDate: boolean;
}

/**
 * The checkpoints as the directories say, using the index for versions it knows and export.json
 * for the others: the directories are the truth, the index a cache. A crash between a version's
 * rename and the index rewrite therefore loses nothing.
 */
export async function loadCheckpoints(modelDir: string, logger?: Logger): Promise<LoadedCheckpoints> {
  const { index, problem } = await readIndex(modelDir);
  const versions = await listVersions(modelDir);
  if (problem && problem !== 'missing' && versions.length) logger?.warn(`${path.join(modelDir, CHECKPOINT_INDEX)}: ${problem}; rebuilding it from the version directories`);
  const known = new Map((index?.checkpoints ?? []).map((c) => [c.version, c]));
  const knownOthers = new Set(index?.others ?? []);
  const checkpoints: CheckpointRecord[] = [];
  const others: number[] = [];
  let outOfDate = !index && versions.length > 0;
  for (const version of versions) {
    const cached = known.get(version);
    if (cached) { checkpoints.push(cached); continue; }
    if (knownOthers.has(version)) { others.push(version); continue; }
    outOfDate = true;
    try {
      const record = await readCheckpointRecord(modelDir, version);
      if (record) checkpoints.push(record); else others.push(version);
    } catch (e) {
      // A visible version is complete by construction; one we cannot read is someone else's, left alone.
      logger?.warn(`${(e as Error).message}; version ${version} is left out of the checkpoints`);
      others.push(version);
    }
  }
  const onDisk = new Set(versions);
  if ((index?.checkpoints ?? []).some((c) => !onDisk.has(c.version)) || (index?.others ?? []).some((v) => !onDisk.has(v))) outOfDate = true;
  return { checkpoints, others, ...(index?.policy ? { policy: index.policy } : {}), outOfDate };
}
