import type { BuiltinOptions } from './options.js';

// Plain data mirroring the tables of schema.fbs that the exporter writes; encode-model.ts turns a
// ModelSpec into flatbuffer bytes. Field names follow the schema in camelCase.

/** QuantizationParameters: q → scale · (q − zero_point), per tensor or along quantizedDimension. */
export interface QuantizationSpec {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  readonly quantizedDimension?: number;
  readonly min?: readonly number[];
  readonly max?: readonly number[];
}

export interface TensorSpec {
  readonly name: string;
  /** A TensorType value. */
  readonly type: number;
  readonly shape: readonly number[];
  /** The shape with -1 where the source had an unknown dimension. */
  readonly shapeSignature?: readonly number[];
  /** Index into ModelSpec.buffers; 0 (the empty sentinel) for tensors computed at run time. */
  readonly buffer: number;
  readonly quantization?: QuantizationSpec;
}

export interface OperatorSpec {
  readonly opcodeIndex: number;
  /** Tensor indices; -1 marks an optional input left out. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly options?: BuiltinOptions;
}

export interface SubGraphSpec {
  readonly name: string;
  readonly tensors: readonly TensorSpec[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly operators: readonly OperatorSpec[];
}

export interface OperatorCodeSpec {
  /** A BuiltinOperator value. */
  readonly builtinCode: number;
  readonly version: number;
}

export interface TensorMapSpec {
  readonly name: string;
  readonly tensorIndex: number;
}

export interface SignatureDefSpec {
  readonly signatureKey: string;
  readonly inputs: readonly TensorMapSpec[];
  readonly outputs: readonly TensorMapSpec[];
  readonly subgraphIndex: number;
}

export interface MetadataSpec {
  readonly name: string;
  readonly buffer: number;
}

export interface ModelSpec {
  readonly description: string;
  readonly operatorCodes: readonly OperatorCodeSpec[];
  readonly subgraphs: readonly SubGraphSpec[];
  /** Buffer 0 must be empty: tensors without data point at it. */
  readonly buffers: readonly (Uint8Array | undefined)[];
  readonly metadata: readonly MetadataSpec[];
  readonly signatureDefs: readonly SignatureDefSpec[];
}
