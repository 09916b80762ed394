import type { BuiltinOptionsName } from './schema/enums.js';

/**
 * What this exporter knows of each TFLite builtin it writes, in one record per op: its code in
 * schema.fbs, its options table, whether it has an int8 kernel here (and what that kernel demands
 * of the scales), and the operator version each variant needs. The versions follow TensorFlow's
 * lite/tools/versioning/op_version.cc: LiteRT refuses an int8 or hybrid operator whose op code says
 * a version too low for it. An IR op's output dtype is core's rule (core/src/graph/output-dtype.ts).
 */
export interface TfliteOpFacts {
  /** The BuiltinOperator value. */
  readonly code: number;
  /** The BuiltinOptions table the op takes; absent for ops without options. */
  readonly options?: BuiltinOptionsName;
  /**
   * The float kernel applies its options' fused_activation_function (CONCATENATION has the option
   * but its float kernel ignores it: a fused RELU was silently dropped in centernet, so it is not marked).
   */
  readonly fusesActivation?: boolean;
  /** Present when the exporter writes the op on int8 tensors. */
  readonly int8?: Int8KernelFacts;
  /** The version per variant (1 where absent). */
  readonly versions?: Readonly<Partial<Record<OpVariant, number>>>;
  /** A version some options or shapes demand, above the variant's (op_version.cc's checks on them). */
  readonly versionFor?: (s: OpSignature) => number;
  /**
   * dynamic mode: int8 weights go straight into this op's hybrid kernel (float activations
   * quantized on the fly), else through a DEQUANTIZE in front (same file size: the int8 bytes are
   * stored either way). Measured in LiteRT.js 2.5 (wasm, one thread), against float, cosine ≥ 0.99998 for all three:
   * CONV_2D per channel (v5) 3×3 64→64 at 32×32: 9.5–11.7 ms hybrid, 9.6–10.1 ms DEQUANTIZE → hybrid;
   * FULLY_CONNECTED asymmetric inputs (v9) 1024→1024: 0.5–0.6 ms hybrid, 1.0–1.2 ms DEQUANTIZE → hybrid;
   * DEPTHWISE_CONV_2D per channel (v6) 3×3 ×128 at 32×32: 16–21 ms hybrid, 4–5.5 ms DEQUANTIZE
   * (XNNPACK runs the float kernel) → DEQUANTIZE. test/quantized-edges.test.ts checks the choice.
   */
  readonly hybrid?: boolean;
}

export interface Int8KernelFacts {
  /** The int8 kernel copies or selects values: its int8 inputs must have the output's scale and zero point. */
  readonly sameScale?: boolean;
  /** The output parameters the int8 kernel requires. */
  readonly fixedOutput?: { readonly scale: number; readonly zeroPoint: number };
}

/**
 * Which kernel an operator picks, from its tensor types: float; int8 (int8 activations); hybrid
 * (float activations, int8 weights, per tensor or per channel); DEQUANTIZE's float16 and per-channel int8.
 */
export type OpVariant = 'float' | 'int8' | 'hybrid' | 'hybridPerChannel' | 'float16' | 'int8PerChannel';

/** What op_version.cc looks at besides the variant. */
export interface OpSignature {
  readonly variant: OpVariant;
  readonly options: Readonly<Record<string, unknown>>;
  /** Rank of input 0. */
  readonly rank: number;
  /** Per-tensor scales of inputs 0 and 1 and output 0 (int8), for MUL. */
  readonly scales: readonly (number | undefined)[];
}

const SAME: Int8KernelFacts = { sameScale: true };
const CALIBRATED: Int8KernelFacts = {};
const INT8_V2 = { int8: 2 } as const;

const opt = (s: OpSignature, name: string): number => Number(s.options[name] ?? 0);

/** Every builtin the exporter writes, by its schema name. */
export const TFLITE_OP_FACTS = {
  ADD: { code: 0, options: 'AddOptions', fusesActivation: true, int8: CALIBRATED, versions: INT8_V2 },
  AVERAGE_POOL_2D: { code: 1, options: 'Pool2DOptions', fusesActivation: true, int8: SAME, versions: INT8_V2 },
  CONCATENATION: { code: 2, options: 'ConcatenationOptions', int8: SAME, versions: INT8_V2 },
  CONV_2D: { code: 3, options: 'Conv2DOptions', fusesActivation: true, int8: CALIBRATED, versions: { int8: 3, hybrid: 2, hybridPerChannel: 5 }, hybrid: true },
  DEPTHWISE_CONV_2D: {
    code: 4, options: 'DepthwiseConv2DOptions', fusesActivation: true, int8: CALIBRATED, versions: { int8: 3, hybrid: 4, hybridPerChannel: 6 },
    versionFor: (s) => (s.variant === 'float' && (opt(s, 'dilation_w_factor') > 1 || opt(s, 'dilation_h_factor') > 1) ? 2 : 1),
  },
  DEPTH_TO_SPACE: { code: 5, options: 'DepthToSpaceOptions', int8: SAME, versions: INT8_V2 },
  DEQUANTIZE: { code: 6, options: 'DequantizeOptions', versions: { int8: 2, int8PerChannel: 5, float16: 3 } },
  FLOOR: { code: 8 },
  FULLY_CONNECTED: {
    code: 9, options: 'FullyConnectedOptions', fusesActivation: true, int8: CALIBRATED, versions: { int8: 4, hybrid: 3, hybridPerChannel: 12 }, hybrid: true,
    versionFor: (s) => (s.variant === 'hybrid' && s.options.asymmetric_quantize_inputs ? 9 : s.options.keep_num_dims ? 5 : 1),
  },
  L2_NORMALIZATION: { code: 11, options: 'L2NormOptions' },
  LOGISTIC: { code: 14, int8: { fixedOutput: { scale: 1 / 256, zeroPoint: -128 } }, versions: INT8_V2 },
  MAX_POOL_2D: { code: 17, options: 'Pool2DOptions', fusesActivation: true, int8: SAME, versions: INT8_V2 },
  MUL: {
    code: 18, options: 'MulOptions', fusesActivation: true, int8: CALIBRATED, versions: INT8_V2,
    // The int8 kernel for a rescale ≥ 1 came in version 3.
    versionFor: ({ variant, scales: [a, b, out] }) => (variant === 'int8' && a && b && out && (a * b) / out >= 1 ? 3 : 1),
  },
  RELU: { code: 19, int8: CALIBRATED, versions: INT8_V2 },
  RELU_N1_TO_1: { code: 20 },
  RELU6: { code: 21, int8: CALIBRATED, versions: INT8_V2 },
  RESHAPE: { code: 22, options: 'ReshapeOptions', int8: SAME },
  RESIZE_BILINEAR: {
    code: 23, options: 'ResizeBilinearOptions', int8: SAME, versions: INT8_V2,
    versionFor: (s) => (s.options.half_pixel_centers ? 3 : 1),
  },
  SOFTMAX: { code: 25, options: 'SoftmaxOptions', int8: { fixedOutput: { scale: 1 / 256, zeroPoint: -128 } }, versions: INT8_V2 },
  SPACE_TO_DEPTH: { code: 26, options: 'SpaceToDepthOptions', int8: SAME, versions: INT8_V2 },
  TANH: { code: 28, int8: { fixedOutput: { scale: 1 / 128, zeroPoint: 0 } }, versions: INT8_V2 },
  PAD: { code: 34, options: 'PadOptions', int8: SAME, versions: INT8_V2, versionFor: (s) => (s.rank > 4 ? 4 : 1) },
  GATHER: { code: 36, options: 'GatherOptions', int8: SAME, versions: INT8_V2, versionFor: (s) => (opt(s, 'batch_dims') !== 0 ? 5 : 1) },
  BATCH_TO_SPACE_ND: { code: 37, options: 'BatchToSpaceNDOptions', versionFor: (s) => (s.rank !== 4 ? 3 : 1) },
  SPACE_TO_BATCH_ND: { code: 38, options: 'SpaceToBatchNDOptions', versionFor: (s) => (s.rank !== 4 ? 3 : 1) },
  TRANSPOSE: { code: 39, options: 'TransposeOptions', int8: SAME, versions: INT8_V2, versionFor: (s) => (s.rank > 5 ? 6 : s.rank > 4 ? 4 : 1) },
  MEAN: { code: 40, options: 'ReducerOptions', int8: CALIBRATED, versions: INT8_V2 },
  SUB: { code: 41, options: 'SubOptions', fusesActivation: true, int8: CALIBRATED, versions: INT8_V2 },
  DIV: { code: 42, options: 'DivOptions', fusesActivation: true },
  SQUEEZE: { code: 43, options: 'SqueezeOptions', int8: SAME },
  STRIDED_SLICE: {
    code: 45, options: 'StridedSliceOptions', int8: SAME, versions: INT8_V2,
    versionFor: (s) => (s.options.offset ? 8 : opt(s, 'ellipsis_mask') || opt(s, 'new_axis_mask') ? 6 : s.rank > 4 ? 4 : 1),
  },
  EXP: { code: 47, options: 'ExpOptions' },
  TOPK_V2: { code: 48, options: 'TopKV2Options' },
  SPLIT: { code: 49, options: 'SplitOptions' },
  LOG_SOFTMAX: { code: 50, options: 'LogSoftmaxOptions' },
  CAST: { code: 53, options: 'CastOptions' },
  PRELU: { code: 54 },
  MAXIMUM: { code: 55, options: 'MaximumMinimumOptions' },
  ARG_MAX: { code: 56, options: 'ArgMaxOptions' },
  MINIMUM: { code: 57, options: 'MaximumMinimumOptions' },
  LESS: { code: 58, options: 'LessOptions' },
  NEG: { code: 59, options: 'NegOptions' },
  PADV2: { code: 60, options: 'PadV2Options', versionFor: (s) => (s.rank > 4 ? 4 : 1) },
  GREATER: { code: 61, options: 'GreaterOptions' },
  GREATER_EQUAL: { code: 62, options: 'GreaterEqualOptions' },
  LESS_EQUAL: { code: 63, options: 'LessEqualOptions' },
  SELECT: { code: 64, options: 'SelectOptions' },
  SLICE: { code: 65, options: 'SliceOptions', int8: SAME, versions: INT8_V2, versionFor: (s) => (s.rank > 4 ? 5 : 1) },
  SIN: { code: 66 },
  TRANSPOSE_CONV: { code: 67, options: 'TransposeConvOptions', versions: { hybrid: 2, hybridPerChannel: 2 } },
  TILE: { code: 69, options: 'TileOptions' },
  // Version 1 at every type: the kernel copies bytes; LiteRT.js has no version 2.
  EXPAND_DIMS: { code: 70, options: 'ExpandDimsOptions', int8: SAME },
  EQUAL: { code: 71, options: 'EqualOptions' },
  NOT_EQUAL: { code: 72, options: 'NotEqualOptions' },
  LOG: { code: 73 },
  SUM: { code: 74, options: 'ReducerOptions' },
  SQRT: { code: 75 },
  RSQRT: { code: 76 },
  SHAPE: { code: 77, options: 'ShapeOptions' },
  POW: { code: 78, options: 'PowOptions' },
  ARG_MIN: { code: 79, options: 'ArgMinOptions' },
  REDUCE_PROD: { code: 81, options: 'ReducerOptions' },
  REDUCE_MAX: { code: 82, options: 'ReducerOptions' },
  PACK: { code: 83, options: 'PackOptions' },
  LOGICAL_OR: { code: 84, options: 'LogicalOrOptions' },
  ONE_HOT: { code: 85, options: 'OneHotOptions' },
  LOGICAL_AND: { code: 86, options: 'LogicalAndOptions' },
  LOGICAL_NOT: { code: 87, options: 'LogicalNotOptions' },
  UNPACK: { code: 88, options: 'UnpackOptions' },
  REDUCE_MIN: { code: 89, options: 'ReducerOptions' },
  FLOOR_DIV: { code: 90, options: 'FloorDivOptions' },
  REDUCE_ANY: { code: 91, options: 'ReducerOptions' },
  SQUARE: { code: 92, options: 'SquareOptions' },
  ZEROS_LIKE: { code: 93, options: 'ZerosLikeOptions' },
  FILL: { code: 94, options: 'FillOptions' },
  FLOOR_MOD: { code: 95, options: 'FloorModOptions' },
  RANGE: { code: 96, options: 'RangeOptions' },
  RESIZE_NEAREST_NEIGHBOR: {
    code: 97, options: 'ResizeNearestNeighborOptions', int8: SAME, versions: INT8_V2,
    versionFor: (s) => (s.options.half_pixel_centers || s.options.align_corners ? 3 : 1),
  },
  LEAKY_RELU: { code: 98, options: 'LeakyReluOptions', int8: CALIBRATED },
  SQUARED_DIFFERENCE: { code: 99, options: 'SquaredDifferenceOptions' },
  MIRROR_PAD: { code: 100, options: 'MirrorPadOptions' },
  ABS: { code: 101, options: 'AbsOptions' },
  SPLIT_V: { code: 102, options: 'SplitVOptions' },
  CEIL: { code: 104 },
  REVERSE_V2: { code: 105, options: 'ReverseV2Options' },
  ADD_N: { code: 106, options: 'AddNOptions' },
  GATHER_ND: { code: 107, options: 'GatherNdOptions' },
  COS: { code: 108, options: 'CosOptions' },
  WHERE: { code: 109, options: 'WhereOptions' },
  RANK: { code: 110, options: 'RankOptions' },
  ELU: { code: 111 },
  QUANTIZE: { code: 114, options: 'QuantizeOptions' },
  ROUND: { code: 116 },
  HARD_SWISH: { code: 117, options: 'HardSwishOptions' },
  IF: { code: 118, options: 'IfOptions' },
  WHILE: { code: 119, options: 'WhileOptions' },
  NON_MAX_SUPPRESSION_V4: { code: 120, options: 'NonMaxSuppressionV4Options' },
  NON_MAX_SUPPRESSION_V5: { code: 121, options: 'NonMaxSuppressionV5Options' },
  SCATTER_ND: { code: 122, options: 'ScatterNdOptions' },
  SELECT_V2: { code: 123, options: 'SelectV2Options' },
  BATCH_MATMUL: { code: 126, options: 'BatchMatMulOptions', versions: { int8: 2 }, versionFor: (s) => (s.variant === 'hybrid' && s.options.asymmetric_quantize_inputs ? 4 : 1) },
  CUMSUM: { code: 128, options: 'CumsumOptions' },
  // Version 1 was withdrawn (its code number was reused): the op resolver registers it from 2.
  BROADCAST_TO: { code: 130, options: 'BroadcastToOptions', versions: { float: 2, int8: 3 } },
  REDUCE_ALL: { code: 140, options: 'ReducerOptions' },
  GELU: { code: 150, options: 'GeluOptions' },
  DYNAMIC_UPDATE_SLICE: { code: 151, options: 'DynamicUpdateSliceOptions' },
  ATAN2: { code: 156, options: 'ATan2Options' },
  SIGN: { code: 158, options: 'SignOptions' },
} as const satisfies Record<string, TfliteOpFacts>;

export type BuiltinOperatorName = keyof typeof TFLITE_OP_FACTS;

/** The facts of a builtin by name. */
export function opFacts(op: BuiltinOperatorName): TfliteOpFacts {
  return TFLITE_OP_FACTS[op];
}

/** BuiltinOperator values by name, derived from the record. */
export const BuiltinOperator: Readonly<Record<BuiltinOperatorName, number>> = Object.freeze(
  Object.fromEntries(Object.entries(TFLITE_OP_FACTS).map(([name, f]) => [name, f.code])) as Record<BuiltinOperatorName, number>,
);

/** Whether dynamic-mode weights of `op` are written for its hybrid kernel. */
export function writesHybrid(op: BuiltinOperatorName): boolean {
  return opFacts(op).hybrid ?? false;
}

/** The operator version a use of `op` needs. */
export function opVersion(op: BuiltinOperatorName, s: OpSignature): number {
  const f = opFacts(op);
  return Math.max(f.versions?.[s.variant] ?? 1, f.versionFor?.(s) ?? 1);
}
