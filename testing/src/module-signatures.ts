import { exportModulePlugin, GraphBuilder, type ExportModule, type Graph } from '@modelport/core';

const T = { T: { type: 'float32' } } as const;
const SIDE = 8;

/**
 * A small image classifier to compose signatures around: x [-1, 8, 8, 3] float → 3×3 conv (4
 * channels) → Relu → mean over H/W → dense → logits [-1, 5]; fixed weights, signature
 * serving_default.
 */
export function smallImageClassifier(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, SIDE, SIDE, 3]);
  const kernel = b.constant('conv/kernel', 'float32', [3, 3, 3, 4], Float32Array.from({ length: 108 }, (_, i) => Math.sin(i * 0.7) * 0.5));
  const conv = b.node('conv', { op: 'Conv2D', inputs: [x, kernel], attrs: { ...T, padding: { s: 'SAME' }, strides: { list: { i: [1, 1, 1, 1] } }, dilations: { list: { i: [1, 1, 1, 1] } }, data_format: { s: 'NHWC' } } });
  const relu = b.node('relu', { op: 'Relu', inputs: [conv], attrs: T });
  const axes = b.constant('pool/axes', 'int32', [2], [1, 2]);
  const pool = b.node('pool', { op: 'Mean', inputs: [relu, axes], attrs: { ...T, Tidx: { type: 'int32' }, keep_dims: { b: false } } });
  const w = b.constant('dense/kernel', 'float32', [4, 5], Float32Array.from({ length: 20 }, (_, i) => Math.cos(i * 1.3)));
  const logits = b.node('logits', { op: 'MatMul', inputs: [pool, w], attrs: { ...T, transpose_a: { b: false }, transpose_b: { b: false } } });
  return b.outputs(logits).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [-1, SIDE, SIDE, 3] } },
    outputs: { logits: { name: 'logits:0', dtype: 'float32', shape: [-1, 5] } },
  }).build();
}

/**
 * Input stage: uint8 pixels [-1, H, W, 3] (H and W open unless options fix them) → float → bilinear
 * resize (half-pixel centres) to the model's input size → /255, fed to the model's one input.
 */
export const pixelsModule: ExportModule<{ height?: number; width?: number }> = {
  kind: 'input', name: 'pixels',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { height: { type: 'integer', minimum: 1 }, width: { type: 'integer', minimum: 1 } } },
  build(ctx, o) {
    const [key, modelInput] = Object.entries(ctx.model.inputs)[0] ?? ctx.fail('the model has no input');
    const shape = modelInput.shape;
    if (!shape || shape.length !== 4 || shape[1]! < 0 || shape[2]! < 0) ctx.fail(`model input "${key}" must be [batch, H, W, C] with known H and W`);
    const open = o.height === undefined || o.width === undefined;
    const image = ctx.ops.input('image', 'uint8', open ? [-1, -1, -1, 3] : [1, o.height!, o.width!, 3]);
    const float = ctx.ops.node('to_float', { op: 'Cast', inputs: [image], attrs: { SrcT: { type: 'uint8' }, DstT: { type: 'float32' }, Truncate: { b: false } } });
    const size = ctx.ops.constant('size', 'int32', [2], [shape![1]!, shape![2]!]);
    const resized = ctx.ops.node('resize', { op: 'ResizeBilinear', inputs: [float, size], attrs: { ...T, align_corners: { b: false }, half_pixel_centers: { b: true } } });
    const scale = ctx.ops.constant('scale', 'float32', [], [255]);
    return { feeds: { [key]: ctx.ops.node('normalised', { op: 'RealDiv', inputs: [resized, scale], attrs: T }) } };
  },
};

/** Output stage: the model's logits as probabilities (Softmax) and the best class (ArgMax), in that order. */
export const classesModule: ExportModule = {
  kind: 'output', name: 'classes',
  build(ctx, _o, outputs) {
    const logits = outputs.logits ?? ctx.fail('the model has no output "logits"');
    const probabilities = ctx.ops.node('softmax', { op: 'Softmax', inputs: [logits.name], attrs: T });
    const axis = ctx.ops.constant('axis', 'int32', [], [1]);
    const best = ctx.ops.node('argmax', { op: 'ArgMax', inputs: [logits.name, axis], attrs: { ...T, Tidx: { type: 'int32' }, output_type: { type: 'int32' } } });
    return {
      outputs: { probabilities: { name: probabilities, dtype: 'float32', shape: [-1, 5] }, class: { name: best, dtype: 'int32', shape: [-1] } },
      metadata: { labels: ['a', 'b', 'c', 'd', 'e'] },
    };
  },
};

/** The two stages above as plugins, for runPipeline's `plugins`. */
export const moduleSignaturePlugins = [
  exportModulePlugin(pixelsModule, { name: 'test-module-pixels', version: '0.0.0' }),
  exportModulePlugin(classesModule, { name: 'test-module-classes', version: '0.0.0' }),
] as const;
