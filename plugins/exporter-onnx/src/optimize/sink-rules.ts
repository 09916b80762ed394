import type { OnnxGraph, OnnxNode } from '../onnx-model.js';
import { intAttr, intsAttr, onnxAttr } from '../onnx-model.js';
import { normalizeAxis } from '../shapes.js';
import { numbersOf, typedArrayOf } from '../tensor-math.js';

/**
 * How a transpose moves below one op type. With x = Transpose(y, perm), the rule rewrites the node
 * to work on y directly (adjusting axes) and says which transpose each output then needs.
 */
export interface SinkRule {
  /** Inputs that carry the layout; other inputs (scalars, sizes) are left alone. */
  layoutInputs(node: OnnxNode): number[];
  /** Rewrites attributes / constant inputs for `perm`; returns the perm each output needs (undefined: none), or false when it cannot. */
  rewrite(node: OnnxNode, perm: readonly number[], graph: OnnxGraph): (readonly number[] | undefined)[] | false;
}

const first = (): number[] => [0];
const all = (node: OnnxNode): number[] => node.inputs.map((_, i) => i).filter((i) => node.inputs[i] !== '');
const samePerm = (node: OnnxNode, perm: readonly number[]) => node.outputs.map(() => perm);

const elementwise: SinkRule = { layoutInputs: first, rewrite: samePerm };
const broadcasting: SinkRule = { layoutInputs: all, rewrite: samePerm };

/** The output perm after removing `removed` axes of x = Transpose(y, perm). */
export function permAfterRemoving(perm: readonly number[], removed: readonly number[]): number[] {
  const kept = perm.map((p, i) => ({ p, i })).filter(({ i }) => !removed.includes(i)).map(({ p }) => p);
  const sorted = [...kept].sort((a, b) => a - b);
  return kept.map((p) => sorted.indexOf(p));
}

function constInts(graph: OnnxGraph, name: string | undefined): number[] | undefined {
  const t = name ? graph.initializers.get(name) : undefined;
  return t && t.dtype !== 'string' ? numbersOf(t.data as never) : undefined;
}

/** Replaces input `i` with a new int64 initializer. */
function setConstInput(node: OnnxNode, i: number, values: readonly number[], graph: OnnxGraph): void {
  const name = `${node.name}/sunk_${i}`;
  graph.initializers.set(name, { name, dtype: 'int64', dims: [values.length], data: typedArrayOf('int64', values) });
  node.inputs[i] = name;
}

const withAxis: SinkRule = {
  layoutInputs: (node) => (node.opType === 'Concat' ? all(node) : [0]),
  rewrite(node, perm) {
    const axis = intAttr(node, 'axis') ?? (node.opType === 'Concat' ? undefined : node.opType.endsWith('Softmax') ? -1 : 0);
    if (axis === undefined) return false;
    node.attrs.axis = onnxAttr.int(perm[normalizeAxis(axis, perm.length)]!);
    return samePerm(node, perm);
  },
};

/** Reduce*: axes as attribute or (ReduceSum, opset 18) as a constant input; keepdims decides the output perm. */
const reduction: SinkRule = {
  layoutInputs: first,
  rewrite(node, perm, graph) {
    const fromInput = node.inputs.length > 1 && node.inputs[1] !== '';
    const axes = fromInput ? constInts(graph, node.inputs[1]) : intsAttr(node, 'axes');
    if (!axes) return false;
    const norm = axes.map((a) => normalizeAxis(a, perm.length));
    const moved = norm.map((a) => perm[a]!);
    if (fromInput) setConstInput(node, 1, moved, graph); else node.attrs.axes = onnxAttr.ints(moved);
    if ((intAttr(node, 'keepdims') ?? 1) === 1) return [perm];
    return [permAfterRemoving(perm, norm)];
  },
};

const argReduction: SinkRule = {
  layoutInputs: first,
  rewrite(node, perm) {
    const axis = normalizeAxis(intAttr(node, 'axis') ?? 0, perm.length);
    node.attrs.axis = onnxAttr.int(perm[axis]!);
    return [(intAttr(node, 'keepdims') ?? 1) === 1 ? perm : permAfterRemoving(perm, [axis])];
  },
};

/** Pad: the begin/end pads follow their axes. */
const pad: SinkRule = {
  layoutInputs: first,
  rewrite(node, perm, graph) {
    const pads = constInts(graph, node.inputs[1]);
    if (!pads || pads.length !== 2 * perm.length || (node.inputs[3] ?? '') !== '') return false;
    const r = perm.length;
    const moved = new Array<number>(2 * r);
    perm.forEach((p, i) => { moved[p] = pads[i]!; moved[r + p] = pads[r + i]!; });
    setConstInput(node, 1, moved, graph);
    return [perm];
  },
};

/** Slice with constant axes: the axes follow the permutation. */
const slice: SinkRule = {
  layoutInputs: first,
  rewrite(node, perm, graph) {
    const starts = constInts(graph, node.inputs[1]);
    let axes = node.inputs[3] ? constInts(graph, node.inputs[3]) : starts?.map((_, i) => i);
    if (!axes) return false;
    axes = axes.map((a) => perm[normalizeAxis(a, perm.length)]!);
    if (node.inputs.length < 4) node.inputs[3] = '';
    setConstInput(node, 3, axes, graph);
    return [perm];
  },
};

const squeezeRule: SinkRule = {
  layoutInputs: first,
  rewrite(node, perm, graph) {
    const axes = constInts(graph, node.inputs[1]);
    if (!axes) return false;
    const norm = axes.map((a) => normalizeAxis(a, perm.length));
    setConstInput(node, 1, norm.map((a) => perm[a]!), graph);
    return [permAfterRemoving(perm, norm)];
  },
};

const split: SinkRule = {
  layoutInputs: first,
  rewrite(node, perm) {
    const axis = normalizeAxis(intAttr(node, 'axis') ?? 0, perm.length);
    node.attrs.axis = onnxAttr.int(perm[axis]!);
    return samePerm(node, perm);
  },
};

/**
 * QuantizeLinear / DequantizeLinear: elementwise when per tensor; per axis, the axis follows. Sinking
 * transposes through them lets the NCHW ↔ NHWC pairs between two int8 convolutions cancel, so that
 * DQ → Conv → Q stay adjacent for onnxruntime's QDQ fusion.
 */
const quantizeLinear: SinkRule = {
  layoutInputs: first,
  rewrite(node, perm, graph) {
    const scale = graph.initializers.get(node.inputs[1]!);
    if (!scale) return false;
    if (scale.dims.reduce((n, d) => n * d, 1) === 1 && scale.dims.length <= 1) return samePerm(node, perm);
    const axis = normalizeAxis(intAttr(node, 'axis') ?? 1, perm.length);
    node.attrs.axis = onnxAttr.int(perm[axis]!);
    return samePerm(node, perm);
  },
};

const ELEMENTWISE = ['Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Elu', 'Selu', 'Softplus', 'Softsign', 'Neg', 'Abs', 'Exp', 'Log',
  'Sqrt', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign', 'Erf', 'Not', 'Cast', 'IsNaN', 'Sin', 'Cos', 'Tan', 'Atan',
  'Clip', 'HardSigmoid', 'HardSwish'];
const BROADCASTING = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'PRelu', 'Equal', 'Less', 'Greater',
  'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Where', 'Mod'];

export const SINK_RULES: Readonly<Record<string, SinkRule>> = Object.freeze({
  ...Object.fromEntries(ELEMENTWISE.map((op) => [op, elementwise])),
  ...Object.fromEntries(BROADCASTING.map((op) => [op, broadcasting])),
  Concat: withAxis, Softmax: withAxis, LogSoftmax: withAxis,
  ReduceMean: reduction, ReduceSum: reduction, ReduceMax: reduction, ReduceMin: reduction, ReduceProd: reduction,
  ArgMax: argReduction, ArgMin: argReduction,
  Pad: pad, Slice: slice, Squeeze: squeezeRule, Split: split,
  QuantizeLinear: quantizeLinear, DequantizeLinear: quantizeLinear,
});
