import type { Node } from '@modelport/core';
import type { OnnxGraphEmitter } from '../graph-emitter.js';
import type { NodeConverter } from '../node-converter.js';
import type { OnnxGraph } from '../onnx-model.js';
import type { Value } from '../value.js';
import type { ValueScope } from '../value-scope.js';

/** What converting a loop or cond needs: where to emit, the values so far, and the node converter. */
export interface RegionContext {
  readonly emit: OnnxGraphEmitter;
  readonly scope: ValueScope;
  readonly converter: NodeConverter;
  readonly byName: ReadonlyMap<string, Node>;
}

/**
 * A subgraph's output must be made inside it: values from outside (or its own inputs) are
 * forwarded through an Identity.
 */
export function subgraphOutput(body: OnnxGraphEmitter, v: Value, produced: ReadonlySet<string>, base: string): Value {
  if (produced.has(v.name)) return v;
  return body.op('Identity', [v], {}, { dtype: v.dtype, shape: v.shape }, body.names.unique(base));
}

export function producedBy(body: OnnxGraphEmitter): Set<string> {
  return new Set(body.nodes.flatMap((n) => n.outputs));
}

export function subgraph(name: string, body: OnnxGraphEmitter, inputs: readonly Value[], outputs: readonly Value[]): OnnxGraph {
  const info = (v: Value) => ({ name: v.name, dtype: v.dtype, shape: v.shape === null ? null : v.shape.map((d) => (d >= 0 ? d : null)) });
  return { name, nodes: body.nodes, initializers: new Map(), inputs: inputs.map(info), outputs: outputs.map(info) };
}

/** The shape both of two values fit: equal dims kept, others unknown. */
export function joinShapes(a: Value['shape'], b: Value['shape']): Value['shape'] {
  if (a === null || b === null || a.length !== b.length) return null;
  return a.map((d, i) => (d === b[i] ? d : -1));
}

