import type { ConstantTensor, Node } from '../types.js';
import type { DimExpr } from './dim-expr.js';
import type { TensorFacts } from './tensor-facts.js';

/** What a shape rule sees of one node: its inputs' facts and, for a Const, its value. */
export interface ShapeRuleContext {
  readonly node: Node;
  readonly inputs: readonly TensorFacts[];
  /** The dtype of output 0, read from the node's attributes (T, DstT, out_type…). */
  readonly dtype: string;
  readonly constant?: ConstantTensor;
  /** A new dimension decided by tensor values (the row count of Where, the picks of NMS). */
  fresh(): DimExpr;
}

/**
 * Facts for each output of a node from facts of its inputs. A rule returns unknown facts for what
 * it cannot prove, never a guess; ops without a rule make every output unknown.
 */
export type ShapeRule = (ctx: ShapeRuleContext) => readonly TensorFacts[];
