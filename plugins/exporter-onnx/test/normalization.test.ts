import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip } from './helpers/roundtrip.js';

describe('exporter-onnx: normalization', () => {
  it('matches tfjs for FusedBatchNormV3 (inference) on NHWC', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [-1, 5, 4, 3]);
    const [scale, offset, mean] = [g.weight([3]), g.weight([3]), g.weight([3])];
    const variance = g.weight([3], 0.2, 2);
    const y = g.op('FusedBatchNormV3', [x, scale, offset, mean, variance], {
      T: a.dtype('float32'), U: a.dtype('float32'), epsilon: a.float(0.001), is_training: a.bool(false), data_format: a.string('NHWC'),
    });
    expectClose(await roundTrip(g.build(y), { x: random('float32', [2, 5, 4, 3], 7, 2, -1) }));
  });
});
