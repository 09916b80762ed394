import type { TensorRef } from '@modelport/core';
import { configNumber, positiveAxis } from './config.js';
import type { LayerCall, LayerConverter, LayerConverterTable } from './layer-call.js';
import { binary, concat, expandDims, scalar } from './ops.js';

/**
 * Inputs of lower rank get size-1 axes inserted at 1 until all ranks agree, as tfjs's Merge does
 * before an elementwise op (so [b, c] meets [b, h, w, c] as [b, 1, 1, c]).
 */
function sameRank(call: LayerCall): TensorRef[] {
  const ranks = call.inputShapes.map((s) => s.length);
  const max = Math.max(...ranks);
  return call.inputs.map((x, i) => {
    let y = x;
    for (let k = ranks[i]!; k < max; k++) y = expandDims(call, y, 1, `ExpandDims_${i}`);
    return y;
  });
}

/** A left fold of a binary op over the inputs: ((a ∘ b) ∘ c) …, the order tfjs uses. */
function chain(call: LayerCall, op: string, name: string): TensorRef {
  const [first, ...rest] = sameRank(call);
  return rest.reduce((acc, x) => binary(call, op, acc, x, name), first!);
}

const elementwise = (op: string, name: string): LayerConverter => ({ convert: (call) => [chain(call, op, name)] });

export const MERGE_LAYERS: LayerConverterTable = {
  Add: elementwise('AddV2', 'add'),
  Multiply: elementwise('Mul', 'mul'),
  Maximum: elementwise('Maximum', 'Maximum'),
  Minimum: elementwise('Minimum', 'Minimum'),
  // Keras has Subtract; tfjs does not ship one, but a model that registers it converts.
  Subtract: {
    refuse: (info) => (info.inputShapes.length === 2 ? undefined : `Subtract needs exactly 2 inputs, got ${info.inputShapes.length}`),
    convert: (call) => [chain(call, 'Sub', 'sub')],
  },
  Average: {
    convert: (call) => [binary(call, 'Mul', scalar(call, 'scale', 1 / call.inputs.length), chain(call, 'AddV2', 'add'), 'mul')],
  },
  Concatenate: {
    convert: (call) => {
      const rank = call.outputShapes[0]!.length;
      return [concat(call, call.inputs, positiveAxis(configNumber(call.config, 'axis', -1), rank), 'concat')];
    },
  },
};
