import { exportModulePlugin, type OutputModule, type SignatureTensor } from '@modelport/core';

// A research export module, registered in code (docs/export-modules.md quotes this file): it
// decodes PoseNet's heatmaps and offsets into normalised keypoints inside the exported model, so
// every runtime returns [batch, 17, 2] points and [batch, 17] scores instead of raw maps.

/** PoseNet's 17 keypoints, in the order of its heatmap channels. */
export const POSENET_KEYPOINTS = [
  'nose', 'leftEye', 'rightEye', 'leftEar', 'rightEar', 'leftShoulder', 'rightShoulder', 'leftElbow', 'rightElbow',
  'leftWrist', 'rightWrist', 'leftHip', 'rightHip', 'leftKnee', 'rightKnee', 'leftAnkle', 'rightAnkle',
];

export interface PosenetKeypointsOptions {
  /** The model output with the keypoint heatmaps [batch, h, w, K] (logits); found by name when not given. */
  readonly heatmaps?: string;
  /** The model output with the offsets [batch, h, w, 2K]: K y offsets, then K x offsets, in input pixels. */
  readonly offsets?: string;
}

const F32 = { T: { type: 'float32' } } as const;
const I32 = { type: 'int32' } as const;

export const posenetKeypoints: OutputModule<PosenetKeypointsOptions> = {
  kind: 'output',
  name: 'posenet-keypoints',
  description: 'PoseNet heatmaps and offsets → normalised keypoints [batch, K, 2] (y, x) and scores [batch, K]',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { heatmaps: { type: 'string' }, offsets: { type: 'string' } } },
  build(ctx, options, outputs) {
    const pick = (option: 'heatmaps' | 'offsets', word: string): SignatureTensor => {
      const key = options[option] ?? Object.keys(outputs).find((k) => k.includes(word));
      return (key !== undefined ? outputs[key] : undefined)
        ?? ctx.fail(`no model output ${options[option] ? `"${options[option]}"` : `named like "${word}"`}; the outputs are ${Object.keys(outputs).join(', ')}`, option);
    };
    const heatmaps = pick('heatmaps', 'heatmap');
    const offsets = pick('offsets', 'offset');
    const heatShape = heatmaps.shape ?? [];
    const [batch, h, w, k] = heatShape;
    if (heatShape.length !== 4 || !(h! > 1 && w! > 1 && k! > 0)) ctx.fail(`heatmaps must be [batch, h, w, K] with known h, w and K, not [${heatShape.join(', ')}]`, 'heatmaps');
    if (offsets.shape?.[3] !== 2 * k!) ctx.fail(`offsets must have 2 × ${k} channels, not [${offsets.shape?.join(', ')}]`, 'offsets');
    const image = Object.values(ctx.model.inputs).find((t) => t.shape?.length === 4);
    const [, height, width] = image?.shape ?? [];
    if (!(height! > 1 && width! > 1)) ctx.fail('the model needs one image input [batch, height, width, channels] of known size');
    // The grid spans the input: cell (i, j) sits at (i × stride, j × stride) input pixels.
    const strideY = (height! - 1) / (h! - 1);
    const strideX = (width! - 1) / (w! - 1);
    const cells = h! * w!;

    const { ops } = ctx;
    const int = (name: string, values: number[]) => ops.constant(name, 'int32', [values.length], values);
    const axis2 = ops.constant('axis2', 'int32', [], [2]);
    // [batch, h, w, K] → [batch, K, h·w]: one row of cells per keypoint.
    const perKeypoint = (name: string, ref: string) => ops.node(`${name}_rows`, {
      op: 'Transpose',
      inputs: [ops.node(`${name}_flat`, { op: 'Reshape', inputs: [ref, int(`${name}_shape`, [-1, cells, k!])], attrs: { ...F32, Tshape: I32 } }), int(`${name}_perm`, [0, 2, 1])],
      attrs: { ...F32, Tperm: I32 },
    });

    const heat = perKeypoint('heat', heatmaps.name);
    const best = ops.node('best_cell', { op: 'ArgMax', inputs: [heat, axis2], attrs: { ...F32, Tidx: I32, output_type: I32 } });
    const peak = ops.node('peak', { op: 'Max', inputs: [heat, axis2], attrs: { ...F32, Tidx: I32, keep_dims: { b: false } } });
    const scores = ops.node('scores', { op: 'Sigmoid', inputs: [peak], attrs: F32 });
    // One-hot of the best cell ([batch, K, h·w]) picks that cell's position and offset by a sum.
    const bestColumn = ops.node('best_column', { op: 'ExpandDims', inputs: [best, ops.constant('last', 'int32', [], [-1])], attrs: { T: I32, Tdim: I32 } });
    const isBest = ops.node('is_best', { op: 'Equal', inputs: [bestColumn, int('cell_index', Array.from({ length: cells }, (_, i) => i))], attrs: { T: I32 } });
    const mask = ops.node('mask', { op: 'Cast', inputs: [isBest], attrs: { SrcT: { type: 'bool' }, DstT: { type: 'float32' }, Truncate: { b: false } } });

    const split = ops.node('offsets_yx', { op: 'Split', inputs: [ops.constant('channel_axis', 'int32', [], [3]), offsets.name], attrs: { ...F32, num_split: { i: 2 } } });
    const coordinate = (name: string, offsetRef: string, cellPixel: (i: number) => number, size: number) => {
      const pixels = ops.node(`${name}_pixels`, {
        op: 'AddV2', inputs: [perKeypoint(`${name}_offset`, offsetRef), ops.constant(`${name}_grid`, 'float32', [cells], Array.from({ length: cells }, (_, i) => cellPixel(i)))], attrs: F32,
      });
      const picked = ops.node(`${name}_picked`, { op: 'Sum', inputs: [ops.node(`${name}_masked`, { op: 'Mul', inputs: [mask, pixels], attrs: F32 }), axis2], attrs: { ...F32, Tidx: I32, keep_dims: { b: false } } });
      return ops.node(`${name}_normalised`, { op: 'RealDiv', inputs: [picked, ops.constant(`${name}_size`, 'float32', [], [size])], attrs: F32 });
    };
    const y = coordinate('y', split, (i) => Math.floor(i / w!) * strideY, height!);
    const x = coordinate('x', ops.outputRef(split, 1), (i) => (i % w!) * strideX, width!);
    const keypoints = ops.node('keypoints', { op: 'Pack', inputs: [y, x], attrs: { ...F32, N: { i: 2 }, axis: { i: 2 } } });

    return {
      outputs: {
        keypoints: { name: keypoints, dtype: 'float32', shape: [batch!, k!, 2] },
        scores: { name: scores, dtype: 'float32', shape: [batch!, k!] },
      },
      metadata: { keypoints: k === POSENET_KEYPOINTS.length ? POSENET_KEYPOINTS : [], layout: 'y, x as fractions of the input height and width' },
    };
  },
};

export const posenetKeypointsPlugin = exportModulePlugin(posenetKeypoints, { name: 'posenet-keypoints-module', version: '0.1.0' });
