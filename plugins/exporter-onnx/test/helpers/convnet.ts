import type { Graph, TensorData } from '@modelport/core';
import { a, TinyGraph } from './build.js';
import { random } from './roundtrip.js';

const conv = (padding: string, stride = 1) => ({
  padding: a.string(padding), strides: a.ints([1, stride, stride, 1]), dilations: a.ints([1, 1, 1, 1]), data_format: a.string('NHWC'),
});
const fused = (ops: string[]) => ({ fused_ops: a.strings(ops), num_args: a.int(1), epsilon: a.float(0) });

/**
 * A small image classifier in the shape int8 models take: conv + ReLU, depthwise + ReLU6,
 * pointwise conv, max pool, a residual Add, global mean, a fully connected layer and softmax.
 * Weights are scaled as a trained network's are (He-like), so activations stay in range.
 */
export function smallConvnet(size = 32, width = 16): Graph {
  const g = new TinyGraph();
  const he = (fanIn: number) => Math.sqrt(6 / fanIn);
  const x = g.input('x', [1, size, size, 3]);
  const c1 = g.op('_FusedConv2D', [x, g.weight([3, 3, 3, width], -he(27), he(27)), g.weight([width], -0.1, 0.1)], { ...conv('SAME', 2), ...fused(['BiasAdd', 'Relu']) }, 'conv1');
  const d1 = g.op('FusedDepthwiseConv2dNative', [c1, g.weight([3, 3, width, 1], -he(9), he(9)), g.weight([width], -0.1, 0.1)], { ...conv('SAME'), ...fused(['BiasAdd', 'Relu6']) }, 'dw1');
  const c2 = g.op('_FusedConv2D', [d1, g.weight([1, 1, width, 2 * width], -he(width), he(width)), g.weight([2 * width], -0.1, 0.1)], { ...conv('VALID'), ...fused(['BiasAdd', 'Relu']) }, 'conv2');
  const p = g.op('MaxPool', [c2], { ksize: a.ints([1, 2, 2, 1]), strides: a.ints([1, 2, 2, 1]), padding: a.string('VALID'), data_format: a.string('NHWC') }, 'pool');
  const c3 = g.op('_FusedConv2D', [p, g.weight([3, 3, 2 * width, 2 * width], -he(18 * width), he(18 * width)), g.weight([2 * width], -0.1, 0.1)], { ...conv('SAME'), ...fused(['BiasAdd', 'Relu']) }, 'conv3');
  const sum = g.op('AddV2', [c3, p], {}, 'residual');
  const m = g.op('Mean', [sum, g.const('int32', [2], [1, 2])], { keep_dims: a.bool(false) }, 'gap');
  const fc = g.op('_FusedMatMul', [m, g.weight([2 * width, 10], -he(2 * width), he(2 * width)), g.weight([10], -0.1, 0.1)], { transpose_a: a.bool(false), transpose_b: a.bool(false), ...fused(['BiasAdd']) }, 'fc');
  const sm = g.op('Softmax', [fc], {}, 'softmax');
  return g.build(sm);
}

/** Image-like samples in [0, 1). */
export function imageSamples(count: number, size = 32, seed = 100): Record<string, TensorData>[] {
  return Array.from({ length: count }, (_, i) => ({ x: random('float32', [1, size, size, 3], seed + i) }));
}
