import { attrValue, type TensorRef } from '@modelport/core';
import { configBool, configNumber, configNumbers, positiveAxis } from './config.js';
import type { LayerCall, LayerConverterTable, WeightValues } from './layer-call.js';
import { binary, FLOAT, int32s, scalar, unary } from './ops.js';

/** The shape a per-channel vector needs to broadcast against a tensor of `rank` along `axis`. */
function channelShape(channels: number, axis: number, rank: number): number[] {
  return axis === rank - 1 ? [channels] : [channels, ...Array<number>(rank - 1 - axis).fill(1)];
}

/**
 * Inference BatchNormalization folded to x·scale + offset, with scale = γ/√(σ²+ε) and
 * offset = β − μ·scale computed once in double precision: two ops a later pass can fold into the
 * convolution before it, and that every target has.
 */
function foldedBatchNorm(call: LayerCall): { scale: WeightValues; offset: WeightValues } {
  const mean = call.weightValues('moving_mean').values;
  const variance = call.weightValues('moving_variance').values;
  const gamma = configBool(call.config, 'scale', true) && call.hasWeight('gamma') ? call.weightValues('gamma').values : undefined;
  const beta = configBool(call.config, 'center', true) && call.hasWeight('beta') ? call.weightValues('beta').values : undefined;
  const epsilon = configNumber(call.config, 'epsilon', 1e-3);
  const rank = call.inputShapes[0]!.length;
  const shape = channelShape(mean.length, positiveAxis(configNumber(call.config, 'axis', -1), rank), rank);
  const scale = new Float32Array(mean.length);
  const offset = new Float32Array(mean.length);
  for (let c = 0; c < mean.length; c++) {
    const s = (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + epsilon);
    scale[c] = s;
    offset[c] = (beta ? beta[c]! : 0) - mean[c]! * s;
  }
  return { scale: { shape, values: scale }, offset: { shape, values: offset } };
}

function batchNorm(call: LayerCall): TensorRef[] {
  let folded: ReturnType<typeof foldedBatchNorm> | undefined;
  const fold = () => (folded ??= foldedBatchNorm(call));
  const y = binary(call, 'Mul', call.inputs[0]!, call.derivedWeight('folded_scale', () => fold().scale), 'mul');
  return [binary(call, 'AddV2', y, call.derivedWeight('folded_offset', () => fold().offset), 'add')];
}

/** The normalised axes of a LayerNormalization, positive. */
function layerNormAxes(call: LayerCall): number[] {
  const rank = call.inputShapes[0]!.length;
  return (configNumbers(call.config, 'axis') ?? [-1]).map((a) => positiveAxis(a, rank)).sort((a, b) => a - b);
}

/** LayerNormalization as tfjs computes it: moments over the axes, then (x−μ)·rsqrt(σ²+ε)·γ + β. */
function layerNorm(call: LayerCall): TensorRef[] {
  const x = call.inputs[0]!;
  const shape = call.inputShapes[0]!;
  const axes = layerNormAxes(call);
  const reduce = (name: string, input: TensorRef) => call.op(name, 'Mean', [input, int32s(call, `${name}/axes`, axes)], {
    ...FLOAT, Tidx: attrValue.dtype('int32'), keep_dims: attrValue.bool(true),
  });
  const centered = binary(call, 'Sub', x, reduce('moments/mean', x), 'moments/sub');
  const variance = reduce('moments/variance', unary(call, 'Square', centered, 'moments/Square'));
  const inverse = unary(call, 'Rsqrt', binary(call, 'AddV2', variance, scalar(call, 'epsilon', configNumber(call.config, 'epsilon', 1e-3)), 'add'), 'Rsqrt');
  let y = binary(call, 'Mul', centered, inverse, 'mul');
  // γ and β have the shape of the normalised axes; broadcast them over the others.
  const broadcast = shape.map((d, i) => (axes.includes(i) ? d ?? -1 : 1));
  if (configBool(call.config, 'scale', true) && call.hasWeight('gamma')) y = binary(call, 'Mul', y, call.weight('gamma', broadcast), 'mul_1');
  if (configBool(call.config, 'center', true) && call.hasWeight('beta')) y = binary(call, 'AddV2', y, call.weight('beta', broadcast), 'add_1');
  return [y];
}

export const NORMALIZATION_LAYERS: LayerConverterTable = {
  BatchNormalization: { convert: batchNorm },
  LayerNormalization: {
    refuse: (info) => {
      const rank = info.inputShapes[0]!.length;
      const axes = (configNumbers(info.config, 'axis') ?? [-1]).map((a) => positiveAxis(a, rank));
      return axes.some((a) => info.inputShapes[0]![a] === null) ? 'the normalised axes must have known sizes' : undefined;
    },
    convert: layerNorm,
  },
};
