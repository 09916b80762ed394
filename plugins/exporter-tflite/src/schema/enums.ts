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

/** BuiltinOperator: the builtin op codes this exporter can emit (values as in the schema). */
export const BuiltinOperator = {
  ADD: 0, AVERAGE_POOL_2D: 1, CONCATENATION: 2, CONV_2D: 3, DEPTHWISE_CONV_2D: 4, DEPTH_TO_SPACE: 5,
  DEQUANTIZE: 6, FLOOR: 8, FULLY_CONNECTED: 9, L2_NORMALIZATION: 11, LOGISTIC: 14, MAX_POOL_2D: 17,
  MUL: 18, RELU: 19, RELU_N1_TO_1: 20, RELU6: 21, RESHAPE: 22, RESIZE_BILINEAR: 23, SOFTMAX: 25,
  SPACE_TO_DEPTH: 26, TANH: 28, PAD: 34, GATHER: 36, BATCH_TO_SPACE_ND: 37, SPACE_TO_BATCH_ND: 38,
  TRANSPOSE: 39, MEAN: 40, SUB: 41, DIV: 42, SQUEEZE: 43, STRIDED_SLICE: 45, EXP: 47, TOPK_V2: 48,
  SPLIT: 49, LOG_SOFTMAX: 50, CAST: 53, PRELU: 54, MAXIMUM: 55, ARG_MAX: 56, MINIMUM: 57, LESS: 58,
  NEG: 59, PADV2: 60, GREATER: 61, GREATER_EQUAL: 62, LESS_EQUAL: 63, SELECT: 64, SLICE: 65, SIN: 66,
  TRANSPOSE_CONV: 67, TILE: 69, EXPAND_DIMS: 70, EQUAL: 71, NOT_EQUAL: 72, LOG: 73, SUM: 74, SQRT: 75,
  RSQRT: 76, SHAPE: 77, POW: 78, ARG_MIN: 79, REDUCE_PROD: 81, REDUCE_MAX: 82, PACK: 83, LOGICAL_OR: 84,
  ONE_HOT: 85, LOGICAL_AND: 86, LOGICAL_NOT: 87, UNPACK: 88, REDUCE_MIN: 89, FLOOR_DIV: 90,
  REDUCE_ANY: 91, SQUARE: 92, ZEROS_LIKE: 93, FILL: 94, FLOOR_MOD: 95, RANGE: 96,
  RESIZE_NEAREST_NEIGHBOR: 97, LEAKY_RELU: 98, SQUARED_DIFFERENCE: 99, MIRROR_PAD: 100, ABS: 101,
  SPLIT_V: 102, CEIL: 104, REVERSE_V2: 105, ADD_N: 106, GATHER_ND: 107, COS: 108, WHERE: 109, RANK: 110,
  ELU: 111, ROUND: 116, HARD_SWISH: 117, IF: 118, WHILE: 119, NON_MAX_SUPPRESSION_V4: 120,
  NON_MAX_SUPPRESSION_V5: 121, SCATTER_ND: 122, SELECT_V2: 123, BATCH_MATMUL: 126, CUMSUM: 128,
  BROADCAST_TO: 130, REDUCE_ALL: 140, GELU: 150, DYNAMIC_UPDATE_SLICE: 151, ATAN2: 156, SIGN: 158,
} as const;
export type BuiltinOperatorName = keyof typeof BuiltinOperator;

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

/**
 * Ops the TFLite op resolver registers from a version above 1 (found by loading a model per op in
 * LiteRT.js 2.5): their OperatorCode must carry at least this version or loading fails.
 */
export const OPERATOR_MIN_VERSION: Partial<Record<BuiltinOperatorName, number>> = { BROADCAST_TO: 2 };
