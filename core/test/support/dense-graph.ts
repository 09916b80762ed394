import { GraphBuilder, type Graph } from '../../src/index.js';

const T = { T: { type: 'float32' } } as const;

/** y = relu(x · W), x [-1, 2], W fixed: a model small enough to compose signatures around by hand. */
export function denseGraph(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 2]);
  const w = b.constant('w', 'float32', [2, 2], [1, -1, 2, 1]);
  const mm = b.node('mm', { op: 'MatMul', inputs: [x, w], attrs: { ...T, transpose_a: { b: false }, transpose_b: { b: false } } });
  const y = b.node('y', { op: 'Relu', inputs: [mm], attrs: T });
  return b.outputs(y).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [-1, 2] } },
    outputs: { y: { name: 'y:0', dtype: 'float32', shape: [-1, 2] } },
  }).build();
}
