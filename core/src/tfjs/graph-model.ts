import { attrValue } from '../graph/attrs.js';
import { dtypeFromTf, dtypeToTf, type DType } from '../graph/dtype.js';
import { ModelLoadError } from '../errors.js';
import { float16ToFloat32Array } from '../graph/float16.js';
import { signatureFromEnds } from '../graph/query.js';
import { normalizeTensorRef, parseTensorRef } from '../graph/refs.js';
import { DEFAULT_SIGNATURE, type ConstantTensor, type Graph, type Node, type Signature, type SignatureTensor } from '../graph/types.js';
import { topologicalOrder } from '../graph/validate.js';
import { attrsFromJson, attrsToJson, shapeFromTfjsJson, shapeToJson } from './attrs-json.js';
import { checkTopologyNodes } from './topology-check.js';
import type { TfjsModelJson, TfjsNodeJson, TfjsSignatureJson, TfjsSignatureTensorJson } from './model-json.js';
import { encodeTfjsWeight, type EncodedWeight, type WeightQuantization } from './weights.js';

/** Where IR metadata of tfjs origin is kept, so a round trip keeps it. */
export const USER_METADATA_KEY = 'userDefinedMetadata';
/** Signatures besides serving_default travel in userDefinedMetadata under this key. */
export const EXTRA_SIGNATURES_KEY = 'modelportSignatures';
/** serving_default's inputs frozen at export (--input-value) travel in userDefinedMetadata under this key. */
export const FROZEN_INPUTS_KEY = 'modelportFrozenInputs';
/** A model.json of an artifact with one file per signature records them all here: { key: { file, stages?, moduleMetadata? } } (SignatureFiles). */
export const SIGNATURE_FILES_KEY = 'modelportSignatureFiles';
/** How the source stored its quantized weights, by weight name, so a re-export can keep the same storage. */
export const SOURCE_WEIGHT_QUANTIZATION_KEY = 'tfjsWeightQuantization';

function nodeFromJson(n: TfjsNodeJson): Node {
  const inputs: string[] = [];
  const controlInputs: string[] = [];
  for (const i of n.input ?? []) {
    if (i.startsWith('^')) controlInputs.push(i.slice(1));
    else inputs.push(normalizeTensorRef(i));
  }
  return {
    name: n.name, op: n.op, inputs, attrs: attrsFromJson(n.attr),
    ...(controlInputs.length ? { controlInputs } : {}),
    ...(n.device ? { device: n.device } : {}),
  };
}

function signatureTensorFromJson(t: TfjsSignatureTensorJson): SignatureTensor {
  return { name: normalizeTensorRef(t.name), dtype: t.dtype ? dtypeFromTf(t.dtype) : 'float32', shape: shapeFromTfjsJson(t.tensorShape) };
}

function signatureFromJson(sig: TfjsSignatureJson): Signature {
  const map = (side: Record<string, TfjsSignatureTensorJson> | undefined) =>
    Object.fromEntries(Object.entries(side ?? {}).map(([k, t]) => [k, signatureTensorFromJson(t)]));
  return { inputs: map(sig.inputs), outputs: map(sig.outputs), ...(sig.methodName ? { methodName: sig.methodName } : {}) };
}

/**
 * The Graph IR of a tfjs graph model. Outputs follow tf.loadGraphModel: the signature's outputs, or
 * else every node nothing consumes (by data or control), in file order.
 */
export function graphFromTfjsGraphModel(json: TfjsModelJson, weights: ReadonlyMap<string, ConstantTensor>, file: string): Graph {
  const jsonNodes: TfjsNodeJson[] = json.modelTopology?.node ?? [];
  if (!Array.isArray(jsonNodes) || jsonNodes.some((n) => typeof n?.name !== 'string' || typeof n?.op !== 'string')) {
    throw new ModelLoadError('modelTopology.node has an entry without a name or an op', { file });
  }
  checkTopologyNodes(jsonNodes, file);
  if (json.modelTopology?.library?.function?.length) {
    throw new ModelLoadError('models with a function library (StatelessWhile/If functions) are not supported yet', { file });
  }
  const parsed = jsonNodes.map(nodeFromJson);
  const nodes = topologicalOrder(parsed);
  const constants = new Map<string, ConstantTensor>();
  const missing: string[] = [];
  for (const node of nodes) {
    if (node.op !== 'Const') continue;
    const value = weights.get(node.name);
    if (value) constants.set(node.name, value);
    else missing.push(node.name);
  }
  if (missing.length) {
    throw new ModelLoadError(`${missing.length} Const node(s) have no weight in weightsManifest: ${missing.slice(0, 10).map((m) => `"${m}"`).join(', ')}`, { file, node: missing[0], op: 'Const' });
  }
  const sig = json.signature && (Object.keys(json.signature.inputs ?? {}).length || Object.keys(json.signature.outputs ?? {}).length)
    ? signatureFromJson(json.signature) : undefined;
  const placeholders = nodes.filter((n) => n.op === 'Placeholder').map((n) => n.name);
  const sigInputs = sig ? Object.values(sig.inputs).map((t) => parseTensorRef(t.name).node) : [];
  const inputs = sigInputs.length ? [...sigInputs, ...placeholders.filter((p) => !sigInputs.includes(p))] : placeholders;
  const sigOutputs = sig ? Object.values(sig.outputs).map((t) => t.name) : [];
  const outputs = sigOutputs.length ? sigOutputs : unconsumedNodes(parsed).map((n) => `${n}:0`);

  const user = json.userDefinedMetadata ?? {};
  const { [EXTRA_SIGNATURES_KEY]: extra, [FROZEN_INPUTS_KEY]: frozen, [SIGNATURE_FILES_KEY]: _files, ...userRest } = user as Record<string, unknown>;
  const stored = Object.fromEntries(json.weightsManifest.flatMap((g) => g.weights).filter((w) => w.quantization).map((w) => [w.name, w.quantization!]));
  const metadata: Record<string, unknown> = {
    source: { format: 'tfjs-graph-model', file, generatedBy: json.generatedBy, convertedBy: json.convertedBy },
    ...(Object.keys(stored).length ? { [SOURCE_WEIGHT_QUANTIZATION_KEY]: stored } : {}),
    ...(Object.keys(userRest).length ? { [USER_METADATA_KEY]: userRest } : {}),
  };
  const partial: Graph = { inputs, outputs, nodes, constants, signatures: {}, metadata };
  const signatures: Record<string, Signature> = { ...(extra as Record<string, Signature> | undefined) };
  // Converters write signatures with outputs only (faceres-deep, faceboxes): the ends fill the gaps.
  const ends = signatureFromEnds(partial);
  signatures[DEFAULT_SIGNATURE] = sig
    ? { ...sig, inputs: Object.keys(sig.inputs).length ? sig.inputs : ends.inputs, outputs: Object.keys(sig.outputs).length ? sig.outputs : ends.outputs }
    : ends;
  if (frozen) signatures[DEFAULT_SIGNATURE] = { ...signatures[DEFAULT_SIGNATURE]!, frozenInputs: frozen as Signature['frozenInputs'] };
  return { ...partial, signatures };
}

function unconsumedNodes(nodes: readonly Node[]): string[] {
  const consumed = new Set<string>();
  for (const n of nodes) {
    for (const r of n.inputs) consumed.add(parseTensorRef(r).node);
    for (const c of n.controlInputs ?? []) consumed.add(c);
  }
  return nodes.filter((n) => !consumed.has(n.name)).map((n) => n.name);
}

// ——— IR → tfjs ———

export interface TfjsSerializeOptions {
  /** Chooses per weight how it is stored; float32 as is by default. */
  readonly weightQuantization?: (name: string, value: ConstantTensor) => WeightQuantization;
  readonly convertedBy?: string;
  readonly userMetadata?: Readonly<Record<string, unknown>>;
}

export interface TfjsSerializedModel {
  /** model.json without weightsManifest paths: the writer groups `weights` into shards. */
  readonly modelJson: Omit<TfjsModelJson, 'weightsManifest'>;
  readonly weights: readonly EncodedWeight[];
}

/** Types tfjs weights can hold; others are converted as the tfjs converter does (int64 → int32). */
function storableConstant(c: ConstantTensor): { value: ConstantTensor; forceFloat16: boolean } {
  const convert = (dtype: DType, values: ConstantTensor['values']) => ({ value: { ...c, dtype, values }, forceFloat16: false });
  switch (c.dtype) {
    case 'float32': case 'int32': case 'bool': case 'string': case 'complex64': return { value: c, forceFloat16: false };
    case 'float16': return { value: { ...c, dtype: 'float32', values: float16ToFloat32Array(c.values as Uint16Array) }, forceFloat16: true };
    case 'float64': return convert('float32', Float32Array.from(c.values as Float64Array));
    case 'int64': return convert('int32', Int32Array.from(c.values as BigInt64Array, Number));
    default: return convert('int32', Int32Array.from(c.values as ArrayLike<number>));
  }
}

function nodeToJson(node: Node, constants: ReadonlyMap<string, ConstantTensor>, stored: Map<string, ConstantTensor>): TfjsNodeJson {
  let attrs = node.attrs;
  if (node.op === 'Const') {
    const c = stored.get(node.name) ?? constants.get(node.name)!;
    attrs = { ...attrs, dtype: attrValue.dtype(c.dtype), value: { tensor: { dtype: c.dtype, shape: c.shape } } };
  }
  const input = [...node.inputs.map((r) => (r.endsWith(':0') ? r.slice(0, -2) : r)), ...(node.controlInputs ?? []).map((c) => `^${c}`)];
  return {
    name: node.name, op: node.op,
    ...(input.length ? { input } : {}),
    attr: attrsToJson(attrs) as TfjsNodeJson['attr'],
    ...(node.device ? { device: node.device } : {}),
  };
}

function signatureToJson(sig: Signature): TfjsSignatureJson {
  const map = (side: Readonly<Record<string, SignatureTensor>>) => Object.fromEntries(Object.entries(side).map(([k, t]) =>
    [k, { name: t.name, dtype: dtypeToTf(t.dtype), tensorShape: shapeToJson(t.shape) }]));
  return { inputs: map(sig.inputs), outputs: map(sig.outputs), ...(sig.methodName ? { methodName: sig.methodName } : {}) };
}

/** A tfjs graph model of the IR: topology, signature, metadata and the encoded weights in node order. */
export function graphToTfjsGraphModel(graph: Graph, options: TfjsSerializeOptions = {}): TfjsSerializedModel {
  const stored = new Map<string, ConstantTensor>();
  const weights: EncodedWeight[] = [];
  for (const node of graph.nodes) {
    if (node.op !== 'Const') continue;
    const original = graph.constants.get(node.name);
    if (!original) throw new ModelLoadError('Const node has no value', { node: node.name, op: 'Const' });
    const { value, forceFloat16 } = storableConstant(original);
    stored.set(node.name, value);
    const q = options.weightQuantization?.(node.name, value) ?? (forceFloat16 ? 'float16' : undefined);
    weights.push(encodeTfjsWeight(node.name, value, q));
  }
  const { [DEFAULT_SIGNATURE]: main, ...extra } = graph.signatures;
  const source = graph.metadata[USER_METADATA_KEY] as Record<string, unknown> | undefined;
  const userDefinedMetadata = {
    ...source, ...options.userMetadata,
    ...(Object.keys(extra).length ? { [EXTRA_SIGNATURES_KEY]: extra } : {}),
    ...(main?.frozenInputs ? { [FROZEN_INPUTS_KEY]: main.frozenInputs } : {}),
  };
  const sourceInfo = graph.metadata.source as { generatedBy?: string } | undefined;
  return {
    modelJson: {
      format: 'graph-model',
      generatedBy: sourceInfo?.generatedBy ?? 'modelport',
      convertedBy: options.convertedBy ?? 'modelport',
      modelTopology: { node: graph.nodes.map((n) => nodeToJson(n, graph.constants, stored)), library: {}, versions: {} },
      ...(main ? { signature: signatureToJson(main) } : {}),
      ...(Object.keys(userDefinedMetadata).length ? { userDefinedMetadata } : {}),
    },
    weights,
  };
}

