import { attrValue, GraphBuilder, seededRandom, sizeOfShape, type AttrValue, type Graph } from '@modelport/core';
import { windowAttrs } from './op-graph.js';

const fused = (ops: string[]) => ({ fused_ops: attrValue.strings(ops), num_args: attrValue.int(1) });
const noTranspose = { transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(false) };
const float = { T: attrValue.dtype('float32') };

/**
 * A small image classifier of the ops int8 models are made of: conv+bias+relu, depthwise+bias+relu6,
 * max pool, a 1×1 conv branch concatenated back, average pool, reshape, dense, softmax. Weights are
 * seeded: He-like uniform, biases small. Outputs: the logits and their softmax.
 */
export function smallConvnet(seed = 3, size = 16): Graph {
  const b = new GraphBuilder();
  const random = seededRandom(seed);
  const weight = (name: string, shape: number[], fanIn: number) => {
    const bound = Math.sqrt(6 / fanIn);
    return b.constant(name, 'float32', shape, Array.from({ length: sizeOfShape(shape) }, () => (random() * 2 - 1) * bound));
  };
  const bias = (name: string, n: number) => b.constant(name, 'float32', [n], Array.from({ length: n }, () => (random() - 0.5) * 0.2));
  const node = (name: string, op: string, inputs: string[], attrs: Record<string, AttrValue> = {}) => b.node(name, { op, inputs, attrs: { ...float, ...attrs } });

  const x = b.input('image', 'float32', [1, size, size, 3]);
  const c1 = node('conv1', '_FusedConv2D', [x, weight('conv1/w', [3, 3, 3, 8], 27), bias('conv1/b', 8)], { ...windowAttrs({}), ...fused(['BiasAdd', 'Relu']) });
  const d1 = node('dw1', 'FusedDepthwiseConv2dNative', [c1, weight('dw1/w', [3, 3, 8, 1], 9), bias('dw1/b', 8)], { ...windowAttrs({ strides: [2, 2] }), ...fused(['BiasAdd', 'Relu6']) });
  const p1 = node('pool1', 'MaxPool', [d1], windowAttrs({ ksize: [2, 2], strides: [2, 2], padding: 'VALID' }));
  const c2 = node('conv2', 'Conv2D', [p1, weight('conv2/w', [1, 1, 8, 8], 8)], windowAttrs({ padding: 'VALID' }));
  const r2 = node('relu2', 'Relu', [c2]);
  const cat = node('concat', 'ConcatV2', [p1, r2, b.constant('concat/axis', 'int32', [], [3])], { N: attrValue.int(2) });
  const p2 = node('pool2', 'AvgPool', [cat], windowAttrs({ ksize: [2, 2], strides: [2, 2], padding: 'VALID' }));
  const side = size / 8;
  const flat = node('flatten', 'Reshape', [p2, b.constant('flatten/shape', 'int32', [2], [1, side * side * 16])]);
  const logits = node('dense', '_FusedMatMul', [flat, weight('dense/w', [side * side * 16, 10], side * side * 16), bias('dense/b', 10)], { ...noTranspose, ...fused(['BiasAdd']) });
  node('probs', 'Softmax', [logits]);
  b.outputs('dense', 'probs');
  return b.build();
}
