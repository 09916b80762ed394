import { expect } from 'chai';
import { exportOnnx } from '../src/index.js';
import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip } from './helpers/roundtrip.js';

const conv = (padding: string, strides = [1, 1, 1, 1], dilations = [1, 1, 1, 1]) => ({
  padding: a.string(padding), strides: a.ints(strides), dilations: a.ints(dilations), data_format: a.string('NHWC'),
});

describe('exporter-onnx: convolutions', () => {
  for (const [label, attrs, size] of [
    ['SAME, odd size, stride 2', conv('SAME', [1, 2, 2, 1]), [1, 9, 7, 3]],
    ['SAME, stride 3 on an even size', conv('SAME', [1, 3, 3, 1]), [1, 10, 8, 3]],
    ['VALID, stride 2', conv('VALID', [1, 2, 2, 1]), [2, 9, 9, 3]],
    ['SAME with dilation 2', conv('SAME', [1, 1, 1, 1], [1, 2, 2, 1]), [1, 11, 9, 3]],
    ['EXPLICIT padding', { ...conv('EXPLICIT', [1, 2, 1, 1]), explicit_paddings: a.ints([0, 0, 1, 2, 0, 3, 0, 0]) }, [1, 8, 8, 3]],
  ] as const) {
    it(`matches tfjs for Conv2D, ${label}`, async () => {
      const g = new TinyGraph();
      const x = g.input('x', size);
      const y = g.op('Conv2D', [x, g.weight([3, 3, 3, 4])], attrs);
      expectClose(await roundTrip(g.build(y), { x: random('float32', size) }));
    });
  }

  for (const fused of [['BiasAdd'], ['BiasAdd', 'Relu'], ['BiasAdd', 'Relu6'], ['BiasAdd', 'Elu'], ['BiasAdd', 'Sigmoid'], ['BiasAdd', 'LeakyRelu'], ['BiasAdd', 'Prelu']]) {
    it(`matches tfjs for _FusedConv2D with fused_ops [${fused}]`, async () => {
      const g = new TinyGraph();
      const x = g.input('x', [1, 7, 7, 2]);
      const args = [g.weight([5]), ...(fused.includes('Prelu') ? [g.weight([5], 0, 0.5)] : [])];
      const y = g.op('_FusedConv2D', [x, g.weight([3, 3, 2, 5]), ...args], {
        ...conv('SAME', [1, 2, 2, 1]), fused_ops: a.strings(fused), num_args: a.int(args.length), leakyrelu_alpha: a.float(0.3), epsilon: a.float(0),
      });
      expectClose(await roundTrip(g.build(y), { x: random('float32', [1, 7, 7, 2], 3, 4, -2) }));
    });
  }

  it('matches tfjs for depthwise convolutions with a channel multiplier, fused and not', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 9, 8, 3]);
    const d1 = g.op('DepthwiseConv2dNative', [x, g.weight([3, 3, 3, 2])], conv('SAME', [1, 2, 2, 1]));
    const d2 = g.op('FusedDepthwiseConv2dNative', [d1, g.weight([3, 3, 6, 1]), g.weight([6])], { ...conv('VALID'), fused_ops: a.strings(['BiasAdd', 'Relu6']), num_args: a.int(1) });
    expectClose(await roundTrip(g.build(d2), { x: random('float32', [1, 9, 8, 3]) }));
  });

  for (const [padding, out] of [['SAME', [1, 9, 7, 4]], ['VALID', [1, 10, 8, 4]], ['SAME', [1, 10, 8, 4]]] as const) {
    it(`matches tfjs for Conv2DBackpropInput (${padding}, stride 2, output [${out}])`, async () => {
      const g = new TinyGraph();
      const inH = padding === 'SAME' ? Math.ceil(out[1] / 2) : Math.floor((out[1] - 3) / 2) + 1;
      const inW = padding === 'SAME' ? Math.ceil(out[2] / 2) : Math.floor((out[2] - 3) / 2) + 1;
      const x = g.input('x', [1, inH, inW, 6]);
      const sizes = g.const('int32', [4], out);
      const y = g.op('Conv2DBackpropInput', [sizes, g.weight([3, 3, 4, 6]), x], conv(padding, [1, 2, 2, 1]));
      expectClose(await roundTrip(g.build(y), { x: random('float32', [1, inH, inW, 6]) }));
    });
  }

  it('keeps a dynamic batch dynamic (dim_param "batch") and runs it with batch 3', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [-1, 6, 6, 2]);
    const y = g.op('_FusedConv2D', [x, g.weight([3, 3, 2, 4]), g.weight([4])], { ...conv('SAME'), fused_ops: a.strings(['BiasAdd', 'Relu']), num_args: a.int(1) });
    const r = await roundTrip(g.build(y), { x: random('float32', [3, 6, 6, 2]) });
    expectClose(r);
    expect(r.exported.model.graph.inputs[0]!.shape).to.deep.equal(['batch', 6, 6, 2]);
    expect(Object.values(r.outputs)[0]!.shape).to.deep.equal([3, 6, 6, 4]);
  });

  it('refuses a channel count the filter does not fit, naming node and op', () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 5, 5, 3]);
    const y = g.op('Conv2D', [x, g.weight([3, 3, 4, 2])], conv('SAME'), 'bad_conv');
    expect(() => exportOnnx(g.build(y), { opset: 17, optimize: true })).to.throw(/node "bad_conv" \(Conv2D\): input has 3 channels, the filter expects 4/);
  });
});
