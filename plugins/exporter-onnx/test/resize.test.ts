import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip } from './helpers/roundtrip.js';

describe('exporter-onnx: resize', () => {
  for (const op of ['ResizeBilinear', 'ResizeNearestNeighbor']) {
    for (const mode of ['align_corners', 'half_pixel_centers', 'neither']) {
      for (const [from, to] of [[[5, 7], [16, 9]], [[12, 10], [5, 4]], [[4, 4], [8, 8]]] as const) {
        it(`matches tfjs for ${op} with ${mode}, ${from.join('×')} → ${to.join('×')}`, async () => {
          const g = new TinyGraph();
          const x = g.input('x', [2, from[0], from[1], 3]);
          const size = g.const('int32', [2], to);
          const y = g.op(op, [x, size], { align_corners: a.bool(mode === 'align_corners'), half_pixel_centers: a.bool(mode === 'half_pixel_centers') });
          expectClose(await roundTrip(g.build(y), { x: random('float32', [2, from[0], from[1], 3]) }));
        });
      }
    }
  }

  it('matches tfjs with a dynamic batch and a size computed from the input shape', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [-1, 6, 5, 2]);
    const shape = g.op('Shape', [x], { out_type: a.dtype('int32') });
    const hw = g.op('StridedSlice', [shape, g.const('int32', [1], [1]), g.const('int32', [1], [3]), g.const('int32', [1], [1])], {});
    const size = g.op('Mul', [hw, g.const('int32', [], [2])]);
    const y = g.op('ResizeBilinear', [x, size], { align_corners: a.bool(false), half_pixel_centers: a.bool(true) });
    expectClose(await roundTrip(g.build(y), { x: random('float32', [3, 6, 5, 2]) }));
  });

  // onnxruntime's shape inference lost the length of such a size and refused the model (rvm).
  it('loads when the size comes from an input of unknown rank', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, -1, -1, 3]);
    const ratio = g.input('ratio', null);
    const hw = g.op('StridedSlice', [g.op('Shape', [x], { out_type: a.dtype('int32') }), g.const('int32', [1], [1]), g.const('int32', [1], [3]), g.const('int32', [1], [1])], {});
    const scaled = g.op('Mul', [g.op('Cast', [hw], { SrcT: a.dtype('int32'), DstT: a.dtype('float32') }), ratio]);
    const size = g.op('Cast', [scaled], { SrcT: a.dtype('float32'), DstT: a.dtype('int32') });
    const y = g.op('ResizeBilinear', [x, size], { align_corners: a.bool(false), half_pixel_centers: a.bool(true) });
    expectClose(await roundTrip(g.build(y), { x: random('float32', [1, 8, 6, 3]), ratio: { dtype: 'float32', shape: [], data: Float32Array.from([0.5]) } }));
  });
});
