import { attr } from '@modelport/core';
import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';

/** The first `count` (an int32 scalar tensor) elements of a 1-D tensor: what TF returns unpadded. */
function firstN(c: TfliteConversion, x: TfliteTensor, count: TfliteTensor, i: number): TfliteTensor {
  const size = c.emitTemp('RESHAPE', [count, c.constant('one', 'int32', [1], Int32Array.of(1))], 'int32', [1], options('ReshapeOptions', { new_shape: [1] }));
  return c.emit('SLICE', [x, c.constant('begin', 'int32', [1], Int32Array.of(0)), size], undefined, i);
}

/**
 * NonMaxSuppressionV3/V4/V5 as TFLite's NON_MAX_SUPPRESSION_V4/V5, which always pad to
 * max_output_size (with zeros, as TF) and count the valid outputs; unless TF pads too, the
 * outputs are then cut to that count. V3 has no count output; V5 also gives the scores (soft NMS
 * with a sigma other than 0 included, which TFLite has too).
 */
const nms = (version: 3 | 4 | 5): TfliteOpConverter => (c) => {
  const maxOut = c.ints(2, 'max_output_size')[0]!;
  const padded = version >= 4 && attr.bool(c.node, 'pad_to_max_output_size', false);
  const tensor = (suffix: string, dtype: 'int32' | 'float32', shape: number[]) => c.subgraph.tensor(`${c.node.name}/${suffix}`, dtype, shape);
  const indices = tensor('padded_indices', 'int32', [maxOut]);
  const scores = version === 5 ? [tensor('padded_scores', 'float32', [maxOut])] : [];
  const valid = tensor('valid', 'int32', []);
  const inputs = [c.input(0), c.input(1), c.input(2), c.input(3), c.input(4), ...(version === 5 ? [c.input(5)] : [])];
  c.subgraph.op(version === 5 ? 'NON_MAX_SUPPRESSION_V5' : 'NON_MAX_SUPPRESSION_V4', inputs, [indices, ...scores, valid],
    options(version === 5 ? 'NonMaxSuppressionV5Options' : 'NonMaxSuppressionV4Options'));
  const selected = [indices, ...scores].map((t, i) => (padded ? t : firstN(c, t, valid, i)));
  return version === 3 ? selected : [...selected, valid];
};

/** Where(x): TFLite's WHERE gives int64 coordinates; the IR (as tfjs) computes in int32. */
const where: TfliteOpConverter = (c) => {
  const out = c.out();
  const coords = c.subgraph.tensor(`${c.node.name}/int64`, 'int64', out.shape, { shapeSignature: out.shape.map(() => -1) });
  c.subgraph.op('WHERE', [c.input(0)], [coords], options('WhereOptions'));
  return c.emit('CAST', [coords], options('CastOptions', { in_data_type: 4, out_data_type: 2 }));
};

export const nmsOps: TfliteOpTable = {
  NonMaxSuppressionV3: nms(3),
  NonMaxSuppressionV4: nms(4),
  NonMaxSuppressionV5: nms(5),
  Where: where,
};
