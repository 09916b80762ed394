import onnxProto from 'onnx-proto';
import { countOpNames, describeSignatureFiles, jsonSyntaxProblem, ModelLoadError, readModelFile, type ArtifactDescriber, type ArtifactDescription, type DescribedFrozenInput, type DescribedTensor } from '@modelport/core';

import { decodeOnnxModel } from './decode-onnx-model.js';
import { onnxMetadata, signatureFilesOf } from './onnx-signature-files.js';

const { onnx } = onnxProto;

/** metadata_props key under which modelport's ONNX exporter records inputs frozen at export (--input-value). */
const FROZEN_INPUTS_METADATA = 'modelport.frozen_inputs';

/** TensorProto.DataType names as modelport spells dtypes. */
const DTYPES: Readonly<Record<string, string>> = {
  FLOAT: 'float32', FLOAT16: 'float16', DOUBLE: 'float64', BFLOAT16: 'bfloat16', BOOL: 'bool', STRING: 'string',
  INT8: 'int8', UINT8: 'uint8', INT16: 'int16', UINT16: 'uint16', INT32: 'int32', UINT32: 'uint32', INT64: 'int64', UINT64: 'uint64',
};

// int64 fields decode as Long objects or numbers, depending on whether `long` is installed.
const toNumber = (v: unknown): number => Number(String(v ?? 0));

function dtypeName(elemType: number | null | undefined): string {
  const name = onnx.TensorProto.DataType[elemType ?? 0];
  return name ? DTYPES[name] ?? name.toLowerCase() : 'unknown';
}

function tensor(v: onnxProto.onnx.IValueInfoProto): DescribedTensor {
  const type = v.type?.tensorType;
  if (!type) return { name: v.name ?? '?', dtype: 'unknown', shape: null, dynamic: true, note: 'not a tensor' };
  const dims = type.shape ? (type.shape.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? toNumber(d.dimValue) : '?')) : null;
  return { name: v.name ?? '?', dtype: dtypeName(type.elemType), shape: dims, dynamic: dims === null || dims.some((d) => typeof d === 'string') };
}

/** Op types of a graph and of the graphs in its nodes' attributes (If, Loop, Scan bodies). */
function opTypes(g: onnxProto.onnx.IGraphProto): string[] {
  return (g.node ?? []).flatMap((n) => [
    n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType ?? '?',
    ...(n.attribute ?? []).flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])].flatMap(opTypes)),
  ]);
}

function tensorBytes(t: onnxProto.onnx.ITensorProto): number {
  if (t.rawData?.length) return t.rawData.length;
  // Typed fields: 4 bytes an element (float, int32 and the narrower types packed in int32_data), 8 for 64-bit.
  return ((t.floatData?.length ?? 0) + (t.int32Data?.length ?? 0)) * 4 + ((t.int64Data?.length ?? 0) + (t.doubleData?.length ?? 0) + (t.uint64Data?.length ?? 0)) * 8;
}

function frozenInputs(metadata: ReadonlyMap<string, string>, file: string): Record<string, DescribedFrozenInput[]> {
  const text = metadata.get(FROZEN_INPUTS_METADATA);
  if (!text) return {};
  try {
    const bySignature = JSON.parse(text) as Record<string, Record<string, DescribedFrozenInput>>;
    return Object.fromEntries(Object.entries(bySignature).map(([key, inputs]) => [key, Object.entries(inputs).map(([name, f]) => ({ ...f, name, tensor: f.name }))]));
  } catch (e) {
    throw new ModelLoadError(`metadata "${FROZEN_INPUTS_METADATA}" is not JSON: ${jsonSyntaxProblem(e)}`, { file });
  }
}

/** Inputs, outputs (the model's one signature), op histogram, opsets, producer and weights of an ONNX model. */
export function describeOnnx(bytes: Uint8Array, file: string): ArtifactDescription {
  const model = decodeOnnxModel(bytes, file);
  const graph = model.graph;
  if (!graph) throw new ModelLoadError('not an ONNX model: it has no graph (expected an ONNX ModelProto)', { file });
  const initializers = graph.initializer ?? [];
  const weights = new Set(initializers.map((t) => t.name));
  const metadata = new Map((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const opsets = (model.opsetImport ?? []).map((o) => `${o.domain ? `${o.domain} ` : ''}${toNumber(o.version)}`).join(', ');
  return {
    format: 'onnx',
    summary: `ONNX IR ${toNumber(model.irVersion)}, opset ${opsets || '?'}; producer: ${[model.producerName, model.producerVersion].filter(Boolean).join(' ') || '(none)'}`,
    signatures: {
      serving_default: {
        // Before IR 4 initializers were listed among the inputs too; they are weights, not inputs.
        inputs: (graph.input ?? []).filter((v) => !weights.has(v.name ?? '')).map(tensor),
        outputs: (graph.output ?? []).map(tensor),
        frozenInputs: Object.values(frozenInputs(metadata, file)).flat(),
      },
    },
    shapeNotes: [],
    ops: countOpNames(opTypes(graph)), opUnit: 'nodes',
    details: [
      { label: 'initializers', value: initializers.length },
      { label: 'weights', value: initializers.reduce((n, t) => n + tensorBytes(t), 0), unit: 'bytes' },
      { label: 'metadata', value: [...metadata.keys()].join(', ') || '(none)' },
    ],
    size: bytes.byteLength,
  };
}

/**
 * A main file that indexes other files (modelport.signatures): each signature described from its
 * own file, with its stages; ops, weights and size summed over the files.
 */
async function describeOnnxFiles(file: string, bytes: Uint8Array): Promise<ArtifactDescription> {
  const main = describeOnnx(bytes, file);
  const index = signatureFilesOf(onnxMetadata(bytes, file), file);
  if (!index) return main;
  return describeSignatureFiles(file, main, index, async (own) => describeOnnx(new Uint8Array(await readModelFile(own)), own));
}

/** `modelport inspect model.onnx`: every signature, from its own file when the artifact has several. */
export const onnxDescriber: ArtifactDescriber = {
  format: 'onnx',
  description: 'an .onnx model (ModelProto)',
  matches: (file) => /\.onnx$/i.test(file),
  async describe(file) {
    const bytes = await readModelFile(file);
    return describeOnnxFiles(file, new Uint8Array(bytes));
  },
};
