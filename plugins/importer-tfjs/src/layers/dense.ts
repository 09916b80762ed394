import { attrValue, type TensorRef } from '@modelport/core';
import { activationOf, applyActivation, refuseActivation } from './activation-functions.js';
import type { LayerCall, LayerConverterTable } from './layer-call.js';
import { biasAdd, concat, dynamicDims, FLOAT, int32s, knownTail, reshapeWith } from './ops.js';

/**
 * MatMul is 2-D in TensorFlow, so a Dense on [batch, …, features] flattens the leading dimensions
 * first and restores them after, as tfjs's K.dot and Keras's Tensordot do.
 */
function dense(call: LayerCall): TensorRef[] {
  const x = call.inputs[0]!;
  const rank = call.inputShapes[0]!.length;
  const [inputDim, units] = call.weightValues('kernel').shape as [number, number];
  const flat = rank > 2 ? reshapeWith(call, x, int32s(call, 'Tensordot/shape', [-1, inputDim]), 'Tensordot/Reshape') : x;
  let y = call.op('MatMul', 'MatMul', [flat, call.weight('kernel')], { ...FLOAT, transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(false) });
  if (rank > 2) {
    const tail = knownTail(call.outputShapes[0]!);
    const shape = tail
      ? int32s(call, 'Tensordot/output_shape', [-1, ...tail])
      : concat(call, [dynamicDims(call, x, 0, -1, 'Tensordot/lead'), int32s(call, 'Tensordot/units', [units])], 0, 'Tensordot/output_shape', 'int32');
    y = reshapeWith(call, y, shape, 'Tensordot');
  }
  return [applyActivation(call, biasAdd(call, y), activationOf(call.config))];
}

export const DENSE_LAYERS: LayerConverterTable = {
  Dense: {
    refuse: (info) => refuseActivation(activationOf(info.config)),
    convert: dense,
  },
};
