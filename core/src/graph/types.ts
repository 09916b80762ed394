import type { DType, TensorValues } from './dtype.js';
import type { AttrValue } from './attrs.js';

/**
 * A reference to one output of a node: "node:index". The IR always writes the index, so
 * "conv1:0" and not "conv1"; `parseTensorRef` accepts both.
 */
export type TensorRef = string;

/** Affine quantization parameters of a tensor (per tensor, or per channel along `axis`). */
export interface Quantization {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  readonly axis?: number;
}

/** Dimensions of a tensor; -1 marks a dimension unknown until run time. `null` = unknown rank. */
export type Shape = readonly number[] | null;

/** What is known of a tensor flowing along an edge. */
export interface TensorInfo {
  readonly dtype: DType | string;
  readonly shape: Shape;
  readonly quantization?: Quantization;
}

/** The value of a Const node. */
export interface ConstantTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly values: TensorValues;
  readonly quantization?: Quantization;
}

/**
 * One operation at TensorFlow op level (the op names and attributes tfjs graph models use).
 * Placeholders (graph inputs) and Consts (weights) are nodes too, so every edge is a TensorRef;
 * a Const node's value lives in `Graph.constants` under the node's name.
 */
export interface Node {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly TensorRef[];
  /** Names of nodes that must run first without passing data ("^name" in TensorFlow). */
  readonly controlInputs?: readonly string[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly device?: string;
  /** Types of the outputs when an importer or shape inference knows them. */
  readonly outputs?: readonly TensorInfo[];
}

/** One named input or output of a signature, bound to a tensor of the graph. */
export interface SignatureTensor {
  readonly name: TensorRef;
  readonly dtype: DType | string;
  readonly shape: Shape;
}

/** An input fixed to a value at export (--input-value): no longer fed, kept so that readers know the value. */
export interface FrozenInput extends SignatureTensor {
  /** The shape of the value (the input's shape, made static). */
  readonly shape: readonly number[];
  /** The value, row-major. */
  readonly values: readonly number[];
}

/** A callable view of the graph, as SavedModel SignatureDefs have them: named inputs → named outputs. */
export interface Signature {
  readonly inputs: Readonly<Record<string, SignatureTensor>>;
  readonly outputs: Readonly<Record<string, SignatureTensor>>;
  readonly methodName?: string;
  /** Inputs the source had under these keys, replaced by constants at export. */
  readonly frozenInputs?: Readonly<Record<string, FrozenInput>>;
}

export const DEFAULT_SIGNATURE = 'serving_default';

/**
 * The Graph IR: a dataflow graph in NHWC at TensorFlow op level. Immutable: passes return a new
 * Graph (sharing unchanged nodes and constants is fine).
 */
export interface Graph {
  /** Names of the Placeholder nodes the caller feeds, in feed order. */
  readonly inputs: readonly string[];
  /** The tensors a plain run returns, in order. */
  readonly outputs: readonly TensorRef[];
  /** In topological order (back edges of v1 loops, NextIteration → Merge, excepted). */
  readonly nodes: readonly Node[];
  readonly constants: ReadonlyMap<string, ConstantTensor>;
  readonly signatures: Readonly<Record<string, Signature>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}
