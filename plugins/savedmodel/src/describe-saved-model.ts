import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  countOpNames, dtypeFromTf, shapeFromTfjsJson, type ArtifactDescriber, type ArtifactDescription, type ArtifactDetail, type DescribedSignature, type DescribedTensor,
} from '@modelport/core';
import { decodeSavedModel, locateSavedModel, SAVED_MODEL_PB } from './read/decode-saved-model.js';
import { pickMetaGraph, SERVE_TAG } from './read/pick-meta-graph.js';
import type { MetaGraphDefObject, SignatureDefObject } from './read/saved-model-object.js';

const VARIABLE_OPS = new Set(['VarHandleOp', 'VariableV2', 'Variable']);

function describeSide(tensors: SignatureDefObject['inputs']): DescribedTensor[] {
  return Object.entries(tensors ?? {}).map(([name, info]) => {
    const shape = shapeFromTfjsJson(info.tensorShape ?? { unknownRank: true });
    return { name, tensor: info.name, dtype: String(dtypeFromTf(info.dtype ?? 'DT_INVALID')), shape, dynamic: shape === null || shape.some((d) => d < 0) };
  });
}

/** Bytes of every file under `dir`, and how many files. */
async function bytesUnder(dir: string): Promise<{ bytes: number; files: number }> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  let bytes = 0, files = 0;
  for (const e of entries) {
    if (!e.isFile()) continue;
    bytes += (await fs.stat(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))).size;
    files++;
  }
  return { bytes, files };
}

function opsOf(metaGraph: MetaGraphDefObject): { ops: Record<string, number>; functions: number } {
  const graphOps = (metaGraph.graphDef?.node ?? []).map((n) => n.op);
  const functions = metaGraph.graphDef?.library?.function ?? [];
  const functionOps = functions.flatMap((f) => (f.nodeDef ?? []).map((n) => n.op));
  return { ops: countOpNames([...graphOps, ...functionOps]), functions: functions.length };
}

/**
 * What `modelport inspect` shows of a SavedModel, read from saved_model.pb alone (TF2 ones too):
 * the "serve" MetaGraphDef's SignatureDefs as declared, the op histogram of its GraphDef and
 * function library, who wrote it, where the weights are, and the bytes on disk.
 */
export async function describeSavedModel(pathToDirOrPb: string): Promise<ArtifactDescription> {
  const { dir, pbFile } = await locateSavedModel(pathToDirOrPb);
  const model = await decodeSavedModel(pbFile);
  const metaGraph = pickMetaGraph(model, [SERVE_TAG], pbFile);
  const signatures: Record<string, DescribedSignature> = {};
  const methods: ArtifactDetail[] = [];
  for (const [key, def] of Object.entries(metaGraph.signatureDef ?? {})) {
    if (key.startsWith('__saved_model')) continue;
    signatures[key] = { inputs: describeSide(def.inputs), outputs: describeSide(def.outputs), frozenInputs: [] };
    if (def.methodName) methods.push({ label: `method of ${key}`, value: def.methodName });
  }
  const { ops, functions } = opsOf(metaGraph);
  const variableNodes = (metaGraph.graphDef?.node ?? []).filter((n) => VARIABLE_OPS.has(n.op)).length;
  const variables = await bytesUnder(path.join(dir, 'variables'));
  const assets = await bytesUnder(path.join(dir, 'assets'));
  const info = metaGraph.metaInfoDef ?? {};
  const weights = variables.bytes > 0 || variableNodes > 0 ? `in variables (${variableNodes} variable node(s) in the GraphDef)` : 'frozen (Const nodes)';
  const details: ArtifactDetail[] = [
    { label: 'tags', value: (model.metaGraphs ?? []).map((m) => `[${(m.metaInfoDef?.tags ?? []).join(', ')}]`).join(', ') },
    ...methods,
    { label: 'written by TensorFlow', value: info.tensorflowVersion || 'not recorded' },
    { label: 'GraphDef producer', value: metaGraph.graphDef?.versions?.producer ?? 'not recorded' },
    { label: 'weights', value: weights },
    { label: 'variables', value: variables.bytes, unit: 'bytes' },
    { label: 'assets', value: assets.files ? `${assets.files} file(s), ${assets.bytes} bytes` : 'none' },
    ...(functions ? [{ label: 'function library', value: `${functions} function(s) (TF2: the graph calls them)` }] : []),
  ];
  const pbBytes = (await fs.stat(pbFile)).size;
  return {
    format: 'savedmodel',
    summary: `a TensorFlow SavedModel (MetaGraphDef [${(info.tags ?? []).join(', ')}])`,
    signatures, shapeNotes: [], ops, opUnit: functions ? 'nodes (GraphDef and function library)' : 'nodes', details,
    size: pbBytes + variables.bytes + assets.bytes,
  };
}

async function holdsSavedModelPb(file: string): Promise<boolean> {
  if (path.basename(file) === SAVED_MODEL_PB) return true;
  const stat = await fs.stat(path.join(file, SAVED_MODEL_PB)).catch(() => undefined);
  return Boolean(stat?.isFile());
}

/** `modelport inspect <dir>`: a directory holding saved_model.pb, or the saved_model.pb itself. */
export const savedModelDescriber: ArtifactDescriber = {
  format: 'savedmodel',
  description: 'a TensorFlow SavedModel: a directory holding saved_model.pb (and variables/), or the saved_model.pb',
  matches: holdsSavedModelPb,
  describe: describeSavedModel,
};
