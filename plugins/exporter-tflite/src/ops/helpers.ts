import { attr, type TypedArray } from '@modelport/core';
import type { TfliteConversion } from '../conversion.js';
import { Activation, Padding, type ActivationName, type PaddingName } from '../schema/enums.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';

/** An axis in [0, rank) from TensorFlow's [-rank, rank). */
export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Refuses layouts other than NHWC: the IR is NHWC, as TFLite is. */
export function requireNhwc(c: TfliteConversion): void {
  const format = attr.string(c.node, 'data_format', 'NHWC');
  if (format !== 'NHWC') c.refuse(`data_format ${format}; only NHWC`);
}

/** SAME or VALID; EXPLICIT paddings are returned for a PAD in front. */
export function windowPadding(c: TfliteConversion): { padding: PaddingName; explicit?: number[] } {
  const p = attr.string(c.node, 'padding', 'VALID');
  if (p === 'SAME' || p === 'VALID') return { padding: p };
  if (p === 'EXPLICIT') return { padding: 'VALID', explicit: [...attr.ints(c.node, 'explicit_paddings')] };
  return c.refuse(`padding ${p}`);
}

export function paddingValue(name: PaddingName): number {
  return Padding[name];
}

/** [1, h, w, 1] → { h, w }. */
export function spatial(c: TfliteConversion, name: string, fallback = 1): { h: number; w: number } {
  const v = attr.ints(c.node, name, [1, fallback, fallback, 1]);
  if (v.length !== 4) c.refuse(`${name} of length ${v.length}`);
  if (v[0] !== 1 || v[3] !== 1) c.refuse(`${name} [${v.join(', ')}] on batch or channels`);
  return { h: v[1]!, w: v[2]! };
}

/** A PAD in front of a windowed op, for EXPLICIT paddings ([before, after] per axis, flattened). */
export function explicitPad(c: TfliteConversion, x: TfliteTensor, pads: readonly number[]): TfliteTensor {
  const shape = x.shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
  const paddings = c.constant('paddings', 'int32', [x.shape.length, 2], Int32Array.from(pads));
  return c.emitTemp('PAD', [x, paddings], x.dtype, shape);
}

/** Activations ops can fuse, by the name TensorFlow's fused ops use. */
export const FUSABLE_ACTIVATION: Readonly<Record<string, ActivationName>> = { Relu: 'RELU', Relu6: 'RELU6' };

export function activationValue(name: ActivationName): number {
  return Activation[name];
}

/** The shape tensor and options of a RESHAPE to a static shape. */
export function reshapeTo(c: TfliteConversion, x: TfliteTensor, shape: readonly number[], i = 0): TfliteTensor {
  const target = c.constant('shape', 'int32', [shape.length], Int32Array.from(shape));
  return c.emit('RESHAPE', [x, target], options('ReshapeOptions', { new_shape: shape }), i);
}

/** A RESHAPE to a new intermediate tensor. */
export function reshapeTemp(c: TfliteConversion, x: TfliteTensor, shape: readonly number[]): TfliteTensor {
  const target = c.constant('shape', 'int32', [shape.length], Int32Array.from(shape));
  return c.emitTemp('RESHAPE', [x, target], x.dtype, shape, options('ReshapeOptions', { new_shape: shape }));
}

/** Row-major transpose of a constant's values (weights into the layout an op wants). */
export function transposeValues(values: TypedArray, shape: readonly number[], perm: readonly number[]): TypedArray {
  const rank = shape.length;
  const out = new (values.constructor as new (n: number) => TypedArray)(values.length) as unknown as number[];
  const src = values as unknown as ArrayLike<number>;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  let acc = 1;
  for (let i = rank - 1; i >= 0; i--) { inStrides[i] = acc; acc *= shape[i]!; }
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < values.length; o++) {
    let from = 0;
    for (let k = 0; k < rank; k++) from += idx[k]! * inStrides[perm[k]!]!;
    out[o] = src[from]!;
    for (let k = rank - 1; k >= 0; k--) { if (++idx[k]! < outShape[k]!) break; idx[k] = 0; }
  }
  return out as unknown as TypedArray;
}

/**
 * The zero bias of an int8 convolution or fully connected op: int32 with scale input scale ×
 * weight scale (per output channel), as the int8 kernels check.
 */
export function zeroInt32Bias(c: TfliteConversion, x: TfliteTensor, weights: TfliteTensor, channels: number): TfliteTensor {
  const xs = x.quantization?.scale[0];
  const ws = weights.quantization?.scale;
  if (xs === undefined || !ws) return c.refuse('its input or weight has no int8 parameters');
  const scale = ws.length > 1 ? Array.from({ length: channels }, (_, i) => xs * ws[i]!) : [xs * ws[0]!];
  return c.subgraph.constant(`${c.node.name}/bias_int32`, 'int32', [channels], new Int32Array(channels), undefined, {
    scale, zeroPoint: scale.map(() => 0), ...(scale.length > 1 ? { quantizedDimension: 0 } : {}),
  });
}
