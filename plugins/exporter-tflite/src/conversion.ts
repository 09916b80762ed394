import type { Node, TypedArray } from '@modelport/core';
import type { TensorFacts } from './infer-shapes.js';
import type { BuiltinOperatorName } from './schema/enums.js';
import type { BuiltinOptions } from './schema/options.js';
import type { SubGraphBuilder, TfliteTensor } from './subgraph-builder.js';
import type { ConstantUse } from './tensor-scope.js';
import type { TfliteDType } from './tflite-dtype.js';

/** Thrown by a converter for a variant of its op that TFLite builtins cannot express. */
export class UnsupportedVariant extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** What a converter sees of the node it translates, and how it adds tensors and operators. */
export interface TfliteConversion {
  readonly node: Node;
  readonly subgraph: SubGraphBuilder;
  /**
   * The node computes on int8 (node.quantized): its activation inputs come as int8 tensors, its
   * outputs and temporaries are int8 with the annotated parameters, its weights are stored integers.
   */
  readonly quantized: boolean;
  /** Facts of input `i` (dtype, static shape, value when known at export time). */
  facts(i: number): TensorFacts;
  /** Facts of output `i`. */
  out(i?: number): TensorFacts;
  /** Whether input `i` has a tensor (computed so far, or a value known at export time). */
  has(i: number): boolean;
  /** The value of input `i` when known at export time. */
  value(i: number): TypedArray | undefined;
  /** The value of input `i` as integers; refuses the node when it is computed at run time. */
  ints(i: number, what: string): number[];
  /**
   * Input `i`, an int argument that sizes the output (a shape, size, begin …): a constant when
   * known at export time, else the run-time tensor itself, which only an output sized at run time
   * (dynamic in its facts) or of a proven shape may take.
   */
  intArgument(i: number, what: string): TfliteTensor;
  /** Input `i` as a tensor of the subgraph (constants are added on first use); its int8 form for an int8 node's activations. */
  input(i: number): TfliteTensor;
  /** A new tensor for output `i`, with its dtype and shape. */
  output(i?: number): TfliteTensor;
  /** Adds `op` writing output `i` (a new tensor); returns that tensor. */
  emit(op: BuiltinOperatorName, inputs: readonly (TfliteTensor | undefined)[], options?: BuiltinOptions, i?: number): TfliteTensor;
  /** Adds `op` writing a new intermediate tensor. */
  emitTemp(op: BuiltinOperatorName, inputs: readonly (TfliteTensor | undefined)[], dtype: TfliteDType, shape: readonly number[], options?: BuiltinOptions): TfliteTensor;
  /**
   * A constant tensor. `fromInput` names the input it is derived from (a weight in another
   * layout): its bytes are then shared across subgraphs and stored as its annotation says (`use`
   * maps the annotation's axis to the new layout; `use.stored` asks for the integers of a hybrid kernel).
   * An int8 node always gets the stored integers.
   */
  constant(suffix: string, dtype: TfliteDType, shape: readonly number[], values: TypedArray, fromInput?: number, use?: ConstantUse): TfliteTensor;
  refuse(reason: string): never;
}

/** Translates one IR node to TFLite operators; returns the tensor of each output, in order. */
export type TfliteOpConverter = (c: TfliteConversion) => TfliteTensor | readonly TfliteTensor[];

/** An op table: IR op name → converter. */
export type TfliteOpTable = Readonly<Record<string, TfliteOpConverter>>;
