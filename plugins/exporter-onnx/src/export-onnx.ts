import type { Graph, QuantizeMode } from '@modelport/core';
import { convertGraph } from './convert-graph.js';
import { encodeOnnxModel } from './encode-model.js';
import type { OnnxModel } from './onnx-model.js';
import { ONNX_OP_TABLE } from './ops/index.js';
import { optimizeOnnxGraph } from './optimize/optimize.js';
import { reduceWeightRange, type WeightRange } from './quantize/weight-range.js';

export interface OnnxExportOptions {
  /** ONNX opset of the default domain. */
  readonly opset: number;
  /** Run transpose sinking and pruning (off only to inspect the raw translation). */
  readonly optimize: boolean;
  /** --quantize: named in refusals; the annotations on the graph say what to write. */
  readonly quantize?: QuantizeMode;
  /** Bits of int8 weights in integer products: 'reduced' (7, the default) runs accurately on every x86 CPU, 'full' (8) only on CPUs with VNNI (quantize/weight-range.ts). */
  readonly weightRange?: WeightRange;
  readonly producerVersion?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface OnnxExport {
  readonly model: OnnxModel;
  readonly bytes: Uint8Array;
  readonly details: { readonly nodes: number; readonly ops: readonly string[]; readonly transposes: number; readonly opset: number; readonly onnxNodes: number };
}

/** metadata_props key of the inputs frozen at export (--input-value): JSON { signature: { input: { name, dtype, shape, values } } }. */
export const FROZEN_INPUTS_METADATA = 'modelport.frozen_inputs';

/** The frozen inputs of every signature that has some, as one metadata_props entry (none when no input was frozen). */
function frozenInputsMetadata(graph: Graph): Record<string, string> {
  const frozen = Object.fromEntries(Object.entries(graph.signatures).flatMap(([key, sig]) => (sig.frozenInputs ? [[key, sig.frozenInputs]] : [])));
  return Object.keys(frozen).length ? { [FROZEN_INPUTS_METADATA]: JSON.stringify(frozen) } : {};
}

/** The IR version that goes with an opset (onnx/docs/Versioning.md), so runtimes accept the pair. */
export function irVersionFor(opset: number): number {
  if (opset <= 17) return 8;
  if (opset <= 20) return 9;
  return 10;
}

/** Translates the graph, optimises it and encodes the ModelProto, all in memory. */
export function exportOnnx(graph: Graph, options: OnnxExportOptions): OnnxExport {
  const source = options.weightRange === 'full' ? graph : reduceWeightRange(graph);
  const converted = convertGraph(source, ONNX_OP_TABLE, options.opset, options.quantize);
  const onnxGraph = options.optimize ? optimizeOnnxGraph(converted.graph, converted.shapes) : converted.graph;
  const model: OnnxModel = {
    graph: onnxGraph, opset: options.opset, irVersion: irVersionFor(options.opset),
    producerName: 'modelport', producerVersion: options.producerVersion ?? '0',
    metadata: { ...options.metadata, ...frozenInputsMetadata(graph) },
  };
  const transposes = countOps(onnxGraph, 'Transpose');
  return {
    model,
    bytes: encodeOnnxModel(model),
    details: { nodes: converted.nodes, ops: converted.ops, transposes, opset: options.opset, onnxNodes: countOps(onnxGraph) },
  };
}

/** Nodes of a graph and its subgraphs, of one type or all. */
export function countOps(graph: OnnxModel['graph'], opType?: string): number {
  let n = 0;
  for (const node of graph.nodes) {
    if (!opType || node.opType === opType) n++;
    for (const a of Object.values(node.attrs)) if (a.kind === 'graph') n += countOps(a.value, opType);
  }
  return n;
}
