import type { DType, TensorValues } from './dtype.js';
import type { AttrValue } from './attrs.js';

/**
 * A reference to one output of a node: "node:index". The IR always writes the index, so
 * "conv1:0" and not "conv1"; `parseTensorRef` accepts both.
 */
export type TensorRef = string;

/** How a quantized value is stored. */
export type QuantizedDType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'float16';

/**
 * How a tensor is stored or carried in quantized form: real = scale × (q − zeroPoint), per tensor
 * (one scale) or per channel along `axis` (an axis of the tensor in the IR's own layout, e.g. 3
 * for a Conv2D filter [H, W, in, out]). float16 has no scale or zero point ([] and []).
 * Quantizers write it (see docs/formats/quantization.md); exporters write what it says.
 */
export interface Quantization {
  /** The stored type; absent in quantization an importer read from a source file: the tensor's dtype. */
  readonly dtype?: QuantizedDType;
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
  /** The real values, always (a quantizer annotates a weight; it does not rewrite its values). */
  readonly values: TensorValues;
  /** How exporters store the weight (quantizeConstant gives the stored integers every exporter writes). */
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
  /**
   * Set by a quantizer: the node computes on integers. 'int8': it reads the int8 form of every float
   * input (each input carries a Quantization: Consts in ConstantTensor.quantization, other tensors in
   * their producer's outputs[i].quantization), writes int8 outputs with the parameters in its own
   * outputs[i].quantization, and takes an int32 bias. Absent: float, reading float values
   * (an exporter dequantizes int8 tensors and stored weights for it).
   */
  readonly quantized?: 'int8';
}

/** One named input or output of a signature, bound to a tensor of the graph. */
export interface SignatureTensor {
  readonly name: TensorRef;
  readonly dtype: DType | string;
  readonly shape: Shape;
  /**
   * Callers feed (or receive) this tensor quantized: `dtype` is then the integer type ('int8',
   * 'uint8') and real = scale × (q − zeroPoint). Set by integer-only quantization (--io-type).
   */
  readonly quantization?: Quantization;
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
  /**
   * How the signature was built from export modules, in order: input modules, "model", output
   * modules (["image", "model", "detection"]). Absent: the model's own signature.
   */
  readonly stages?: readonly string[];
  /** What the modules left for callers, by module name (e.g. { classification: { labels: [...] } }); exporters keep it in their metadata. */
  readonly moduleMetadata?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
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
