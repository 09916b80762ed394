import type { ShapeRule } from '../rule-types.js';
import { concreteDims, type SymbolicDim, type TensorFacts } from '../tensor-facts.js';
import { broadcastIndex, broadcastShapes, one, withValues } from './helpers.js';
import { BINARY_VALUE_OPS, UNARY_VALUE_OPS } from './value-math.js';

/** Same shape as the input; values mapped when the op has value arithmetic. */
const unaryRule: ShapeRule = ({ node, inputs, dtype }) => {
  const x = inputs[0]!;
  const f = UNARY_VALUE_OPS[node.op];
  const from = x.dtype;
  return one(withValues(dtype, x.shape, f && x.values ? x.values.map((v) => f(v, dtype, from)) : undefined));
};

/** Broadcast of two operands; values computed elementwise when both are tracked. */
function broadcastValues(a: TensorFacts, b: TensorFacts, outShape: readonly number[], f: (x: SymbolicDim, y: SymbolicDim) => SymbolicDim): SymbolicDim[] | undefined {
  const sa = concreteDims(a.shape), sb = concreteDims(b.shape);
  if (!sa || !sb || !a.values || !b.values) return undefined;
  const ia = broadcastIndex(sa, outShape), ib = broadcastIndex(sb, outShape);
  return ia.map((i, k) => f(a.values![i]!, b.values![ib[k]!]!));
}

const binaryRule: ShapeRule = ({ node, inputs, dtype }) => {
  const [a, b] = inputs as [TensorFacts, TensorFacts];
  const shape = broadcastShapes(a.shape, b.shape);
  const f = BINARY_VALUE_OPS[node.op];
  const out = concreteDims(shape);
  const operandType = a.dtype;
  const values = f && out ? broadcastValues(a, b, out, (x, y) => f(x, y, dtype === 'bool' ? operandType : dtype)) : undefined;
  // Comparisons compute in the operand type and give 0/1, which is already the bool value.
  return one(withValues(dtype, shape, values));
};

/** Every input broadcast together (AddN's inputs have one shape; Select broadcasts all three in v2). */
const naryRule: ShapeRule = ({ inputs, dtype }) => one({ dtype, shape: inputs.reduce((s, x) => broadcastShapes(s, x.shape), inputs[0]!.shape) });

/** Select (v1): the condition is a scalar, a vector along the first axis, or the operands' shape. */
const selectRule: ShapeRule = ({ inputs, dtype }) => one({ dtype, shape: broadcastShapes(inputs[1]!.shape, inputs[2]!.shape) });

/** BiasAdd, Prelu, LeakyRelu…: the shape of the first input. */
const firstShape: ShapeRule = ({ inputs, dtype }) => one({ dtype, shape: inputs[0]!.shape });

const UNARY = ['Identity', 'Cast', 'Neg', 'Abs', 'Floor', 'Ceil', 'Round', 'Square', 'Sqrt', 'Rsqrt', 'Reciprocal', 'Exp', 'Log', 'Sign',
  'Relu', 'Relu6', 'Elu', 'Selu', 'Sigmoid', 'Tanh', 'Softplus', 'Softsign', 'Erf', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh',
  'Log1p', 'Expm1', 'IsNan', 'LogicalNot', 'ZerosLike', 'OnesLike', 'Softmax', 'LogSoftmax', 'LeakyRelu', 'StopGradient', 'Snapshot', 'ClipByValue'];
const BINARY = ['Add', 'AddV2', 'Sub', 'Mul', 'RealDiv', 'Div', 'DivNoNan', 'FloorDiv', 'FloorMod', 'Mod', 'Maximum', 'Minimum', 'SquaredDifference',
  'Pow', 'Atan2', 'Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr'];

export const ELEMENTWISE_RULES: Readonly<Record<string, ShapeRule>> = {
  ...Object.fromEntries(UNARY.map((op) => [op, unaryRule])),
  ...Object.fromEntries(BINARY.map((op) => [op, binaryRule])),
  AddN: naryRule,
  SelectV2: naryRule,
  Select: selectRule,
  BiasAdd: firstShape,
  Prelu: firstShape,
  FusedBatchNorm: firstShape,
  FusedBatchNormV3: firstShape,
};

