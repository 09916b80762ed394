import { GraphBuilder, type Graph } from '@modelport/core';

const T = { T: { type: 'float32' } } as const;

/**
 * A tiny dense layer to export in a test: x [1, 4] → MatMul 4×3 + bias → Relu → y [1, 3], with
 * fixed weights and the signature serving_default (input "x", output "y").
 */
export function tinyDenseGraph(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 4]);
  const w = b.constant('dense/kernel', 'float32', [4, 3], [0.5, -0.25, 1, 0.75, 0.1, -0.5, -1, 0.3, 0.2, 0.25, -0.75, 0.6]);
  const bias = b.constant('dense/bias', 'float32', [3], [0.1, -0.2, 0.05]);
  const mm = b.node('dense/MatMul', { op: 'MatMul', inputs: [x, w], attrs: { ...T, transpose_a: { b: false }, transpose_b: { b: false } } });
  const add = b.node('dense/BiasAdd', { op: 'BiasAdd', inputs: [mm, bias], attrs: { ...T, data_format: { s: 'NHWC' } } });
  const y = b.node('y', { op: 'Relu', inputs: [add], attrs: T });
  return b.outputs(y).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [1, 4] } },
    outputs: { y: { name: 'y:0', dtype: 'float32', shape: [1, 3] } },
  }).build();
}
