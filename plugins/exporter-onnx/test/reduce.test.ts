import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip } from './helpers/roundtrip.js';

describe('exporter-onnx: reductions', () => {
  for (const opset of [17, 18]) {
    for (const keep of [false, true]) {
      it(`matches tfjs for Mean/Sum/Max/Min/Prod over negative and positive axes, keep_dims ${keep}, opset ${opset}`, async () => {
        const g = new TinyGraph();
        const x = g.input('x', [2, 3, 4]);
        const axes = g.const('int32', [2], [-1, 0]);
        const outs = ['Mean', 'Sum', 'Max', 'Min', 'Prod'].map((op) => g.op(op, [x, axes], { keep_dims: a.bool(keep) }));
        const none = g.op('Sum', [x, g.const('int32', [0], [])], { keep_dims: a.bool(keep) });
        expectClose(await roundTrip(g.build(...outs, none), { x: random('float32', [2, 3, 4], 3, 2, 0.2) }, { opset }));
      });
    }
  }

  it('matches tfjs for ArgMax / ArgMin and All / Any', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [3, 5]);
    const am = g.op('ArgMax', [x, g.const('int32', [], [-1])], { output_type: a.dtype('int32') });
    const an = g.op('ArgMin', [x, g.const('int32', [], [0])]);
    const pos = g.op('Greater', [x, g.const('float32', [], [0.3])]);
    const all = g.op('All', [pos, g.const('int32', [1], [1])], { keep_dims: a.bool(false) });
    const any = g.op('Any', [pos, g.const('int32', [1], [0])], { keep_dims: a.bool(true) });
    expectClose(await roundTrip(g.build(am, an, all, any), { x: random('float32', [3, 5]) }));
  });
});
