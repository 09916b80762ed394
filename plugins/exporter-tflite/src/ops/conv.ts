import type { TfliteConversion, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';
import { fusedOps, withActivation } from './activation.js';
import { explicitPad, paddingValue, requireNhwc, spatial, transposeValues, windowPadding, zeroInt32Bias } from './helpers.js';
import { writesHybrid } from '../op-facts.js';

/**
 * A weight in the layout an op wants: transposed at export time when constant (stored as annotated,
 * its quantization axis following: `axisOf`), else by a TRANSPOSE op. `hybrid`: the op takes int8
 * weights with float activations (dynamic mode), where op-facts.ts says LiteRT.js runs that kernel.
 */
function weight(c: TfliteConversion, input: number, perm: readonly number[] | undefined, shape: readonly number[], layout: string, axisOf: (a: number) => number, hybrid: boolean): TfliteTensor {
  const f = c.facts(input);
  const v = c.value(input);
  if (v) return c.constant(layout, 'float32', shape, perm ? transposeValues(v, f.shape, perm) : v, input, { axisOf, stored: hybrid });
  if (c.quantized) c.refuse('its filter is computed at run time; int8 kernels take constant weights');
  let t = c.input(input);
  if (perm) t = c.emitTemp('TRANSPOSE', [t, c.constant('perm', 'int32', [perm.length], Int32Array.from(perm))], t.dtype, perm.map((p) => f.shape[p]!));
  if (t.shape.join() !== shape.join()) {
    const target = c.constant('shape', 'int32', [shape.length], Int32Array.from(shape));
    t = c.emitTemp('RESHAPE', [t, target], t.dtype, shape, options('ReshapeOptions', { new_shape: shape }));
  }
  return t;
}

/** The bias: the fused op's argument (input 2), or zeros (XNNPACK wants one); int32 for an int8 op. */
function bias(c: TfliteConversion, hasBias: boolean, channels: number, x: TfliteTensor, filter: TfliteTensor): TfliteTensor {
  if (!hasBias) return c.quantized ? zeroInt32Bias(c, x, filter, channels) : c.constant('bias', 'float32', [channels], new Float32Array(channels));
  const f = c.facts(2);
  if (f.shape.length !== 1 || f.shape[0] !== channels) c.refuse(`bias of shape [${f.shape.join(', ')}] for ${channels} channels`);
  if (c.value(2)) return c.constant('bias', 'float32', [channels], c.value(2)!, 2);
  if (c.quantized) c.refuse('its bias is computed at run time; int8 kernels take a constant int32 bias');
  return c.input(2);
}

/** Input 0 after an explicit PAD when the padding is EXPLICIT. */
function paddedInput(c: TfliteConversion): { x: TfliteTensor; padding: number } {
  const { padding, explicit } = windowPadding(c);
  const x = c.input(0);
  return { x: explicit ? explicitPad(c, x, explicit) : x, padding: paddingValue(padding) };
}

/** Conv2D / _FusedConv2D: TF's HWIO filter becomes TFLite's OHWI. */
function conv2d(c: TfliteConversion): TfliteTensor {
  requireNhwc(c);
  const fused = c.node.op === '_FusedConv2D' ? fusedOps(c) : { bias: false };
  const [kh, kw, ci, co] = c.facts(1).shape as number[];
  const { x, padding } = paddedInput(c);
  if (x.shape[3] !== ci) c.refuse(`grouped convolution (${x.shape[3]} input channels, filter for ${ci})`);
  const strides = spatial(c, 'strides');
  const dilations = spatial(c, 'dilations');
  // HWIO → OHWI: the output channel axis 3 becomes axis 0.
  const perm = [3, 0, 1, 2];
  const filter = weight(c, 1, perm, [co!, kh!, kw!, ci!], 'ohwi', (a) => perm.indexOf(a), writesHybrid('CONV_2D'));
  const b = bias(c, fused.bias, co!, x, filter);
  const opts = (act: number) => options('Conv2DOptions', {
    padding, stride_h: strides.h, stride_w: strides.w, dilation_h_factor: dilations.h, dilation_w_factor: dilations.w, fused_activation_function: act,
  });
  const out = c.out();
  return withActivation(c, fused.activation, (act, final) => (final
    ? c.emit('CONV_2D', [x, filter, b], opts(act))
    : c.emitTemp('CONV_2D', [x, filter, b], out.dtype, out.shape, opts(act))), 3);
}

/** DepthwiseConv2dNative / FusedDepthwiseConv2dNative: TF's [H, W, C, M] filter is TFLite's [1, H, W, C·M] as is. */
function depthwise(c: TfliteConversion): TfliteTensor {
  requireNhwc(c);
  const fused = c.node.op === 'FusedDepthwiseConv2dNative' ? fusedOps(c) : { bias: false };
  const [kh, kw, ci, m] = c.facts(1).shape as number[];
  const { x, padding } = paddedInput(c);
  if (x.shape[3] !== ci) c.refuse(`filter for ${ci} channels on an input with ${x.shape[3]}`);
  const strides = spatial(c, 'strides');
  const dilations = spatial(c, 'dilations');
  // [H, W, C, M] → [1, H, W, C·M]: the channel axis 2 becomes axis 3 (per channel only when M is 1).
  const filter = weight(c, 1, undefined, [1, kh!, kw!, ci! * m!], '1hwc', (a) => a + 1, writesHybrid('DEPTHWISE_CONV_2D'));
  const b = bias(c, fused.bias, ci! * m!, x, filter);
  const opts = (act: number) => options('DepthwiseConv2DOptions', {
    padding, stride_h: strides.h, stride_w: strides.w, depth_multiplier: m!, dilation_h_factor: dilations.h, dilation_w_factor: dilations.w, fused_activation_function: act,
  });
  const out = c.out();
  return withActivation(c, fused.activation, (act, final) => (final
    ? c.emit('DEPTHWISE_CONV_2D', [x, filter, b], opts(act))
    : c.emitTemp('DEPTHWISE_CONV_2D', [x, filter, b], out.dtype, out.shape, opts(act))), 3);
}

/**
 * Conv2DBackpropInput(input_sizes, filter, out_backprop) is TRANSPOSE_CONV(output_shape, weights,
 * input): TF's filter [H, W, out, in] becomes [out, H, W, in].
 */
function transposeConv(c: TfliteConversion): TfliteTensor {
  requireNhwc(c);
  const dilations = spatial(c, 'dilations');
  if (dilations.h !== 1 || dilations.w !== 1) c.refuse('dilated transposed convolution');
  const { padding, explicit } = windowPadding(c);
  if (explicit) c.refuse('EXPLICIT padding');
  const [kh, kw, co, ci] = c.facts(1).shape as number[];
  const strides = spatial(c, 'strides');
  const outputShape = c.intArgument(0, 'input_sizes');
  const perm = [2, 0, 1, 3];
  const filter = weight(c, 1, perm, [co!, kh!, kw!, ci!], 'ohwi', (a) => perm.indexOf(a), false);
  return c.emit('TRANSPOSE_CONV', [outputShape, filter, c.input(2)], options('TransposeConvOptions', {
    padding: paddingValue(padding), stride_h: strides.h, stride_w: strides.w,
  }));
}

export const convOps: TfliteOpTable = {
  Conv2D: conv2d,
  _FusedConv2D: conv2d,
  DepthwiseConv2dNative: depthwise,
  FusedDepthwiseConv2dNative: depthwise,
  Conv2DBackpropInput: transposeConv,
};
