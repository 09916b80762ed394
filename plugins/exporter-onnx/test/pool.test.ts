import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip } from './helpers/roundtrip.js';

describe('exporter-onnx: pooling', () => {
  for (const op of ['MaxPool', 'AvgPool']) {
    for (const [padding, ksize, strides, size] of [
      ['SAME', 3, 2, [1, 9, 7, 3]],
      ['SAME', 2, 2, [1, 5, 5, 2]],
      ['VALID', 3, 2, [2, 10, 9, 3]],
      ['VALID', 2, 1, [1, 4, 6, 1]],
    ] as const) {
      it(`matches tfjs for ${op} ${padding} ${ksize}×${ksize} stride ${strides} on [${size}] (padding left out of averages)`, async () => {
        const g = new TinyGraph();
        const x = g.input('x', size);
        const y = g.op(op, [x], { ksize: a.ints([1, ksize, ksize, 1]), strides: a.ints([1, strides, strides, 1]), padding: a.string(padding), data_format: a.string('NHWC') });
        expectClose(await roundTrip(g.build(y), { x: random('float32', size, 5, 2, -1) }));
      });
    }
  }
});
