import {
  DEFAULT_SIGNATURE, GraphError, parseTensorRef, signatureFromEnds, silentLogger,
  type Graph, type Node, type QuantizeMode, type Signature, type Logger,
} from '@modelport/core';
import { buildSubGraph, type BuiltSubGraph } from './build-subgraph.js';
import { graphFacts } from './graph-facts.js';
import { TfliteModelBuilder } from './model-builder.js';
import { TFLITE_OPS } from './ops/index.js';
import { neededNodes } from './prune.js';
import { encodeModel } from './schema/encode-model.js';
import type { SignatureDefSpec } from './schema/model-spec.js';
import type { EdgeInput, EdgeTensor } from './signature-edges.js';
import { annotationsOf, type Float16Override } from './quantization/annotations.js';
import { MODELPORT_METADATA, type ModelportTfliteMetadata } from './tflite-metadata.js';

export interface TfliteExportOptions {
  /**
   * Float constants to store as float16 with DEQUANTIZE besides those annotated so (benchmarks
   * compare both forms of one model); none by default. Quantization is otherwise what the graph's
   * annotations say (docs/formats/quantization.md).
   */
  readonly float16?: Float16Override;
  /** The --quantize mode the annotations came from, for messages. */
  readonly quantize?: QuantizeMode;
  /** The model description (who produced it, from what). */
  readonly description?: string;
  /** Extra fields of the "modelport" metadata entry (producer, source, user metadata). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly logger?: Logger;
}

export interface TfliteExport {
  readonly bytes: Uint8Array;
  /** Builtin ops used, in op code order. */
  readonly ops: readonly string[];
  /** Tensors over all subgraphs. */
  readonly tensors: number;
  readonly notes: readonly string[];
}

/** Signatures to export, serving_default first; a graph without any gets one from its ends. */
function signaturesOf(graph: Graph): [string, Signature][] {
  const entries = Object.entries(graph.signatures);
  if (entries.length === 0) return [[DEFAULT_SIGNATURE, signatureFromEnds(graph)]];
  return entries.sort(([a], [b]) => (a === DEFAULT_SIGNATURE ? -1 : b === DEFAULT_SIGNATURE ? 1 : 0));
}

/**
 * Translates the Graph IR into the bytes of a .tflite model: one subgraph per signature (sharing
 * weight buffers) and one per loop condition, loop body and branch, builtin ops only, static input
 * shapes (a dynamic batch pinned to 1).
 */
export async function exportTflite(graph: Graph, options: TfliteExportOptions = {}): Promise<TfliteExport> {
  const logger = options.logger ?? silentLogger;
  const signatures = signaturesOf(graph);
  const allOutputs = signatures.flatMap(([, s]) => Object.values(s.outputs).map((t) => t.name));
  const { nodes, controlFlow, pinned, facts } = await graphFacts(graph, allOutputs, logger);

  const annotations = annotationsOf(graph, options.float16);
  const model = new TfliteModelBuilder();
  const built: [string, BuiltSubGraph][] = [];
  for (const [key, sig] of signatures) {
    const outputs = Object.entries(sig.outputs).map(([k, t]) => ({ key: k, ref: t.name, irDType: String(t.dtype), ...(t.quantization ? { quantization: t.quantization } : {}) }));
    const sigNodes = neededNodes({ ...graph, nodes }, outputs.map((o) => o.ref));
    const inputs = signatureInputs(key, sig, sigNodes, pinned.shapes, pinned.declared);
    const subgraph = buildSubGraph(model, { name: key, nodes: sigNodes, inputs, outputs, controlFlow, quantize: options.quantize }, facts, TFLITE_OPS, annotations);
    built.push([key, subgraph]);
  }

  const metadata: ModelportTfliteMetadata = {
    ...options.metadata,
    signatures: Object.fromEntries(built.map(([key, b]) => {
      const { frozenInputs, stages, moduleMetadata } = graph.signatures[key] ?? {};
      return [key, {
        inputs: edgeMap(b.inputs), outputs: edgeMap(b.outputs),
        ...(frozenInputs ? { frozenInputs } : {}), ...(stages ? { stages } : {}), ...(moduleMetadata ? { moduleMetadata } : {}),
      }];
    })),
  };
  const metadataBuffer = model.rawBuffer(new TextEncoder().encode(JSON.stringify(metadata)));
  const signatureDefs: SignatureDefSpec[] = built.map(([key, b]) => ({
    signatureKey: key, subgraphIndex: b.index,
    inputs: b.inputs.map((t) => ({ name: t.key, tensorIndex: t.index })),
    outputs: b.outputs.map((t) => ({ name: t.key, tensorIndex: t.index })),
  }));
  const spec = model.build(options.description ?? 'modelport', [{ name: MODELPORT_METADATA, buffer: metadataBuffer }], signatureDefs);
  const bytes = encodeModel(spec);
  const notes = [...pinned.notes];
  if (model.float16Buffers) notes.push(`tflite: ${model.float16Buffers} weight(s) stored as float16, dequantized when the model loads`);
  if (model.int8Buffers) notes.push(`tflite: ${model.int8Buffers} weight(s) stored as int8`);
  return { bytes, ops: model.operatorNames, tensors: spec.subgraphs.reduce((n, g) => n + g.tensors.length, 0), notes };
}

function edgeMap(edges: readonly EdgeTensor[]): ModelportTfliteMetadata['signatures'][string]['inputs'] {
  return Object.fromEntries(edges.map((e) => [e.key, { dtype: e.irDType, tfliteDtype: e.dtype, shape: [...e.shape], ...(e.sizedAtRunTime ? { sizedAtRunTime: true } : {}) }]));
}

/** The inputs of one signature; a Placeholder the outputs need but the signature does not feed is an error. */
function signatureInputs(key: string, sig: Signature, nodes: readonly Node[], shapes: ReadonlyMap<string, number[]>, declared: ReadonlyMap<string, readonly number[]>): EdgeInput[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const inputs: EdgeInput[] = [];
  const fed = new Set<string>();
  for (const [k, t] of Object.entries(sig.inputs)) {
    const placeholder = parseTensorRef(t.name).node;
    const node = byName.get(placeholder);
    fed.add(placeholder);
    const shape = shapes.get(placeholder);
    if (!shape) continue; // not a graph input: no Placeholder of that name
    if (node && node.op !== 'Placeholder') throw new GraphError(`signature "${key}" input "${k}" is not a graph input (${node.op})`, { node: placeholder, op: node.op });
    inputs.push({ key: k, placeholder, irDType: String(t.dtype), declaredShape: declared.get(placeholder) ?? shape, shape, ...(t.quantization ? { quantization: t.quantization } : {}) });
  }
  const unfed = nodes.filter((n) => n.op === 'Placeholder' && !fed.has(n.name)).map((n) => `"${n.name}"`);
  if (unfed.length) throw new GraphError(`signature "${key}" needs input(s) ${unfed.join(', ')} that it does not name`, { node: unfed[0]!.slice(1, -1), op: 'Placeholder' });
  return inputs;
}
