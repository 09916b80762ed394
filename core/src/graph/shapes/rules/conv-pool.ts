import { attr } from '../../attrs.js';
import type { Node } from '../../types.js';
import { add, ceilDiv, constant, floorDiv, mul, sub } from '../dim-expr.js';
import type { ShapeRule } from '../rule-types.js';
import { unknownFacts, type SymbolicDim } from '../tensor-facts.js';
import { dataFormat, dimList, one } from './helpers.js';

/** Output size of one spatial axis: SAME is ceil(in/s), VALID and EXPLICIT floor((in + pads − effective kernel)/s) + 1. */
export function windowOutput(size: SymbolicDim, kernel: number, stride: number, dilation: number, padding: string, pads: readonly [number, number] = [0, 0]): SymbolicDim {
  if (size === null) return null;
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'SAME') return ceilDiv(size, stride);
  const padded = padding === 'EXPLICIT' ? add(size, constant(pads[0] + pads[1])) : size;
  return add(floorDiv(sub(padded, constant(effective)), stride), constant(1));
}

interface Layout { readonly batch: number; readonly channels: number; readonly spatial: readonly number[] }

function layoutOf(node: Node, rank: number): Layout {
  const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  return dataFormat(node).startsWith('NC') ? { batch: 0, channels: 1, spatial: spatial.map((a) => a + 1) } : { batch: 0, channels: rank - 1, spatial };
}

/** The spatial output dims for a window op given per-axis kernel sizes. */
function windowDims(node: Node, input: readonly SymbolicDim[], layout: Layout, kernel: readonly number[], dilated: boolean): SymbolicDim[] | undefined {
  const rank = input.length;
  const strides = attr.ints(node, 'strides', new Array(rank).fill(1));
  const dilations = dilated ? attr.ints(node, 'dilations', []) : [];
  const padding = attr.string(node, 'padding', 'VALID');
  const explicit = attr.ints(node, 'explicit_paddings', []);
  if (padding === 'EXPLICIT' && explicit.length !== 2 * rank) return undefined;
  return layout.spatial.map((axis, i) => windowOutput(input[axis]!, kernel[i]!, strides[axis] ?? 1, dilations[axis] ?? 1, padding, [explicit[2 * axis] ?? 0, explicit[2 * axis + 1] ?? 0]));
}

function assemble(rank: number, layout: Layout, batch: SymbolicDim, channels: SymbolicDim, spatial: readonly SymbolicDim[]): SymbolicDim[] {
  const out = new Array<SymbolicDim>(rank).fill(null);
  out[layout.batch] = batch;
  out[layout.channels] = channels;
  layout.spatial.forEach((axis, i) => { out[axis] = spatial[i]!; });
  return out;
}

/** Conv2D / _FusedConv2D (filter [kh, kw, in, out]) and depthwise (filter [kh, kw, in, multiplier]). */
function convRule(depthwise: boolean): ShapeRule {
  return ({ node, inputs, dtype }) => {
    const x = inputs[0]!.shape, w = inputs[1]!.shape;
    if (x === null || w === null || w.length !== x.length) return one(unknownFacts(dtype));
    const layout = layoutOf(node, x.length);
    const kernel = w.slice(0, x.length - 2).map((d) => (d && d.terms.length === 0 ? d.constant : NaN));
    if (kernel.some(Number.isNaN)) return one(unknownFacts(dtype));
    const spatial = windowDims(node, x, layout, kernel, true);
    if (!spatial) return one(unknownFacts(dtype));
    const inC = x[layout.channels]!, fOut = w[x.length - 1]!;
    const channels = depthwise ? (inC === null || fOut === null ? null : mul(inC, fOut)) : fOut;
    return one({ dtype, shape: assemble(x.length, layout, x[layout.batch]!, channels, spatial) });
  };
}

const poolRule: ShapeRule = ({ node, inputs, dtype }) => {
  const x = inputs[0]!.shape;
  if (x === null) return one(unknownFacts(dtype));
  const layout = layoutOf(node, x.length);
  const ksize = attr.ints(node, 'ksize', []);
  if (ksize.length !== x.length) return one(unknownFacts(dtype));
  const spatial = windowDims(node, x, layout, layout.spatial.map((a) => ksize[a]!), false);
  if (!spatial) return one(unknownFacts(dtype));
  return one({ dtype, shape: assemble(x.length, layout, x[layout.batch]!, x[layout.channels]!, spatial) });
};

/** Transposed convolution: the output shape is the value of its first input. */
const backpropInputRule: ShapeRule = ({ inputs, dtype }) => {
  const sizes = dimList(inputs[0]);
  return one({ dtype, shape: sizes ?? null });
};

export const CONV_POOL_RULES: Readonly<Record<string, ShapeRule>> = {
  Conv2D: convRule(false),
  _FusedConv2D: convRule(false),
  Conv3D: convRule(false),
  DepthwiseConv2dNative: convRule(true),
  FusedDepthwiseConv2dNative: convRule(true),
  MaxPool: poolRule,
  AvgPool: poolRule,
  MaxPool3D: poolRule,
  AvgPool3D: poolRule,
  Conv2DBackpropInput: backpropInputRule,
};
