import { attr } from '../attrs.js';
import type { Node } from '../types.js';

/**
 * How the int8 output of an op gets its parameters:
 * - 'calibrated': from the range its float value took on calibration data;
 * - 'same-as-input': those of its first activation input (pools, reshapes, slices, resize …: the
 *   integer kernels copy or select values and need input and output to share one scale);
 * - fixed: the scale and zero point the integer kernels require (LOGISTIC and SOFTMAX 1/256 with
 *   −128, TANH 1/128 with 0).
 */
export type Int8OutputRule = 'calibrated' | 'same-as-input' | { readonly scale: number; readonly zeroPoint: number };

/** A weight input: int8, symmetric, per channel along `axis` of its IR layout, or per tensor. */
export interface Int8WeightInput {
  readonly input: number;
  readonly axis?: number;
}

/** What an IR op needs to run on int8. */
export interface Int8OpRule {
  /** The inputs that carry float activations (int inputs such as shapes and axes stay as they are). */
  readonly activations: (node: Node) => readonly number[];
  readonly weights?: (node: Node) => readonly Int8WeightInput[];
  /** The input holding the bias: int32, scale = input scale × weight scale, zero point 0. */
  readonly bias?: (node: Node) => number | undefined;
  readonly output: Int8OutputRule;
  /** Why this node cannot run on int8 although its op can (e.g. an activation no kernel fuses). */
  readonly refuse?: (node: Node) => string | undefined;
}

const first = () => [0];
const firstTwo = () => [0, 1];

/** Activations int8 kernels fuse into a convolution or fully connected op. */
const FUSABLE = new Set(['', 'Relu', 'Relu6']);

function fusedOps(node: Node): string[] {
  return attr.strings(node, 'fused_ops', []).map(String);
}

function fusedBias(node: Node): number | undefined {
  return fusedOps(node)[0] === 'BiasAdd' ? 2 : undefined;
}

function unfusableActivation(node: Node): string | undefined {
  const ops = fusedOps(node);
  if (ops.length === 0) return undefined;
  if (ops[0] !== 'BiasAdd') return `fused ${ops.join('+')} (only BiasAdd and Relu/Relu6 fuse into int8 kernels)`;
  const act = ops[1] ?? '';
  return FUSABLE.has(act) ? undefined : `fused activation ${act} (only Relu and Relu6 fuse into int8 kernels)`;
}

/** Depthwise filters [H, W, C, M]: per channel along C (a quantizer uses per tensor when M is not 1). */
function depthwiseWeights(): readonly Int8WeightInput[] {
  return [{ input: 1, axis: 2 }];
}

function matmulRefusal(node: Node): string | undefined {
  if (attr.bool(node, 'transpose_a', false)) return 'transpose_a';
  return unfusableActivation(node);
}

const SAME = { activations: first, output: 'same-as-input' } as const;
const CALIBRATED_UNARY = { activations: first, output: 'calibrated' } as const;
const CALIBRATED_BINARY = { activations: firstTwo, output: 'calibrated' } as const;

/**
 * The IR ops a quantizer may mark `quantized: 'int8'`, and how. Every exporter that writes int8
 * writes each of these; an op missing here stays float (int8 mode) or is an error (int8-full).
 */
export const INT8_OPS: Readonly<Record<string, Int8OpRule>> = Object.freeze({
  Conv2D: { activations: first, weights: () => [{ input: 1, axis: 3 }], output: 'calibrated' },
  _FusedConv2D: { activations: first, weights: () => [{ input: 1, axis: 3 }], bias: fusedBias, output: 'calibrated', refuse: unfusableActivation },
  DepthwiseConv2dNative: { activations: first, weights: depthwiseWeights, output: 'calibrated' },
  FusedDepthwiseConv2dNative: { activations: first, weights: depthwiseWeights, bias: fusedBias, output: 'calibrated', refuse: unfusableActivation },
  MatMul: { activations: first, weights: () => [{ input: 1 }], output: 'calibrated', refuse: matmulRefusal },
  _FusedMatMul: { activations: first, weights: () => [{ input: 1 }], bias: fusedBias, output: 'calibrated', refuse: matmulRefusal },
  Add: CALIBRATED_BINARY,
  AddV2: CALIBRATED_BINARY,
  BiasAdd: CALIBRATED_BINARY,
  Sub: CALIBRATED_BINARY,
  Mul: CALIBRATED_BINARY,
  Relu: CALIBRATED_UNARY,
  Relu6: CALIBRATED_UNARY,
  LeakyRelu: CALIBRATED_UNARY,
  Mean: CALIBRATED_UNARY,
  Sigmoid: { activations: first, output: { scale: 1 / 256, zeroPoint: -128 } },
  Softmax: { activations: first, output: { scale: 1 / 256, zeroPoint: -128 } },
  Tanh: { activations: first, output: { scale: 1 / 128, zeroPoint: 0 } },
  ConcatV2: { activations: (n) => n.inputs.slice(0, -1).map((_, i) => i), output: 'calibrated' },
  MaxPool: SAME,
  AvgPool: SAME,
  Reshape: SAME,
  Squeeze: SAME,
  ExpandDims: SAME,
  Transpose: SAME,
  Pad: SAME,
  StridedSlice: SAME,
  Slice: SAME,
  ResizeBilinear: SAME,
  ResizeNearestNeighbor: SAME,
  DepthToSpace: SAME,
  SpaceToDepth: SAME,
});
