import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip } from './helpers/roundtrip.js';

describe('exporter-onnx: padding', () => {
  const paddings = [0, 0, 1, 2, 2, 0, 0, 1];
  it('matches tfjs for Pad and PadV2 (constant value)', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 4, 3, 2]);
    const p = g.const('int32', [4, 2], paddings);
    const y1 = g.op('Pad', [x, p]);
    const y2 = g.op('PadV2', [x, p, g.const('float32', [], [-1.5])]);
    expectClose(await roundTrip(g.build(y1, y2), { x: random('float32', [1, 4, 3, 2]) }));
  });

  for (const mode of ['REFLECT', 'SYMMETRIC']) {
    it(`matches tfjs for MirrorPad ${mode}`, async () => {
      const g = new TinyGraph();
      const x = g.input('x', [1, 4, 3, 2]);
      const y = g.op('MirrorPad', [x, g.const('int32', [4, 2], paddings)], { mode: a.string(mode) });
      expectClose(await roundTrip(g.build(y), { x: random('float32', [1, 4, 3, 2]) }));
    });
  }

  it('matches tfjs for Pad with paddings computed at run time', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [-1, 3]);
    const n = g.op('StridedSlice', [g.op('Shape', [x], { out_type: a.dtype('int32') }), g.const('int32', [1], [0]), g.const('int32', [1], [1]), g.const('int32', [1], [1])], { shrink_axis_mask: a.int(1) });
    const missing = g.op('Sub', [g.const('int32', [], [5]), n]);
    const row = g.op('Pack', [g.const('int32', [], [0]), missing], { axis: a.int(0) });
    const p = g.op('Pack', [row, g.const('int32', [2], [1, 0])], { axis: a.int(0) });
    const y = g.op('Pad', [x, p]);
    expectClose(await roundTrip(g.build(y), { x: random('float32', [2, 3]) }));
  });
});
