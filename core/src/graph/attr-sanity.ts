import { GraphError } from '../errors.js';
import { parseTensorRef } from './refs.js';
import { inferShapes, type ShapeInference } from './shapes/index.js';
import type { Graph, Node } from './types.js';
import type { GraphProblem } from './validate.js';

/** Runtimes index with int32: a stride, window or dilation past this overflows them. */
const MAX_WINDOW = 2 ** 31 - 1;

/** Ops whose window attributes (one per dimension of the data) must be positive integers. */
const WINDOW_ATTRS: Readonly<Record<string, readonly string[]>> = {
  Conv2D: ['strides', 'dilations'], Conv3D: ['strides', 'dilations'], DepthwiseConv2dNative: ['strides', 'dilations'],
  Conv2DBackpropInput: ['strides', 'dilations'], FusedConv2D: ['strides', 'dilations'], FusedDepthwiseConv2dNative: ['strides', 'dilations'],
  _FusedConv2D: ['strides', 'dilations'], _FusedDepthwiseConv2dNative: ['strides', 'dilations'],
  MaxPool: ['strides', 'ksize'], AvgPool: ['strides', 'ksize'], MaxPool3D: ['strides', 'ksize'], AvgPool3D: ['strides', 'ksize'],
  MaxPoolWithArgmax: ['strides', 'ksize'], Dilation2D: ['strides', 'rates'],
};

/** Ops with an axis input: [which input holds the axes, which input's rank bounds them, extra rank]. */
const AXIS_INPUTS: Readonly<Record<string, readonly [number, number, number]>> = {
  Mean: [1, 0, 0], Sum: [1, 0, 0], Max: [1, 0, 0], Min: [1, 0, 0], Prod: [1, 0, 0], All: [1, 0, 0], Any: [1, 0, 0],
  ArgMax: [1, 0, 0], ArgMin: [1, 0, 0], GatherV2: [2, 0, 0], ExpandDims: [1, 0, 1], Split: [0, 1, 0], Reverse: [1, 0, 0], ReverseV2: [1, 0, 0],
};

/** Ops with an axis attribute: [attr name, which input's rank bounds it, extra rank]. */
const AXIS_ATTRS: Readonly<Record<string, readonly [string, number, number]>> = {
  Pack: ['axis', 0, 1], Unpack: ['axis', 0, 0], OneHot: ['axis', 0, 1], Squeeze: ['squeeze_dims', 0, 0],
};

function windowProblems(node: Node): GraphProblem[] {
  const problems: GraphProblem[] = [];
  for (const name of WINDOW_ATTRS[node.op] ?? []) {
    const value = node.attrs[name];
    if (value === undefined) continue;
    const list = 'list' in value ? value.list.i : undefined;
    if (!list) { problems.push({ node: node.name, op: node.op, message: `attribute "${name}" is not a list of ints` }); continue; }
    const bad = list.find((v) => !Number.isInteger(v) || v < 1 || v > MAX_WINDOW);
    if (bad !== undefined) problems.push({ node: node.name, op: node.op, message: `attribute "${name}" has ${bad}: each must be a whole number from 1 to 2^31-1` });
  }
  return problems;
}

function constInts(graph: Graph, ref: string | undefined): number[] | undefined {
  if (!ref) return undefined;
  const value = graph.constants.get(parseTensorRef(ref).node);
  if (!value || (value.dtype !== 'int32' && value.dtype !== 'int64')) return undefined;
  return Array.from(value.values as ArrayLike<number | bigint>, Number);
}

function rankOf(shapes: ShapeInference | undefined, ref: string | undefined): number | undefined {
  if (!shapes || !ref) return undefined;
  return shapes.shape(ref)?.length;
}

function axisProblem(node: Node, what: string, axes: readonly number[], rank: number | undefined): GraphProblem | undefined {
  const bad = axes.find((a) => !Number.isInteger(a) || (rank !== undefined && (a < -rank || a >= rank)));
  if (bad === undefined) return undefined;
  const range = rank === undefined ? 'a whole number' : `in [${-rank}, ${rank})`;
  return { node: node.name, op: node.op, message: `${what} ${bad} is out of range: the input has rank ${rank ?? 'unknown'}, axes must be ${range}` };
}

function axisProblems(graph: Graph, node: Node, shapes: ShapeInference | undefined): GraphProblem[] {
  const fromInput = AXIS_INPUTS[node.op];
  const problems: (GraphProblem | undefined)[] = [];
  if (fromInput) {
    const [axisInput, dataInput, extra] = fromInput;
    const axes = constInts(graph, node.inputs[axisInput]);
    const rank = rankOf(shapes, node.inputs[dataInput]);
    if (axes) problems.push(axisProblem(node, `axis (input ${axisInput})`, axes, rank === undefined ? undefined : rank + extra));
  }
  if (node.op === 'ConcatV2') {
    const axes = constInts(graph, node.inputs[node.inputs.length - 1]);
    const rank = rankOf(shapes, node.inputs[0]);
    if (axes) problems.push(axisProblem(node, 'axis (last input)', axes, rank));
  }
  const fromAttr = AXIS_ATTRS[node.op];
  if (fromAttr && node.attrs[fromAttr[0]]) {
    const [name, dataInput, extra] = fromAttr;
    const value = node.attrs[name]!;
    const axes = 'i' in value ? [value.i] : 'list' in value ? [...(value.list.i ?? [])] : [];
    const rank = rankOf(shapes, node.inputs[dataInput]);
    problems.push(axisProblem(node, `attribute "${name}"`, axes, rank === undefined ? undefined : rank + extra));
  }
  return problems.filter((p): p is GraphProblem => p !== undefined);
}

/**
 * Attribute values no runtime can take, found before any exporter or runtime sees them: strides,
 * kernel sizes and dilations that are not positive int32 numbers, and constant axes outside the
 * rank of the tensor they index (where shape inference knows it).
 */
export function findAttrProblems(graph: Graph): GraphProblem[] {
  let shapes: ShapeInference | undefined;
  try {
    shapes = inferShapes(graph);
  } catch {
    shapes = undefined; // ranks unknown: the axes are still checked for being whole numbers
  }
  return graph.nodes.flatMap((node) => [...windowProblems(node), ...axisProblems(graph, node, shapes)]);
}

/** Throws one GraphError listing every attribute problem, naming the first node; `file` names the model. */
export function assertSaneAttrs(graph: Graph, file?: string): void {
  const problems = findAttrProblems(graph);
  if (problems.length === 0) return;
  const first = problems[0]!;
  if (problems.length === 1) throw new GraphError(first.message, { file, node: first.node, op: first.op });
  const list = problems.slice(0, 10).map((p) => `"${p.node}" (${p.op}): ${p.message}`);
  const more = problems.length > 10 ? `; and ${problems.length - 10} more` : '';
  throw new GraphError(`${problems.length} attribute problems: ${list.join('; ')}${more}`, { file, node: first.node, op: first.op });
}
