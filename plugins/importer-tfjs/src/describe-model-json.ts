import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  countOpNames, defaultSignature, describeSignatureFiles, formatDim, inferShapes, isGraphModelJson, isLayersModelJson, ModelLoadError, readTfjsModelFiles, SIGNATURE_FILES_KEY, sizeOfShape,
  type ArtifactDescriber, type ArtifactDescription, type DescribedSignature, type DescribedTensor, type Graph, type ShapeInference, type SignatureFiles, type SignatureTensor,
} from '@modelport/core';
import { importGraphModel } from './graph-model.js';
import { importLayersModelFile, type ImportedLayersModel } from './layers-model.js';

/** A model.json on disk in the Graph IR (graph or layers model, told apart by its content). */
export async function importModelJson(file: string): Promise<{ graph: Graph; layers?: ImportedLayersModel }> {
  const files = await readTfjsModelFiles(file);
  if (isGraphModelJson(files.json)) return { graph: importGraphModel(files) };
  if (isLayersModelJson(files.json)) {
    const layers = await importLayersModelFile(files);
    return { graph: layers.graph, layers };
  }
  throw new ModelLoadError('model.json is neither a tfjs graph model nor a layers model (format and modelTopology do not say)', { file });
}

/** The signature tensor with its inferred symbolic shape ([N, ceil(H/32), …]); what it declares when inference knows nothing. */
function describeTensor(key: string, t: SignatureTensor, inference: ShapeInference): DescribedTensor {
  const inferred = inference.shape(t.name);
  const dynamic = t.shape === null || t.shape.some((d) => d < 0);
  if (inferred !== null || t.shape === null) return { name: key, tensor: t.name, dtype: String(t.dtype), shape: inferred?.map(formatDim) ?? null, dynamic };
  return { name: key, tensor: t.name, dtype: String(t.dtype), shape: null, dynamic, note: `declared [${t.shape.join(', ')}]` };
}

/** Bytes of the model file and the weight files next to it that its manifest names. */
async function modelBytes(file: string): Promise<number> {
  const json = JSON.parse(await fs.readFile(file, 'utf8')) as { weightsManifest?: { paths: string[] }[] };
  let total = (await fs.stat(file)).size;
  for (const group of json.weightsManifest ?? []) for (const p of group.paths) total += (await fs.stat(path.join(path.dirname(file), p)).catch(() => ({ size: 0 }))).size;
  return total;
}

/** Signatures with shapes inferred symbolically, the op histogram and the weights of one model.json. */
async function describeOneModelJson(file: string): Promise<ArtifactDescription> {
  const { graph } = await importModelJson(file);
  const inference = inferShapes(graph);
  const declared = Object.keys(graph.signatures).length ? graph.signatures : { serving_default: defaultSignature(graph) };
  const signatures: Record<string, DescribedSignature> = {};
  for (const [key, sig] of Object.entries(declared)) {
    signatures[key] = {
      inputs: Object.entries(sig.inputs).map(([name, t]) => describeTensor(name, t, inference)),
      outputs: Object.entries(sig.outputs).map(([name, t]) => ({ ...describeTensor(name, t, inference), dynamic: false })),
      frozenInputs: Object.entries(sig.frozenInputs ?? {}).map(([name, f]) => ({ name, tensor: f.name, dtype: String(f.dtype), shape: f.shape, values: f.values })),
      ...(sig.stages ? { stages: sig.stages } : {}),
    };
  }
  const shapeNotes = inference.symbols.length
    ? [`sizes: ${inference.symbols.map((s) => `${s.name} = ${s.input}[${s.axis}]`).join(', ')} (given at run time); ?k decided by data (Where, NMS); ? unknown before run time`]
    : [];
  let values = 0, weightBytes = 0;
  for (const c of graph.constants.values()) {
    values += sizeOfShape(c.shape);
    weightBytes += ArrayBuffer.isView(c.values) ? c.values.byteLength : 0;
  }
  return {
    format: 'tfjs', signatures, shapeNotes, ops: countOpNames(graph.nodes.map((n) => n.op)), opUnit: 'nodes',
    details: [
      { label: 'weight tensors', value: graph.constants.size },
      { label: 'weight values', value: values.toLocaleString('en-US') },
      { label: 'weights in memory', value: weightBytes, unit: 'bytes' },
    ],
    size: await modelBytes(file),
  };
}

/**
 * Signatures with shapes inferred symbolically, the op histogram and the weights of a tfjs model.
 * A model.json that indexes other graph models (modelportSignatureFiles) lists every signature of
 * the index, described from its own model.json, with its stages; ops and sizes summed over the files.
 */
export async function describeModelJson(file: string): Promise<ArtifactDescription> {
  const main = await describeOneModelJson(file);
  const json = JSON.parse(await fs.readFile(file, 'utf8')) as { userDefinedMetadata?: Record<string, unknown> };
  const index = json.userDefinedMetadata?.[SIGNATURE_FILES_KEY] as SignatureFiles | undefined;
  if (!index) return main;
  return describeSignatureFiles(file, main, index, describeOneModelJson);
}

/** `modelport inspect model.json`: any .json but an export record (which the CLI reads itself). */
export const tfjsModelDescriber: ArtifactDescriber = {
  format: 'tfjs',
  description: 'a tfjs model.json (graph or layers model) and its weight files',
  matches: (file) => /\.json$/i.test(file) && path.basename(file) !== 'export.json',
  describe: describeModelJson,
};
