import { GraphBuilder } from '../graph/builder.js';
import type { Graph } from '../graph/types.js';
import { seededRandom } from '../tensors/tensor-data.js';

const T = { T: { type: 'float32' } };

function weights(count: number, seed: number, scale: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => (random() * 2 - 1) * scale);
}

/**
 * A small image classifier of the ops int8 kernels cover: x [1, 16, 16, 3] → conv 3×3×8 (bias,
 * ReLU) → depthwise 3×3 (bias, ReLU6) → max pool 2×2 → conv 1×1×16 (bias) → ReLU → concat with
 * itself → mean over H, W → matmul 32×10 (bias) → softmax. Seeded weights.
 */
export function smallConvNet(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 16, 16, 3]);
  const conv = (name: string, input: string, kh: number, ci: number, co: number, act: string | undefined, seed: number) => {
    const w = b.constant(`${name}/filter`, 'float32', [kh, kh, ci, co], weights(kh * kh * ci * co, seed, 0.5));
    const bias = b.constant(`${name}/bias`, 'float32', [co], weights(co, seed + 1, 0.1));
    return b.node(name, {
      op: '_FusedConv2D', inputs: [input, w, bias],
      attrs: { ...T, strides: { list: { i: [1, 1, 1, 1] } }, padding: { s: 'SAME' }, data_format: { s: 'NHWC' }, dilations: { list: { i: [1, 1, 1, 1] } }, fused_ops: { list: { s: act ? ['BiasAdd', act] : ['BiasAdd'] } }, num_args: { i: 1 }, epsilon: { f: 0 } },
    });
  };
  const c1 = conv('conv1', x, 3, 3, 8, 'Relu', 1);
  const dw = b.constant('dw/filter', 'float32', [3, 3, 8, 1], weights(72, 3, 0.5));
  const dwb = b.constant('dw/bias', 'float32', [8], weights(8, 4, 0.1));
  const d1 = b.node('dw', {
    op: 'FusedDepthwiseConv2dNative', inputs: [c1, dw, dwb],
    attrs: { ...T, strides: { list: { i: [1, 1, 1, 1] } }, padding: { s: 'SAME' }, data_format: { s: 'NHWC' }, dilations: { list: { i: [1, 1, 1, 1] } }, fused_ops: { list: { s: ['BiasAdd', 'Relu6'] } }, num_args: { i: 1 } },
  });
  const pool = b.node('pool', { op: 'MaxPool', inputs: [d1], attrs: { ...T, ksize: { list: { i: [1, 2, 2, 1] } }, strides: { list: { i: [1, 2, 2, 1] } }, padding: { s: 'VALID' }, data_format: { s: 'NHWC' } } });
  const c2 = conv('conv2', pool, 1, 8, 16, undefined, 5);
  const relu = b.node('relu', { op: 'Relu', inputs: [c2], attrs: T });
  const axis = b.constant('concat/axis', 'int32', [], [3]);
  const cat = b.node('concat', { op: 'ConcatV2', inputs: [relu, c2, axis], attrs: { ...T, N: { i: 2 }, Tidx: { type: 'int32' } } });
  const axes = b.constant('mean/axes', 'int32', [2], [1, 2]);
  const mean = b.node('mean', { op: 'Mean', inputs: [cat, axes], attrs: { ...T, keep_dims: { b: false }, Tidx: { type: 'int32' } } });
  const fw = b.constant('fc/weights', 'float32', [32, 10], weights(320, 6, 0.5));
  const fb = b.constant('fc/bias', 'float32', [10], weights(10, 7, 0.1));
  const fc = b.node('fc', { op: '_FusedMatMul', inputs: [mean, fw, fb], attrs: { ...T, transpose_a: { b: false }, transpose_b: { b: false }, fused_ops: { list: { s: ['BiasAdd'] } }, num_args: { i: 1 }, epsilon: { f: 0 } } });
  const probs = b.node('probs', { op: 'Softmax', inputs: [fc], attrs: T });
  return b.outputs(probs).signature('serving_default', {
    inputs: { image: { name: 'x:0', dtype: 'float32', shape: [1, 16, 16, 3] } },
    outputs: { probs: { name: 'probs:0', dtype: 'float32', shape: [1, 10] } },
  }).build();
}
