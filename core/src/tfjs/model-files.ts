import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModelLoadError } from '../errors.js';
import { jsonSyntaxProblem } from '../file-content-free.js';
import { readModelFile } from '../read-model-file.js';
import { checkWeightsManifest } from './manifest-check.js';
import type { TfjsModelJson, TfjsWeightGroup } from './model-json.js';

/** A model.json read from disk with the bytes of each weight group's shards laid end to end. */
export interface TfjsModelFiles {
  readonly file: string;
  readonly json: TfjsModelJson;
  readonly groups: readonly { readonly group: TfjsWeightGroup; readonly bytes: Uint8Array; readonly files: string }[];
}

/** Reads and checks model.json and its shards: missing or garbled files are errors naming the file. */
export async function readTfjsModelFiles(file: string): Promise<TfjsModelFiles> {
  const text = await readModelFile(file, 'utf8');
  let json: TfjsModelJson;
  try {
    json = JSON.parse(text) as TfjsModelJson;
  } catch (e) {
    throw new ModelLoadError(`not valid JSON (${jsonSyntaxProblem(e)}); expected a tfjs model.json`, { file });
  }
  if (!json || typeof json !== 'object' || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new ModelLoadError('not a tfjs model.json: it has no "modelTopology" object', { file });
  }
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new ModelLoadError('"weightsManifest" must be a list of { paths, weights } groups', { file });
  checkWeightsManifest(manifest, file);
  const dir = path.dirname(file);
  const groups = [];
  for (const group of manifest) {
    const shards = [];
    for (const shard of group.paths) {
      const shardFile = path.resolve(dir, shard);
      if (!shardFile.startsWith(path.resolve(dir) + path.sep)) throw new ModelLoadError(`weight path "${shard}" points outside the model's folder`, { file });
      shards.push(await fs.readFile(shardFile).catch((e: NodeJS.ErrnoException) => {
        throw new ModelLoadError(e.code === 'ENOENT' ? `weight file "${shard}" named in weightsManifest is missing` : `cannot read weight file "${shard}": ${e.message}`, { file: shardFile });
      }));
    }
    const bytes = new Uint8Array(Buffer.concat(shards));
    groups.push({ group, bytes, files: group.paths.map((p) => path.join(dir, p)).join(', ') });
  }
  return { file, json, groups };
}
