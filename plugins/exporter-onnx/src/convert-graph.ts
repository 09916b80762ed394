import {
  GraphError, parseTensorRef, UnsupportedOpsError, type Graph, type Node, type TensorRef,
} from '@modelport/core';
import { nodeError, UnsupportedVariant, type ConversionContext, type OnnxOpTable } from './converter.js';
import { NameScope, OnnxGraphEmitter } from './graph-emitter.js';
import { isOnnxDType } from './onnx-dtype.js';
import type { OnnxGraph } from './onnx-model.js';
import { onnxEnds, symbolicDims } from './signature-io.js';
import type { Value } from './value.js';
import type { ValueShapes } from './optimize/value-shapes.js';

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
export function neededNodes(graph: Graph, outputs: readonly TensorRef[]): Set<string> {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const needed = new Set<string>();
  const stack = outputs.map((r) => parseTensorRef(r).node);
  while (stack.length) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    const node = byName.get(name);
    if (!node) continue;
    needed.add(name);
    for (const r of node.inputs) stack.push(parseTensorRef(r).node);
  }
  return needed;
}

/**
 * Translates the IR into an ONNX graph, node by node through the op table. Every node whose op is
 * missing from the table, or whose variant a converter refuses, is collected and reported at once
 * in an UnsupportedOpsError; malformed nodes throw a GraphError naming node and op.
 */
export function convertGraph(graph: Graph, table: OnnxOpTable, opset: number): ConvertedGraph {
  const names = new NameScope();
  const emit = new OnnxGraphEmitter(names, opset);
  const probe = onnxEnds(graph, new Set());
  const needed = neededNodes(graph, probe.outputs.map((o) => o.ref));
  const ends = onnxEnds(graph, needed);
  for (const e of [...ends.inputs, ...ends.outputs]) names.reserve(e.name);

  const nodes = graph.nodes.filter((n) => needed.has(n.name));
  const unknown = nodes.filter((n) => !PASS_THROUGH.has(n.op) && !table[n.op]).map((n) => ({ node: n.name, op: n.op }));
  if (unknown.length) throw new UnsupportedOpsError('ONNX', unknown);

  const values = new Map<TensorRef, Value>();
  for (const input of ends.inputs) {
    if (!isOnnxDType(input.dtype)) throw new GraphError(`input "${input.name}" has dtype ${input.dtype}, which ONNX lacks`, { node: parseTensorRef(input.ref).node, op: 'Placeholder' });
    values.set(input.ref, emit.record(input.name, { dtype: input.dtype, shape: input.shape }));
  }

  const refused: { node: string; op: string }[] = [];
  const poisoned = new Set<string>();
  const ops = new Set<string>();
  let converted = 0;
  for (const node of nodes) {
    emit.prefix = node.name;
    if (node.op === 'Placeholder') continue;
    if (node.op === 'Const') { values.set(`${node.name}:0`, constantValue(graph, node, emit)); continue; }
    if (node.op === 'NoOp') continue;
    const producers = node.inputs.map((r) => parseTensorRef(r).node);
    if (producers.some((p) => poisoned.has(p))) { poisoned.add(node.name); continue; }
    const inputs = node.inputs.map((r) => {
      const v = values.get(r);
      if (!v) throw nodeError(node, `input "${r}" was not converted (a graph input missing from the signature?)`);
      return v;
    });
    try {
      const out = table[node.op]!(contextFor(node, emit, inputs));
      const list = Array.isArray(out) ? out : [out as Value];
      list.forEach((v, i) => values.set(`${node.name}:${i}`, v));
      ops.add(node.op);
      converted++;
    } catch (e) {
      if (!(e instanceof UnsupportedVariant)) throw e;
      refused.push({ node: node.name, op: `${node.op} (${e.reason})` });
      poisoned.add(node.name);
    }
  }
  if (refused.length) throw new UnsupportedOpsError('ONNX', refused);

  const outputs = ends.outputs.map((o) => {
    const v = values.get(o.ref);
    if (!v) throw new GraphError(`signature output "${o.name}" refers to "${o.ref}", which was not converted`);
    const out = emit.op('Identity', [v], {}, { dtype: v.dtype, shape: v.shape }, o.name);
    return { name: o.name, dtype: out.dtype, shape: out.shape };
  });
  return {
    graph: {
      name: 'main', nodes: emit.nodes, initializers: emit.initializers,
      inputs: ends.inputs.map((i) => ({ name: i.name, dtype: i.dtype, shape: symbolicDims(i.name, i.shape) })),
      outputs: outputs.map((o) => ({ name: o.name, dtype: o.dtype, shape: o.shape === null ? null : o.shape.map((d) => (d >= 0 ? d : null)) })),
    },
    nodes: converted,
    ops: [...ops].sort(),
    shapes: emit.infos,
  };
}

function constantValue(graph: Graph, node: Node, emit: OnnxGraphEmitter): Value {
  const c = graph.constants.get(node.name);
  if (!c) throw nodeError(node, 'Const node has no value in graph.constants');
  if (!isOnnxDType(c.dtype)) throw nodeError(node, `weight of dtype ${c.dtype}, which ONNX lacks; convert it (e.g. to float32) before exporting`);
  const size = c.shape.reduce((n, d) => n * d, 1);
  if ((c.values as ArrayLike<unknown>).length !== size) throw nodeError(node, `value has ${(c.values as ArrayLike<unknown>).length} elements, shape [${c.shape}] needs ${size}`);
  return emit.constant(c.dtype, c.shape, c.values, node.name);
}

function contextFor(node: Node, emit: OnnxGraphEmitter, inputs: readonly Value[]): ConversionContext {
  return {
    node, emit, opset: emit.opset, inputs,
    input(i) {
      const v = inputs[i];
      if (!v) throw nodeError(node, `needs at least ${i + 1} input(s), has ${inputs.length}`);
      return v;
    },
    known(i, what) {
      const v = this.input(i);
      if (!v.known) throw new UnsupportedVariant(`${what} (input ${i}) must be known at export time`);
      return v.known;
    },
    fail: (message) => nodeError(node, message),
  };
}
