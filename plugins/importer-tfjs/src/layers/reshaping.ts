import { attrValue, type TensorRef } from '@modelport/core';
import { configNumber, configNumbers, isChannelsFirst } from './config.js';
import type { LayerCall, LayerConverterTable, LayerInfo } from './layer-call.js';
import { expandDims, FLOAT, int32s, knownTail, reshapeKeepingBatch, transpose } from './ops.js';

/**
 * Reshape's target without the batch, -1 for the one unknown dimension (tfjs writes it as null).
 * The unknown is resolved here when the input size is known, so the shape stays a constant.
 */
function reshapeTarget(info: LayerInfo): number[] | undefined {
  const known = knownTail(info.outputShapes[0]!);
  if (known) return known;
  const raw = info.config.targetShape;
  if (!Array.isArray(raw)) return undefined;
  const target = raw.map((d) => (typeof d === 'number' && d >= 0 ? d : -1));
  const unknown = target.filter((d) => d === -1).length;
  if (unknown > 1) return undefined;
  const input = knownTail(info.inputShapes[0]!);
  if (unknown === 0 || !input) return target;
  const rest = target.reduce((a, d) => (d === -1 ? a : a * d), 1);
  return target.map((d) => (d === -1 ? input.reduce((a, b) => a * b, 1) / rest : d));
}

function flatten(call: LayerCall): TensorRef[] {
  let x = call.inputs[0]!;
  const shape = call.inputShapes[0]!;
  if (isChannelsFirst(call.config) && shape.length > 2) {
    // Keras flattens channels-first input in channels-last order.
    x = transpose(call, x, [0, ...Array.from({ length: shape.length - 2 }, (_, i) => i + 2), 1]);
  }
  const tail = knownTail(shape);
  return [reshapeKeepingBatch(call, x, [tail ? tail.reduce((a, b) => a * b, 1) : -1])];
}

export const RESHAPING_LAYERS: LayerConverterTable = {
  Reshape: {
    refuse: (info) => (reshapeTarget(info) ? undefined : 'the target shape has more than one unknown dimension'),
    convert: (call) => [reshapeKeepingBatch(call, call.inputs[0]!, reshapeTarget(call)!)],
  },
  Flatten: { convert: flatten },
  Permute: {
    convert: (call) => [transpose(call, call.inputs[0]!, [0, ...(configNumbers(call.config, 'dims') ?? [])])],
  },
  RepeatVector: {
    // [batch, features] → [batch, n, features], as tfjs's K.repeat: ExpandDims then Tile.
    convert: (call) => {
      const y = expandDims(call, call.inputs[0]!, 1);
      const multiples = int32s(call, 'Tile/multiples', [1, configNumber(call.config, 'n', 1), 1]);
      return [call.op('Tile', 'Tile', [y, multiples], { ...FLOAT, Tmultiples: attrValue.dtype('int32') })];
    },
  },
};
