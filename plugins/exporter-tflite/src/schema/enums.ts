// Enum values of tensorflow/lite/schema/schema.fbs (schema version 3), written out by hand.

export const TFLITE_SCHEMA_VERSION = 3;
export const TFLITE_FILE_IDENTIFIER = 'TFL3';

/** TensorType. */
export const TensorType = {
  FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, STRING: 5, BOOL: 6, INT16: 7,
  COMPLEX64: 8, INT8: 9, FLOAT64: 10, COMPLEX128: 11, UINT64: 12, RESOURCE: 13, VARIANT: 14,
  UINT32: 15, UINT16: 16, INT4: 17,
} as const;
export type TensorTypeName = keyof typeof TensorType;

/** Padding. */
export const Padding = { SAME: 0, VALID: 1 } as const;
export type PaddingName = keyof typeof Padding;

/** ActivationFunctionType: the activations TFLite ops can fuse. */
export const Activation = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4, SIGN_BIT: 5 } as const;
export type ActivationName = keyof typeof Activation;

export const MirrorPadMode = { REFLECT: 0, SYMMETRIC: 1 } as const;

/** BuiltinOperator values: derived from the one record of each op's facts. */
export { BuiltinOperator, type BuiltinOperatorName } from '../op-facts.js';
import { BuiltinOperator } from '../op-facts.js';

/**
 * The members of the BuiltinOptions union in schema order; a member's union type value is its
 * position + 1 (0 is NONE). Kept as a list so that the numbers cannot drift from the order.
 */
const BUILTIN_OPTIONS_ORDER = [
  'Conv2DOptions', 'DepthwiseConv2DOptions', 'ConcatEmbeddingsOptions', 'LSHProjectionOptions',
  'Pool2DOptions', 'SVDFOptions', 'RNNOptions', 'FullyConnectedOptions', 'SoftmaxOptions',
  'ConcatenationOptions', 'AddOptions', 'L2NormOptions', 'LocalResponseNormalizationOptions',
  'LSTMOptions', 'ResizeBilinearOptions', 'CallOptions', 'ReshapeOptions', 'SkipGramOptions',
  'SpaceToDepthOptions', 'EmbeddingLookupSparseOptions', 'MulOptions', 'PadOptions', 'GatherOptions',
  'BatchToSpaceNDOptions', 'SpaceToBatchNDOptions', 'TransposeOptions', 'ReducerOptions', 'SubOptions',
  'DivOptions', 'SqueezeOptions', 'SequenceRNNOptions', 'StridedSliceOptions', 'ExpOptions',
  'TopKV2Options', 'SplitOptions', 'LogSoftmaxOptions', 'CastOptions', 'DequantizeOptions',
  'MaximumMinimumOptions', 'ArgMaxOptions', 'LessOptions', 'NegOptions', 'PadV2Options',
  'GreaterOptions', 'GreaterEqualOptions', 'LessEqualOptions', 'SelectOptions', 'SliceOptions',
  'TransposeConvOptions', 'SparseToDenseOptions', 'TileOptions', 'ExpandDimsOptions', 'EqualOptions',
  'NotEqualOptions', 'ShapeOptions', 'PowOptions', 'ArgMinOptions', 'FakeQuantOptions', 'PackOptions',
  'LogicalOrOptions', 'OneHotOptions', 'LogicalAndOptions', 'LogicalNotOptions', 'UnpackOptions',
  'FloorDivOptions', 'SquareOptions', 'ZerosLikeOptions', 'FillOptions',
  'BidirectionalSequenceLSTMOptions', 'BidirectionalSequenceRNNOptions',
  'UnidirectionalSequenceLSTMOptions', 'FloorModOptions', 'RangeOptions',
  'ResizeNearestNeighborOptions', 'LeakyReluOptions', 'SquaredDifferenceOptions', 'MirrorPadOptions',
  'AbsOptions', 'SplitVOptions', 'UniqueOptions', 'ReverseV2Options', 'AddNOptions', 'GatherNdOptions',
  'CosOptions', 'WhereOptions', 'RankOptions', 'ReverseSequenceOptions', 'MatrixDiagOptions',
  'QuantizeOptions', 'MatrixSetDiagOptions', 'HardSwishOptions', 'IfOptions', 'WhileOptions',
  'DepthToSpaceOptions', 'NonMaxSuppressionV4Options', 'NonMaxSuppressionV5Options',
  'ScatterNdOptions', 'SelectV2Options', 'DensifyOptions', 'SegmentSumOptions', 'BatchMatMulOptions',
  'CumsumOptions', 'CallOnceOptions', 'BroadcastToOptions', 'Rfft2dOptions', 'Conv3DOptions',
  'HashtableOptions', 'HashtableFindOptions', 'HashtableImportOptions', 'HashtableSizeOptions',
  'VarHandleOptions', 'ReadVariableOptions', 'AssignVariableOptions', 'RandomOptions',
  'BucketizeOptions', 'GeluOptions', 'DynamicUpdateSliceOptions', 'UnsortedSegmentProdOptions',
  'UnsortedSegmentMaxOptions', 'UnsortedSegmentMinOptions', 'UnsortedSegmentSumOptions',
  'ATan2Options', 'SignOptions',
] as const;
export type BuiltinOptionsName = (typeof BUILTIN_OPTIONS_ORDER)[number];

/** The union type value of a BuiltinOptions member. */
export function builtinOptionsType(name: BuiltinOptionsName): number {
  return BUILTIN_OPTIONS_ORDER.indexOf(name) + 1;
}

/** Names by value, for readers. */
export const BUILTIN_OPERATOR_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(BuiltinOperator).map(([k, v]) => [v, k]));
export const TENSOR_TYPE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(TensorType).map(([k, v]) => [v, k]));
