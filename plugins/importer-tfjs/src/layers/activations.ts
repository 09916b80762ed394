import { attrValue } from '@modelport/core';
import { activationOf, applyActivation, leakyRelu, refuseActivation } from './activation-functions.js';
import { configNumber, configNumbers, configOptionalNumber, positiveAxis } from './config.js';
import type { LayerCall, LayerConverterTable, LayerInfo } from './layer-call.js';
import { binary, FLOAT, scalar, transpose, unary } from './ops.js';

function softmaxAxis(info: LayerInfo): number[] | undefined {
  // tfjs's Softmax layer defaults to axis 1 (not Keras's -1).
  return configNumbers(info.config, 'axis') ?? [1];
}

function softmaxLayer(call: LayerCall) {
  const x = call.inputs[0]!;
  const rank = call.inputShapes[0]!.length;
  const axis = positiveAxis(softmaxAxis(call)![0]!, rank);
  if (axis === rank - 1) return [unary(call, 'Softmax', x)];
  // TensorFlow's Softmax works on the last axis: swap the axis there and back.
  const perm = [...Array(rank).keys()];
  perm[axis] = rank - 1;
  perm[rank - 1] = axis;
  const y = unary(call, 'Softmax', transpose(call, x, perm, 'transpose'));
  return [transpose(call, y, perm, 'transpose_1')];
}

export const ACTIVATION_LAYERS: LayerConverterTable = {
  Activation: {
    refuse: (info) => refuseActivation(activationOf(info.config)),
    convert: (call) => [applyActivation(call, call.inputs[0]!, activationOf(call.config))],
  },
  ReLU: {
    // tfjs's ReLU has max_value only (no threshold or negative_slope): clip(relu(x), 0, max).
    convert: (call) => {
      const max = configOptionalNumber(call.config, 'maxValue');
      if (max === 6) return [unary(call, 'Relu6', call.inputs[0]!)];
      const y = unary(call, 'Relu', call.inputs[0]!);
      return [max === undefined ? y : binary(call, 'Minimum', y, scalar(call, 'max_value', max))];
    },
  },
  LeakyReLU: {
    convert: (call) => [leakyRelu(call, call.inputs[0]!, configNumber(call.config, 'alpha', 0.3))],
  },
  PReLU: {
    // alpha has the input's shape without the batch (1 on shared axes): it broadcasts as it is.
    convert: (call) => [call.op('Prelu', 'Prelu', [call.inputs[0]!, call.weight('alpha')], FLOAT)],
  },
  ELU: {
    // tfjs refuses alpha ≠ 1 when it builds the layer; a config that slipped through is refused here.
    refuse: (info) => (configNumber(info.config, 'alpha', 1) === 1 ? undefined : 'ELU with alpha ≠ 1 is not supported'),
    convert: (call) => [unary(call, 'Elu', call.inputs[0]!)],
  },
  ThresholdedReLU: {
    convert: (call) => {
      const x = call.inputs[0]!;
      const above = call.op('Greater', 'Greater', [x, scalar(call, 'theta', configNumber(call.config, 'theta', 1))], FLOAT);
      const mask = call.op('Cast', 'Cast', [above], { SrcT: attrValue.dtype('bool'), DstT: attrValue.dtype('float32'), Truncate: attrValue.bool(false) });
      return [binary(call, 'Mul', x, mask)];
    },
  },
  Softmax: {
    refuse: (info) => ((softmaxAxis(info)?.length ?? 0) === 1 ? undefined : 'Softmax over several axes is not supported'),
    convert: (call) => softmaxLayer(call),
  },
};
