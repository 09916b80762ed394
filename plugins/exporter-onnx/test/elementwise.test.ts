import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip, tensor } from './helpers/roundtrip.js';

describe('exporter-onnx: elementwise ops', () => {
  it('matches tfjs for broadcasting arithmetic on floats', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 1, 4]);
    const y = g.input('y', [3, 1]);
    const outs = ['AddV2', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum', 'SquaredDifference', 'FloorDiv', 'FloorMod', 'Atan2', 'DivNoNan']
      .map((op) => g.op(op, [x, y]));
    const pow = g.op('Pow', [g.op('Abs', [x]), y]);
    expectClose(await roundTrip(g.build(...outs, pow), { x: random('float32', [2, 1, 4], 1, 6, -3), y: random('float32', [3, 1], 2, 4, -2) }));
  });

  it('matches tfjs for integer division and modulo with negative operands (floor semantics)', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [6], 'int32');
    const y = g.input('y', [6], 'int32');
    const outs = ['FloorDiv', 'FloorMod', 'Div', 'Mul', 'Sub', 'Maximum'].map((op) => g.op(op, [x, y]));
    expectClose(await roundTrip(g.build(...outs), { x: tensor('int32', [6], [7, -7, 7, -7, 0, 9]), y: tensor('int32', [6], [2, 2, -2, -2, 3, -4]) }));
  });

  it('matches tfjs for comparisons and logic (bool outputs)', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [3, 4]);
    const y = g.input('y', [4]);
    const lt = g.op('Less', [x, y]);
    const ge = g.op('GreaterEqual', [x, y]);
    const outs = [lt, ge, g.op('Equal', [x, x]), g.op('NotEqual', [x, y]), g.op('LessEqual', [x, y]), g.op('Greater', [x, y]),
      g.op('LogicalAnd', [lt, ge]), g.op('LogicalOr', [lt, ge]), g.op('LogicalNot', [lt])];
    expectClose(await roundTrip(g.build(...outs), { x: random('float32', [3, 4]), y: random('float32', [4], 9) }));
  });

  it('matches tfjs for unary math and activations', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 5]);
    const pos = g.op('Add', [g.op('Abs', [x]), g.const('float32', [], [0.1])]);
    const outs = ['Neg', 'Abs', 'Floor', 'Ceil', 'Round', 'Sign', 'Exp', 'Square', 'Sin', 'Cos', 'Tanh', 'Sigmoid', 'Relu', 'Relu6', 'Elu', 'Selu', 'Softplus', 'Erf', 'Atan']
      .map((op) => g.op(op, [x]));
    const logs = ['Sqrt', 'Rsqrt', 'Log', 'Log1p', 'Reciprocal'].map((op) => g.op(op, [pos]));
    const leaky = g.op('LeakyRelu', [x], { alpha: a.float(0.15) });
    const prelu = g.op('Prelu', [x, g.weight([5], 0, 0.5)]);
    const softmax = g.op('Softmax', [x]);
    const clip = g.op('ClipByValue', [x, g.const('float32', [], [-0.5]), g.const('float32', [], [0.75])]);
    expectClose(await roundTrip(g.build(...outs, ...logs, leaky, prelu, softmax, clip), { x: random('float32', [2, 5], 4, 8, -4) }));
  });

  // A vector condition with matrix branches picks rows in TensorFlow; tfjs refuses it, so the
  // comparison here uses a condition of the branches' shape.
  it('matches tfjs for Select, SelectV2 (broadcast), AddN, Cast and ZerosLike/OnesLike', async () => {
    const g = new TinyGraph();
    const c = g.input('c', [3, 2], 'bool');
    const x = g.input('x', [3, 2]);
    const y = g.input('y', [3, 2]);
    const sel = g.op('Select', [c, x, y]);
    const sel2 = g.op('SelectV2', [g.op('Greater', [x, g.const('float32', [], [0.5])]), x, g.const('float32', [], [0])]);
    const sum = g.op('AddN', [x, y, x]);
    const asInt = g.op('Cast', [g.op('Mul', [x, g.const('float32', [], [10])])], { DstT: a.dtype('int32'), SrcT: a.dtype('float32') });
    // (tfjs-wasm casts int32 to bool without mapping to 0/1, so the bool cast is compared from a bool.)
    const asFloat = g.op('Cast', [g.op('Less', [x, y])], { DstT: a.dtype('float32'), SrcT: a.dtype('bool') });
    expectClose(await roundTrip(g.build(sel, sel2, sum, asInt, asFloat, g.op('ZerosLike', [x]), g.op('OnesLike', [y])), {
      c: tensor('bool', [3, 2], [1, 0, 1, 1, 0, 0]), x: random('float32', [3, 2], 1), y: random('float32', [3, 2], 2),
    }));
  });

  it('handles empty tensors', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [0, 3]);
    const y = g.op('Concat', [g.const('int32', [], [0]), x, g.op('Mul', [x, g.const('float32', [], [2])])]);
    const z = g.op('ConcatV2', [g.op('Relu', [x]), g.weight([2, 3]), g.const('int32', [], [0])]);
    expectClose(await roundTrip(g.build(y, z), { x: random('float32', [0, 3]) }));
  });
});
