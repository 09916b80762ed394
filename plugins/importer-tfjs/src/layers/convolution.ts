import { attrValue, type AttrValue, type TensorRef } from '@modelport/core';
import { activationOf, applyActivation, refuseActivation } from './activation-functions.js';
import { channelsFirstOutput, channelsLastInput, spatialDims } from './channels.js';
import { configNumber, configString, configTuple, isChannelsFirst, tfPadding } from './config.js';
import type { LayerCall, LayerConverterTable, LayerInfo } from './layer-call.js';
import { biasAdd, concat, dynamicDims, expandDims, FLOAT, int32s, squeeze } from './ops.js';

/** The attributes TensorFlow writes on Conv2D and DepthwiseConv2dNative, all read by tfjs. */
function convAttrs(strides: readonly number[], padding: string, dilations: readonly number[]): Record<string, AttrValue> {
  return {
    ...FLOAT,
    strides: attrValue.ints([1, strides[0]!, strides[1]!, 1]),
    padding: attrValue.string(padding),
    dilations: attrValue.ints([1, dilations[0]!, dilations[1]!, 1]),
    data_format: attrValue.string('NHWC'),
    explicit_paddings: attrValue.ints([]),
    use_cudnn_on_gpu: attrValue.bool(true),
  };
}

/** Bias, back to the layer's layout, then the activation (softmax must see the layer's last axis). */
function finish(call: LayerCall, y: TensorRef): TensorRef[] {
  return [applyActivation(call, channelsFirstOutput(call, biasAdd(call, y)), activationOf(call.config))];
}

function refuseConv(info: LayerInfo): string | undefined {
  return refuseActivation(activationOf(info.config));
}

function conv2d(call: LayerCall): TensorRef[] {
  const x = channelsLastInput(call, call.inputs[0]!);
  const attrs = convAttrs(configTuple(call.config, 'strides', 2, 1), tfPadding(call.config), configTuple(call.config, 'dilationRate', 2, 1));
  return finish(call, call.op('Conv2D', 'Conv2D', [x, call.weight('kernel')], attrs));
}

/** Conv1D as TensorFlow runs it: a 1×k Conv2D on [batch, 1, width, channels]. */
function conv1d(call: LayerCall): TensorRef[] {
  let x = call.inputs[0]!;
  const kernel = call.weightValues('kernel').shape;
  const [stride] = configTuple(call.config, 'strides', 1, 1);
  const [dilation] = configTuple(call.config, 'dilationRate', 1, 1);
  let padding = tfPadding(call.config);
  if (configString(call.config, 'padding', 'valid') === 'causal') {
    // Causal: pad the start of the sequence only, so output t sees inputs ≤ t.
    const before = (kernel[0]! - 1) * dilation!;
    x = call.op('Pad', 'Pad', [x, call.constant('Pad/paddings', 'int32', [3, 2], [0, 0, before, 0, 0, 0])], { ...FLOAT, Tpaddings: attrValue.dtype('int32') });
    padding = 'VALID';
  }
  const y = call.op('Conv2D', 'Conv2D', [expandDims(call, x, 1, 'ExpandDims'), call.weight('kernel', [1, ...kernel])], convAttrs([1, stride!], padding, [1, dilation!]));
  return finish(call, squeeze(call, y, [1], 'Squeeze'));
}

function depthwise(call: LayerCall, x: TensorRef, dilations: readonly number[]): TensorRef {
  const attrs = convAttrs(configTuple(call.config, 'strides', 2, 1), tfPadding(call.config), dilations);
  return call.op('depthwise', 'DepthwiseConv2dNative', [x, call.weight('depthwise_kernel')], attrs);
}

function separableConv2d(call: LayerCall): TensorRef[] {
  const x = channelsLastInput(call, call.inputs[0]!);
  const dw = depthwise(call, x, configTuple(call.config, 'dilationRate', 2, 1));
  const pw = call.op('pointwise', 'Conv2D', [dw, call.weight('pointwise_kernel')], convAttrs([1, 1], 'VALID', [1, 1]));
  return finish(call, pw);
}

/** Conv2DTranspose needs its output size; the batch is read at run time unless the model fixes it. */
function conv2dTranspose(call: LayerCall): TensorRef[] {
  const x = channelsLastInput(call, call.inputs[0]!);
  const out = call.outputShapes[0]!;
  const [height, width] = spatialDims(call, out) as [number, number];
  const filters = configNumber(call.config, 'filters', call.weightValues('kernel').shape[2]!);
  const sizes = out[0] !== null
    ? int32s(call, 'input_sizes', [out[0]!, height, width, filters])
    : concat(call, [dynamicDims(call, x, 0, 1, 'input_sizes/batch'), int32s(call, 'input_sizes/hwc', [height, width, filters])], 0, 'input_sizes', 'int32');
  const attrs = convAttrs(configTuple(call.config, 'strides', 2, 1), tfPadding(call.config), [1, 1]);
  return finish(call, call.op('conv2d_transpose', 'Conv2DBackpropInput', [sizes, call.weight('kernel'), x], attrs));
}

function hasDilation(info: LayerInfo): boolean {
  return configTuple(info.config, 'dilationRate', 2, 1).some((d) => d !== 1);
}

export const CONVOLUTION_LAYERS: LayerConverterTable = {
  Conv1D: { refuse: refuseConv, convert: conv1d },
  Conv2D: { refuse: refuseConv, convert: conv2d },
  DepthwiseConv2D: {
    // tfjs runs DepthwiseConv2D without its dilation_rate, so the loaded model is not Keras's.
    refuse: (info) => (hasDilation(info) ? 'dilation_rate ≠ 1, which tfjs ignores for DepthwiseConv2D' : refuseConv(info)),
    convert: (call) => finish(call, depthwise(call, channelsLastInput(call, call.inputs[0]!), [1, 1])),
  },
  SeparableConv2D: { refuse: refuseConv, convert: separableConv2d },
  Conv2DTranspose: {
    refuse: (info) => {
      if (hasDilation(info)) return 'dilation_rate ≠ 1, which tfjs ignores for Conv2DTranspose';
      const spatial = isChannelsFirst(info.config) ? info.outputShapes[0]!.slice(2) : info.outputShapes[0]!.slice(1, 3);
      if (spatial.some((d) => d === null)) return 'the output height and width must be known (give the input a fixed size)';
      return refuseConv(info);
    },
    convert: conv2dTranspose,
  },
};
