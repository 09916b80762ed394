import { attr } from '@modelport/core';
import { UnsupportedVariant, type ConversionContext, type OnnxOpTable } from '../converter.js';
import { reshapeTo, transpose } from '../emit-ops.js';
import { isChannelsLast, toChannelsFirst, toChannelsLast } from '../layout.js';
import { onnxAttr, type OnnxAttr } from '../onnx-model.js';
import { transposeData } from '../tensor-math.js';
import { staticShape, type Value } from '../value.js';
import { permuteStoredWeight, reshapeStoredWeight } from '../quantize/stored-weights.js';
import { applyActivation, applyBias, readFusedOps, type FusedOps } from './fused.js';
import { readWindow, windowAttrs, windowOutputSizes } from './window.js';

const HWIO_TO_OIHW = [3, 2, 0, 1];

/** A TF filter permuted for ONNX at export time when it is a weight, by a Transpose node otherwise. */
function permuteFilter(ctx: ConversionContext, filter: Value, perm: readonly number[]): Value {
  const stored = permuteStoredWeight(ctx.emit, filter, perm);
  if (stored) return stored;
  const t = ctx.emit.tensorOf(filter);
  if (!t || t.dtype === 'string') return transpose(ctx.emit, filter, perm);
  const data = transposeData(t.data as Float32Array, t.dims, perm);
  return ctx.emit.constant(t.dtype, perm.map((p) => t.dims[p]!), data, `${t.name}/${perm.join('')}`);
}

function filterShape(ctx: ConversionContext, filter: Value): number[] {
  const shape = staticShape(filter.shape);
  if (!shape || shape.length !== 4) throw ctx.fail(`filter must have a static 4-D shape, has [${filter.shape ?? '?'}]`);
  return [...shape];
}

function checkInput(ctx: ConversionContext, x: Value): readonly number[] {
  if (x.shape === null || x.shape.length !== 4) throw ctx.fail(`input must be 4-D (NHWC), has shape [${x.shape ?? 'unknown rank'}]`);
  return x.shape;
}

/** Conv2D, _FusedConv2D, DepthwiseConv2dNative and FusedDepthwiseConv2dNative: Conv in NCHW between transposes. */
function convolution(ctx: ConversionContext, depthwise: boolean, fused: FusedOps): Value {
  const { emit } = ctx;
  const x = ctx.input(0);
  const filter = ctx.input(1);
  const channelsLast = isChannelsLast(attr.string(ctx.node, 'data_format', 'NHWC'));
  const xs = checkInput(ctx, x);
  const [kh, kw, fin, fout] = filterShape(ctx, filter);
  const cin = channelsLast ? xs[3]! : xs[1]!;
  let weight: Value, group: number, outChannels: number;
  if (depthwise) {
    if (cin >= 0 && cin !== fin) throw ctx.fail(`input has ${cin} channels, the depthwise filter expects ${fin}`);
    // [H, W, C, M] → [C, M, H, W] → [C·M, 1, H, W]: TF's output channel c·M + m is ONNX's too.
    const permuted = permuteFilter(ctx, filter, [2, 3, 0, 1]);
    const dims = [fin! * fout!, 1, kh!, kw!];
    weight = reshapeStoredWeight(emit, permuted, dims) ?? reshapeTo(emit, permuted, dims);
    group = fin!;
    outChannels = fin! * fout!;
  } else {
    if (cin >= 0 && cin % fin! !== 0) throw ctx.fail(`input has ${cin} channels, the filter expects ${fin} (or a multiple, for groups)`);
    weight = permuteFilter(ctx, filter, HWIO_TO_OIHW);
    group = cin >= 0 ? cin / fin! : 1;
    outChannels = fout!;
  }
  const w = readWindow(ctx, 2, channelsLast);
  const spatial = channelsLast ? [xs[1]!, xs[2]!] : [xs[2]!, xs[3]!];
  const attrs = { ...windowAttrs(w, spatial, [kh!, kw!]), kernel_shape: onnxAttr.ints([kh!, kw!]), ...(group !== 1 ? { group: onnxAttr.int(group) } : {}) };
  const [oh, ow] = windowOutputSizes(w, spatial, [kh!, kw!]);
  const bias = fused.bias && fused.bias.shape?.length === 1 ? fused.bias : undefined;
  const xin = channelsLast ? toChannelsFirst(emit, x) : x;
  const y = emit.op('Conv', [xin, weight, ...(bias ? [bias] : [])], attrs, { dtype: x.dtype, shape: [xs[0]!, outChannels, oh!, ow!] });
  const out = channelsLast ? toChannelsLast(emit, y) : y;
  return applyActivation(ctx, applyBias(ctx, out, { ...fused, ...(bias ? { bias: undefined } : {}) }), fused);
}

/** Conv2DBackpropInput (a transposed convolution): ConvTranspose with TF's output size made exact by pads. */
function convTranspose(ctx: ConversionContext): Value {
  const { emit } = ctx;
  const sizes = ctx.known(0, 'input_sizes');
  const filter = ctx.input(1);
  const x = ctx.input(2);
  const channelsLast = isChannelsLast(attr.string(ctx.node, 'data_format', 'NHWC'));
  const xs = checkInput(ctx, x);
  const [kh, kw, fout, fin] = filterShape(ctx, filter);
  const cin = channelsLast ? xs[3]! : xs[1]!;
  if (cin >= 0 && cin !== fin) throw ctx.fail(`input has ${cin} channels, the filter expects ${fin}`);
  const w = readWindow(ctx, 2, channelsLast);
  const outSpatial = channelsLast ? [sizes[1]!, sizes[2]!] : [sizes[2]!, sizes[3]!];
  const inSpatial = channelsLast ? [xs[1]!, xs[2]!] : [xs[2]!, xs[3]!];
  const kernel = [kh!, kw!];
  const attrs: Record<string, OnnxAttr> = { kernel_shape: onnxAttr.ints(kernel), strides: onnxAttr.ints(w.strides) };
  if (w.dilations.some((d) => d !== 1)) attrs.dilations = onnxAttr.ints(w.dilations);
  if (inSpatial.every((s) => s >= 0)) {
    const pads: number[] = [], ends: number[] = [], extra: number[] = [];
    inSpatial.forEach((i, a) => {
      const o = outSpatial[a]!, s = w.strides[a]!, dk = (kernel[a]! - 1) * w.dilations[a]! + 1;
      // The forward conv from o to i: its padding is what the transposed conv crops.
      let before = 0, total = 0;
      if (w.padding === 'SAME') { total = Math.max((i - 1) * s + dk - o, 0); before = Math.floor(total / 2); }
      else if (w.padding === 'EXPLICIT') { before = w.pads![a]![0]; total = before + w.pads![a]![1]; }
      const natural = s * (i - 1) + dk - total;
      if (o < natural || o - natural >= Math.max(s, w.dilations[a]!)) throw ctx.fail(`input_sizes ${o} on spatial axis ${a} cannot come from ${i} with stride ${s}`);
      pads.push(before); ends.push(total - before); extra.push(o - natural);
    });
    attrs.pads = onnxAttr.ints([...pads, ...ends]);
    if (extra.some((e) => e > 0)) attrs.output_padding = onnxAttr.ints(extra);
  } else {
    if (w.padding === 'EXPLICIT') throw new UnsupportedVariant('explicit padding with unknown spatial sizes');
    attrs.output_shape = onnxAttr.ints(outSpatial);
    if (w.padding === 'SAME') attrs.auto_pad = onnxAttr.string('SAME_UPPER');
  }
  const weight = permuteFilter(ctx, filter, HWIO_TO_OIHW);
  const xin = channelsLast ? toChannelsFirst(emit, x) : x;
  const y = emit.op('ConvTranspose', [xin, weight], attrs, { dtype: x.dtype, shape: [xs[0]!, fout!, outSpatial[0]!, outSpatial[1]!] });
  return channelsLast ? toChannelsLast(emit, y) : y;
}

export const convOps: OnnxOpTable = {
  Conv2D: (ctx) => convolution(ctx, false, { leakyAlpha: 0.2 }),
  _FusedConv2D: (ctx) => convolution(ctx, false, readFusedOps(ctx, 2)),
  DepthwiseConv2dNative: (ctx) => convolution(ctx, true, { leakyAlpha: 0.2 }),
  FusedDepthwiseConv2dNative: (ctx) => convolution(ctx, true, readFusedOps(ctx, 2)),
  Conv2DBackpropInput: convTranspose,
};
