import { GraphError, type Node } from '@modelport/core';
import type { OnnxGraphEmitter } from './graph-emitter.js';
import type { Value } from './value.js';

/** What a converter sees of the IR node it translates. */
export interface ConversionContext {
  readonly node: Node;
  readonly emit: OnnxGraphEmitter;
  readonly opset: number;
  readonly inputs: readonly Value[];
  input(i: number): Value;
  /** Contents of input `i`, which must be known at export time (a Const, or shape arithmetic folded). */
  known(i: number, what: string): readonly number[];
  /** An error naming this node and op. */
  fail(message: string): GraphError;
}

/**
 * Translates one IR op (TensorFlow level, NHWC) into ONNX nodes; returns the node's outputs in
 * order, with their dtype and shape. Each converter infers those for its own op as it emits:
 * running the graph in tfjs instead would give one input's concrete shapes (hiding which dims are
 * dynamic) and cannot reach tensors inside while loops. Converters for layout-sensitive ops wrap
 * them in transposes; sinkTransposes removes the ones that cancel.
 */
export type OnnxOpConverter = (ctx: ConversionContext) => Value | readonly Value[];

export type OnnxOpTable = Readonly<Record<string, OnnxOpConverter>>;

/**
 * Thrown by a converter for a variant of a known op that ONNX (or this exporter) cannot express,
 * e.g. GatherV2 with batch_dims: reported together with the unknown ops, all at once.
 */
export class UnsupportedVariant extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function nodeError(node: Node, message: string): GraphError {
  return new GraphError(message, { node: node.name, op: node.op });
}
