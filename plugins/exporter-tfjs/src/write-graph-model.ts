import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EncodedWeight, TfjsModelJson } from '@modelport/core';

export interface WrittenGraphModel {
  readonly files: readonly string[];
  readonly shards: number;
  readonly weightBytes: number;
}

/**
 * Writes model.json and the weights as shard files of at most `shardSizeBytes` (a weight may span
 * two shards: tfjs concatenates a group's shards before reading). Paths are relative to `dir`.
 */
export async function writeGraphModel(
  dir: string, modelJson: Omit<TfjsModelJson, 'weightsManifest'>, weights: readonly EncodedWeight[], shardSizeBytes: number,
): Promise<WrittenGraphModel> {
  await fs.mkdir(dir, { recursive: true });
  const total = weights.reduce((n, w) => n + w.bytes.byteLength, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const w of weights) { data.set(w.bytes, offset); offset += w.bytes.byteLength; }
  const count = Math.max(1, Math.ceil(total / shardSizeBytes));
  const paths = Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
  for (let i = 0; i < count; i++) {
    await fs.writeFile(path.join(dir, paths[i]!), data.subarray(i * shardSizeBytes, Math.min(total, (i + 1) * shardSizeBytes)));
  }
  const json: TfjsModelJson = { ...modelJson, weightsManifest: [{ paths, weights: weights.map((w) => w.spec) }] };
  await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  return { files: ['model.json', ...paths], shards: count, weightBytes: total };
}
