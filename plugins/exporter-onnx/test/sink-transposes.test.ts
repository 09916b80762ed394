import { expect } from 'chai';
import { countOps, exportOnnx } from '../src/index.js';
import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip } from './helpers/roundtrip.js';

const same = { padding: a.string('SAME'), strides: a.ints([1, 1, 1, 1]), dilations: a.ints([1, 1, 1, 1]), data_format: a.string('NHWC') };

/** A small CNN with the layout-neutral ops real models put between convolutions. */
function cnn() {
  const g = new TinyGraph();
  const x = g.input('image', [-1, 16, 16, 3]);
  const c1 = g.op('_FusedConv2D', [x, g.weight([3, 3, 3, 8]), g.weight([8])], { ...same, fused_ops: a.strings(['BiasAdd', 'Relu']), num_args: a.int(1) });
  const dw = g.op('DepthwiseConv2dNative', [c1, g.weight([3, 3, 8, 1])], same);
  const res = g.op('AddV2', [dw, c1]);
  const bn = g.op('AddV2', [g.op('Mul', [res, g.weight([8])]), g.weight([8])]);
  const act = g.op('Relu6', [bn]);
  const pool = g.op('MaxPool', [act], { ksize: a.ints([1, 2, 2, 1]), strides: a.ints([1, 2, 2, 1]), padding: a.string('VALID') });
  const padded = g.op('Pad', [pool, g.const('int32', [4, 2], [0, 0, 1, 1, 1, 1, 0, 0])]);
  const left = g.op('Conv2D', [padded, g.weight([3, 3, 8, 4])], { ...same, padding: a.string('VALID') });
  const right = g.op('Conv2D', [pool, g.weight([1, 1, 8, 4])], same);
  const cat = g.op('ConcatV2', [left, right, g.const('int32', [], [-1])]);
  const up = g.op('ResizeBilinear', [cat, g.const('int32', [2], [16, 16])], { half_pixel_centers: a.bool(true), align_corners: a.bool(false) });
  const se = g.op('Sigmoid', [g.op('Mean', [up, g.const('int32', [2], [1, 2])], { keep_dims: a.bool(true) })]);
  const scaled = g.op('Mul', [up, se]);
  const out = g.op('_FusedConv2D', [scaled, g.weight([1, 1, 8, 2]), g.weight([2])], { ...same, fused_ops: a.strings(['BiasAdd', 'LeakyRelu']), num_args: a.int(1), leakyrelu_alpha: a.float(0.1) });
  return g.build(out);
}

describe('exporter-onnx: transpose sinking', () => {
  it('leaves a CNN with only the transposes at its input and output', async () => {
    const r = await roundTrip(cnn(), { image: random('float32', [2, 16, 16, 3]) });
    expectClose(r);
    const raw = exportOnnx(cnn(), { opset: 17, optimize: false });
    expect(countOps(raw.model.graph, 'Transpose')).to.be.greaterThan(10);
    expect(r.exported.details.transposes).to.equal(2);
    const g = r.exported.model.graph;
    const first = g.nodes.find((n) => n.inputs.includes('image'));
    expect(first?.opType).to.equal('Transpose');
    const last = g.nodes.find((n) => n.outputs.includes(g.outputs[0]!.name));
    expect(last?.opType).to.equal('Transpose');
  });

  it('needs no transpose at all where the layouts agree (channel-less image, pooled head)', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [-1, 8, 8, 1]);
    const c = g.op('Conv2D', [x, g.weight([3, 3, 1, 4])], same);
    const m = g.op('Mean', [c, g.const('int32', [2], [1, 2])], { keep_dims: a.bool(false) });
    const r = await roundTrip(g.build(g.op('Softmax', [m])), { x: random('float32', [3, 8, 8, 1]) });
    expectClose(r);
    expect(r.exported.details.transposes).to.equal(0);
  });
});
