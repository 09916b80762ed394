import type { AttrValue, ConstantTensor, Node, TensorRef } from '@modelport/core';

/** What a lowering may do besides returning nodes: name new ones, add constants. */
export interface LoweringContext {
  /** "<IR node name>/<part>", made unique in the graph. */
  name(part: string): string;
  /** Adds a Const node (returned, to be listed with the lowering's nodes) holding `value`. */
  constant(part: string, value: ConstantTensor): Node;
}

/**
 * Rewrites one IR node into public TensorFlow ops. The node that produces the IR node's output 0
 * keeps its name (signatures and other nodes refer to it); the others are "<name>/<part>".
 * Nodes are returned in run order.
 */
export type Lowering = (node: Node, ctx: LoweringContext) => Node[];

/** A node TensorFlow cannot take in this form (a fused op list with no public equivalent). */
export class CannotLower extends Error {}

export const tfNode = (name: string, op: string, inputs: readonly TensorRef[], attrs: Record<string, AttrValue>): Node => ({ name, op, inputs, attrs });
