import { attr } from '@modelport/core';
import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';

/** Where TFLite's NMS sees boxes without area: far from any real box, 4 apart (exact in float32 up to about a million boxes). */
const FAR_AWAY = 1e6;

/** The first `count` (an int32 scalar tensor) elements of a 1-D tensor: what TF returns unpadded. */
function firstN(c: TfliteConversion, x: TfliteTensor, count: TfliteTensor, i: number): TfliteTensor {
  const size = c.emitTemp('RESHAPE', [count, c.constant('one', 'int32', [1], Int32Array.of(1))], 'int32', [1], options('ReshapeOptions', { new_shape: [1] }));
  return c.emit('SLICE', [x, c.constant('begin', 'int32', [1], Int32Array.of(0)), size], undefined, i);
}

/**
 * The boxes [N, 4] TFLite's NMS is given. Its kernel puts a selected box back into its queue and
 * relies on the box's IoU with itself (1) to drop it the next time; a box without area has IoU 0
 * with everything, itself included, so TFLite would select it again and again up to
 * max_output_size, where TF selects it once. Such a box never suppresses nor is suppressed (TF's
 * IoU is 0 too), so each is moved to a unit box of its own far from the others: selected once,
 * and still apart from every other box. The indices NMS returns are unchanged by the move.
 */
function boxesWithArea(c: TfliteConversion, boxes: TfliteTensor): TfliteTensor {
  const n = boxes.shape[0]!;
  const f32 = (name: string, values: number[]) => c.constant(name, 'float32', [values.length], Float32Array.from(values));
  const i32 = (name: string, values: number[], shape = [values.length]) => c.constant(name, 'int32', shape, Int32Array.from(values));
  const plain = { fused_activation_function: 0 };
  const column = (name: string) => c.subgraph.tensor(`${c.node.name}/${name}`, 'float32', [n, 1]);
  const [y1, x1, y2, x2] = [column('y1'), column('x1'), column('y2'), column('x2')];
  c.subgraph.op('SPLIT', [i32('axis1', [1], []), boxes], [y1, x1, y2, x2], options('SplitOptions', { num_splits: 4 }));
  const height = c.emitTemp('SUB', [y2, y1], 'float32', [n, 1], options('SubOptions', plain));
  const width = c.emitTemp('SUB', [x2, x1], 'float32', [n, 1], options('SubOptions', plain));
  const area = c.emitTemp('MUL', [height, width], 'float32', [n, 1], options('MulOptions', plain));
  const noArea = c.emitTemp('EQUAL', [area, f32('zero', [0])], 'bool', [n, 1]);
  // Box k of its own: k · [4, 0, 4, 0] + [F, F, F + 1, F + 1].
  const shape = c.emitTemp('SHAPE', [boxes], 'int32', [2], options('ShapeOptions', { out_type: 2 }));
  const rows = c.emitTemp('STRIDED_SLICE', [shape, i32('begin', [0]), i32('end', [1]), i32('strides', [1])], 'int32', [], options('StridedSliceOptions', { shrink_axis_mask: 1 }));
  const k = c.emitTemp('RANGE', [i32('start', [0], []), rows, i32('delta', [1], [])], 'int32', [n]);
  const kColumn = c.emitTemp('RESHAPE', [c.emitTemp('CAST', [k], 'float32', [n], options('CastOptions', { in_data_type: 2, out_data_type: 0 })), i32('column', [-1, 1])], 'float32', [n, 1]);
  const spread = c.emitTemp('MUL', [kColumn, f32('spacing', [4, 0, 4, 0])], 'float32', [n, 4], options('MulOptions', plain));
  const far = c.emitTemp('ADD', [spread, f32('far', [FAR_AWAY, FAR_AWAY, FAR_AWAY + 1, FAR_AWAY + 1])], 'float32', [n, 4], options('AddOptions', plain));
  return c.emitTemp('SELECT_V2', [noArea, far, boxes], 'float32', [n, 4]);
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
  const inputs = [boxesWithArea(c, c.input(0)), c.input(1), c.input(2), c.input(3), c.input(4), ...(version === 5 ? [c.input(5)] : [])];
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
