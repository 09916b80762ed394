import {
  CONTROL_FLOW_STRUCTURE_OPS, dataAncestors, float16ToFloat32Array, float32ToFloat16Array, GraphError, orderUnits, parseTensorRef, planControlFlow,
  SOURCE_WEIGHT_QUANTIZATION_KEY, UnsupportedOpsError,
  type ConstantTensor, type Graph, type Node, type QuantizeMode, type TensorRef,
} from '@modelport/core';
import { convertCond } from './control-flow/convert-cond.js';
import { convertLoop } from './control-flow/convert-loop.js';
import { nodeError, type OnnxOpTable } from './converter.js';
import { NameScope, OnnxGraphEmitter } from './graph-emitter.js';
import { NodeConverter } from './node-converter.js';
import { cast } from './emit-ops.js';
import { computeDType, isOnnxDType } from './onnx-dtype.js';
import type { OnnxGraph } from './onnx-model.js';
import type { ValueShapes } from './optimize/value-shapes.js';
import { onnxEnds, symbolicDims } from './signature-io.js';
import { checkQuantization } from './quantize/check-annotations.js';
import { carried, dequantize, Int8Forms, quantize } from './quantize/int8-nodes.js';
import { decodeStored, storeAnnotatedConstant } from './quantize/stored-weights.js';
import type { Value } from './value.js';
import { ValueScope } from './value-scope.js';

export interface ConvertedGraph {
  readonly graph: OnnxGraph;
  /** IR nodes converted (Const and Placeholder excepted). */
  readonly nodes: number;
  /** Distinct IR ops converted. */
  readonly ops: readonly string[];
  /** dtype and shape of every value, for the optimisation passes. */
  readonly shapes: ValueShapes;
}

/** Ops with no ONNX node of their own. */
const PASS_THROUGH = new Set(['Const', 'Placeholder', 'NoOp']);

/** Names of the nodes the outputs depend on (by data): only those are converted. */
export const neededNodes = dataAncestors;

/**
 * Translates the IR into an ONNX graph: plain nodes through the op table, v1 while loops and conds
 * as ONNX Loop and If. Every node whose op is missing from the table, or whose variant a converter
 * refuses, is collected and reported at once in an UnsupportedOpsError; malformed nodes throw a
 * GraphError naming node and op. Nothing is written: the result is in memory.
 */
export function convertGraph(graph: Graph, table: OnnxOpTable, opset: number, mode?: QuantizeMode): ConvertedGraph {
  const names = new NameScope();
  const emit = new OnnxGraphEmitter(names, opset);
  const probe = onnxEnds(graph, new Set());
  const needed = neededNodes(graph, probe.outputs.map((o) => o.ref));
  const ends = onnxEnds(graph, needed);
  for (const e of [...ends.inputs, ...ends.outputs]) names.reserve(e.name);

  const nodes = graph.nodes.filter((n) => needed.has(n.name));
  const plan = planControlFlow(graph, needed);
  const unknown = nodes
    .filter((n) => !PASS_THROUGH.has(n.op) && !table[n.op] && !(plan.regionOf.has(n.name) && CONTROL_FLOW_STRUCTURE_OPS.has(n.op)) && !plan.problems.some((p) => p.node === n.name))
    .map((n) => ({ node: n.name, op: n.op }));
  if (unknown.length || plan.problems.length) throw new UnsupportedOpsError('ONNX', [...plan.problems, ...unknown]);
  const int8 = new Int8Forms(graph);
  checkQuantization(graph, needed, opset, mode, (ref) => int8.paramsOf(ref));

  const scope = new ValueScope();
  for (const input of ends.inputs) {
    if (!isOnnxDType(input.dtype)) throw new GraphError(`input "${input.name}" has dtype ${input.dtype}, which ONNX lacks`, { node: parseTensorRef(input.ref).node, op: 'Placeholder' });
    const fed = emit.record(input.name, { dtype: input.dtype, shape: input.shape });
    emit.prefix = input.name;
    // An integer edge: callers feed integers, the graph reads their real values.
    scope.set(input.ref, input.quantization ? dequantize(emit, fed, input.quantization) : cast(emit, fed, computeDType(input.dtype)));
  }

  const converter = new NodeConverter(table, int8);
  const activationConsts = int8.activationConsts();
  const readByInt8 = new Set(nodes.filter((n) => n.quantized === 'int8').flatMap((n) => n.inputs.map((r) => parseTensorRef(r).node)));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const rc = { emit, scope, converter, byName };
  for (const unit of orderUnits(nodes, plan)) {
    if (unit.kind === 'loop') { convertLoop(unit, rc); continue; }
    if (unit.kind === 'cond') { convertCond(unit, rc); continue; }
    const node = unit.node;
    if (node.op === 'Placeholder' || node.op === 'NoOp') continue;
    if (node.op === 'Const') { emit.prefix = node.name; scope.set(`${node.name}:0`, constantValue(graph, node, emit, activationConsts.has(node.name), readByInt8.has(node.name))); continue; }
    converter.convert(node, emit, scope);
  }
  if (converter.refused.length) throw new UnsupportedOpsError('ONNX', converter.refused);

  emit.prefix = 'outputs';
  const outputs = ends.outputs.map((o) => {
    const v = scope.get(o.ref);
    if (!v) throw new GraphError(`signature output "${o.name}" refers to "${o.ref}", which was not converted`);
    // An integer edge: the real result is returned as integers with the edge's parameters.
    if (o.quantization) return quantize(emit, v, o.quantization, o.name);
    return emit.op('Identity', [v], {}, { dtype: v.dtype, shape: v.shape }, o.name);
  });
  return {
    graph: {
      name: 'main', nodes: emit.nodes, initializers: emit.initializers,
      inputs: ends.inputs.map((i) => ({ name: i.name, dtype: i.dtype, shape: symbolicDims(i.name, i.shape) })),
      outputs: outputs.map((o) => ({ name: o.name, dtype: o.dtype, shape: o.shape === null ? null : o.shape.map((d) => (d >= 0 ? d : null)) })),
    },
    nodes: converter.converted,
    ops: [...converter.ops].sort(),
    shapes: emit.infos,
  };
}

function constantValue(graph: Graph, node: Node, emit: OnnxGraphEmitter, activation: boolean, readByInt8: boolean): Value {
  const c = graph.constants.get(node.name);
  if (!c) throw nodeError(node, 'Const node has no value in graph.constants');
  if (!isOnnxDType(c.dtype)) throw nodeError(node, `weight of dtype ${c.dtype}, which ONNX lacks; convert it (e.g. to float32) before exporting`);
  const size = c.shape.reduce((n, d) => n * d, 1);
  if ((c.values as ArrayLike<unknown>).length !== size) throw nodeError(node, `value has ${(c.values as ArrayLike<unknown>).length} elements, shape [${c.shape}] needs ${size}`);
  if (c.quantization) return storeAnnotatedConstant(emit, node.name, c, activation ? carried(c.quantization) : c.quantization, !readByInt8);
  const half = storedAsFloat16(graph, node.name, c, size);
  if (half) return decodeStored(emit, { stored: emit.constant('float16', c.shape, half, node.name), kind: 'cast' });
  const stored = emit.constant(c.dtype, c.shape, c.values, node.name);
  return cast(emit, stored, computeDType(c.dtype));
}

// Small constants stay float32: their known contents feed shape arithmetic at export time.
const FLOAT16_MIN_ELEMENTS = 256;

/**
 * The weight's float16 bits when the source file stored it as float16 and it still holds exactly
 * those values: the .onnx then keeps the source's size, and a Cast (folded by onnxruntime when
 * the session loads) gives back the same float32 values.
 */
function storedAsFloat16(graph: Graph, name: string, c: ConstantTensor, size: number): Uint16Array | undefined {
  const source = graph.metadata[SOURCE_WEIGHT_QUANTIZATION_KEY] as Record<string, { dtype?: string }> | undefined;
  if (c.dtype !== 'float32' || size < FLOAT16_MIN_ELEMENTS || source?.[name]?.dtype !== 'float16') return undefined;
  const values = c.values as Float32Array;
  const half = float32ToFloat16Array(values);
  const back = float16ToFloat32Array(half);
  for (let i = 0; i < size; i++) if (!Object.is(back[i], values[i])) return undefined;
  return half;
}
