import { attrValue, type TensorRef } from '@modelport/core';
import { channelsFirstOutput, channelsLastInput } from './channels.js';
import { configBool, configTuple, isChannelsFirst, tfPadding } from './config.js';
import type { LayerCall, LayerConverter, LayerConverterTable } from './layer-call.js';
import { expandDims, FLOAT, int32s, squeeze } from './ops.js';

function poolAttrs(call: LayerCall, rank: 1 | 2) {
  const size = configTuple(call.config, 'poolSize', rank, 2);
  // Keras: strides default to the pool size.
  const strides = call.config.strides == null ? size : configTuple(call.config, 'strides', rank, 1);
  const [kh, kw, sh, sw] = rank === 2 ? [size[0]!, size[1]!, strides[0]!, strides[1]!] : [size[0]!, 1, strides[0]!, 1];
  return {
    ...FLOAT,
    ksize: attrValue.ints([1, kh, kw, 1]),
    strides: attrValue.ints([1, sh, sw, 1]),
    padding: attrValue.string(tfPadding(call.config)),
    data_format: attrValue.string('NHWC'),
  };
}

function pool2d(op: 'MaxPool' | 'AvgPool'): LayerConverter {
  return {
    convert: (call) => {
      const x = channelsLastInput(call, call.inputs[0]!);
      return [channelsFirstOutput(call, call.op(op, op, [x], poolAttrs(call, 2)))];
    },
  };
}

/** 1-D pooling as tfjs runs it: on [batch, steps, 1, channels]. */
function pool1d(op: 'MaxPool' | 'AvgPool'): LayerConverter {
  return {
    convert: (call) => {
      const y = call.op(op, op, [expandDims(call, call.inputs[0]!, 2)], poolAttrs(call, 1));
      return [squeeze(call, y, [2])];
    },
  };
}

function globalPool(op: 'Mean' | 'Max', spatialRank: 1 | 2): LayerConverter {
  return {
    convert: (call) => {
      // tfjs's 1-D global pooling always reduces axis 1; the 2-D ones follow data_format.
      const axes = spatialRank === 1 ? [1] : isChannelsFirst(call.config) ? [2, 3] : [1, 2];
      const keepDims = configBool(call.config, 'keepdims', configBool(call.config, 'keepDims', false));
      const reduced: TensorRef = call.op(op, op, [call.inputs[0]!, int32s(call, `${op}/reduction_indices`, axes)], {
        ...FLOAT, Tidx: attrValue.dtype('int32'), keep_dims: attrValue.bool(keepDims),
      });
      return [reduced];
    },
  };
}

export const POOLING_LAYERS: LayerConverterTable = {
  MaxPooling1D: pool1d('MaxPool'),
  AveragePooling1D: pool1d('AvgPool'),
  MaxPooling2D: pool2d('MaxPool'),
  AveragePooling2D: pool2d('AvgPool'),
  GlobalAveragePooling1D: globalPool('Mean', 1),
  GlobalMaxPooling1D: globalPool('Max', 1),
  GlobalAveragePooling2D: globalPool('Mean', 2),
  GlobalMaxPooling2D: globalPool('Max', 2),
};
