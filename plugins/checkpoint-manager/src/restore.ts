import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadGraphModelFromMemory, ModelportError, readTfjsModelFiles, type ArtifactRecord } from '@modelport/core';
import { LAYERS_TARGET } from './plugin.js';
import { assertFilesIntact, readExportManifest } from './verify.js';

/** `layers`: the exact tf.LayersModel copy; `graph`: the tfjs graph model; `auto`: layers when the version has it. */
export type RestoreAs = 'auto' | 'layers' | 'graph';
export type RestoredModel = tf.LayersModel | tf.GraphModel;

/**
 * Loads a version back into tfjs. The files are checked against export.json's sha256 first, so a
 * damaged or vanishing version is an error naming the file, never a model with wrong weights.
 */
export async function restoreVersion(dir: string, as: 'layers'): Promise<tf.LayersModel>;
export async function restoreVersion(dir: string, as: 'graph'): Promise<tf.GraphModel>;
export async function restoreVersion(dir: string, as?: RestoreAs): Promise<RestoredModel>;
export async function restoreVersion(dir: string, as: RestoreAs = 'auto'): Promise<RestoredModel> {
  const manifest = await readExportManifest(dir);
  const targets = manifest.targets ?? [];
  const layers = targets.find((t) => t.format === LAYERS_TARGET);
  const graph = targets.find((t) => t.format === 'tfjs');
  const chosen: ArtifactRecord | undefined = as === 'layers' ? layers : as === 'graph' ? graph : layers ?? graph;
  if (!chosen) {
    const want = as === 'layers' ? `a ${LAYERS_TARGET} copy` : as === 'graph' ? 'a tfjs graph model' : 'a tfjs artifact';
    throw new ModelportError(`this version has no ${want} to restore (targets: ${targets.map((t) => t.target).join(', ') || 'none'}); save with targets including "tfjs"${as === 'graph' ? '' : ` and a tf.LayersModel for "${LAYERS_TARGET}"`}`, { file: path.join(dir, 'export.json') });
  }
  await assertFilesIntact(dir, manifest, chosen.files);
  const files = await readTfjsModelFiles(path.join(dir, chosen.path));
  const weightSpecs = files.groups.flatMap((g) => g.group.weights) as tf.io.WeightsManifestEntry[];
  const bytes = new Uint8Array(Buffer.concat(files.groups.map((g) => g.bytes)));
  try {
    if (chosen === layers) {
      const json = files.json as unknown as { modelTopology: object; format?: string; generatedBy?: string; convertedBy?: string | null; trainingConfig?: tf.io.TrainingConfig };
      return await tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: json.modelTopology, weightSpecs, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        ...(json.format ? { format: json.format } : {}), ...(json.generatedBy ? { generatedBy: json.generatedBy } : {}),
        ...(json.convertedBy ? { convertedBy: json.convertedBy } : {}), ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
      }));
    }
    return await loadGraphModelFromMemory(files.json, weightSpecs, bytes);
  } catch (e) {
    throw new ModelportError(`tfjs could not load it: ${(e as Error).message}`, { file: files.file }, { cause: e });
  }
}
