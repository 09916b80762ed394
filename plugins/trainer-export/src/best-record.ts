import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic, type Logger } from '@modelport/core';
import { isImprovement, type MetricMode } from '@modelport/checkpoint-manager';

/** The best value of a monitored metric so far, and the checkpoint that has it. */
export interface BestRecord {
  readonly mode: MetricMode;
  readonly value: number;
  readonly step: number;
  readonly version: number;
  readonly time: string;
}

interface BestFile {
  readonly format: 'modelport-best';
  /** By metric name: one file serves every monitor of the model. */
  readonly monitors: Readonly<Record<string, BestRecord>>;
}

/**
 * Reads the best record of `metric` from `<modelDir>/<file>`. A record kept with the other mode
 * is not comparable and is ignored; a garbled file is reported and treated as absent (the
 * checkpoints' own metrics still give a best).
 */
export async function readBestRecord(file: string, metric: string, mode: MetricMode, logger?: Logger): Promise<BestRecord | undefined> {
  const parsed = await readBestFile(file, logger);
  const record = parsed?.monitors[metric];
  if (!record || typeof record.value !== 'number') return undefined;
  if (record.mode !== mode) {
    logger?.warn(`${file}: the best "${metric}" was kept with mode ${record.mode}, this run uses ${mode}; comparing from scratch`);
    return undefined;
  }
  return record;
}

/**
 * Records `candidate` as the best of `metric` unless the file already holds one at least as
 * good (another run may have got there first). Call it holding the model directory's lock.
 * Returns the record now in force.
 */
export async function updateBestRecord(file: string, metric: string, candidate: BestRecord, logger?: Logger): Promise<BestRecord> {
  const parsed = await readBestFile(file, logger);
  const current = parsed?.monitors[metric];
  if (current && current.mode === candidate.mode && !isImprovement(candidate.value, current.value, candidate.mode)) return current;
  const next: BestFile = { format: 'modelport-best', monitors: { ...parsed?.monitors, [metric]: candidate } };
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  return candidate;
}

async function readBestFile(file: string, logger?: Logger): Promise<BestFile | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') logger?.warn(`${file}: cannot read (${(e as Error).message}); treating it as absent`);
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as BestFile;
    if (parsed?.format !== 'modelport-best' || typeof parsed.monitors !== 'object' || parsed.monitors === null) throw new Error('not a modelport best-record file');
    return parsed;
  } catch (e) {
    logger?.warn(`${file}: ${(e as Error).message}; treating it as absent`);
    return undefined;
  }
}
