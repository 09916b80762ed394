import { GraphError } from '../../errors.js';
import { normalizeTensorRef, parseTensorRef, tensorRef } from '../refs.js';
import type { ConstantTensor, Graph, Node, Quantization, Signature, SignatureTensor, TensorInfo, TensorRef } from '../types.js';
import { asUint8, asymmetricParams, symmetricParams } from './affine.js';
import { INT8_OPS, type Int8OpRule } from './int8-ops.js';
import type { KeptFloat } from './summary.js';
import { tensorDTypes } from './tensor-dtypes.js';
import { controlFlowMembers, type TensorRange } from './tensor-ranges.js';

export interface AnnotateInt8Options {
  /** Integer only (int8-full): every node with float values must run on int8, else an error lists them. */
  readonly full?: boolean;
  /** int8-full: the type of the model's integer inputs and outputs (default uint8). */
  readonly ioType?: 'int8' | 'uint8';
  /** Why a node must stay float (--keep-float, an accuracy target), or undefined. */
  readonly keepFloat?: (node: Node) => string | undefined;
}

export interface AnnotatedInt8 {
  readonly graph: Graph;
  /** Nodes with an int8 form that stayed float, and why. */
  readonly keptFloat: readonly KeptFloat[];
  readonly int8Nodes: number;
}

/** Thrown by int8-full when some nodes cannot run on integers. */
export class FullIntegerError extends GraphError {
  constructor(readonly nodes: readonly KeptFloat[]) {
    super(`int8-full: ${nodes.length} node(s) cannot run on int8: ${nodes.slice(0, 20).map((n) => `"${n.node}" (${n.op}: ${n.reason})`).join(', ')}${nodes.length > 20 ? ', …' : ''}; use --quantize int8 to keep them float`,
      { node: nodes[0]?.node, op: nodes[0]?.op });
  }
}

/**
 * Marks the nodes that can run on int8 (`quantized: 'int8'`) and gives every tensor they read or
 * write its int8 parameters, following core's INT8_OPS: activations asymmetric per tensor from the
 * calibration ranges, weights symmetric per channel, bias int32 at input × weight scale, the
 * scales some ops must share or have fixed. Values are never rewritten.
 */
export function annotateInt8(graph: Graph, ranges: ReadonlyMap<TensorRef, TensorRange>, options: AnnotateInt8Options = {}): AnnotatedInt8 {
  const dtypes = tensorDTypes(graph);
  const inControlFlow = controlFlowMembers(graph);
  const constants = new Map(graph.constants);
  const constNodes = new Map(graph.nodes.filter((n) => n.op === 'Const').map((n) => [n.name, n]));
  const added: Node[] = [];
  const tensorParams = new Map<TensorRef, Quantization>();
  const keptFloat: KeptFloat[] = [];
  const nodes: Node[] = [];
  let int8Nodes = 0;
  const outputFloors = new Map<TensorRef, number>();

  const isConst = (ref: TensorRef) => constNodes.has(parseTensorRef(ref).node);
  const isFloat = (ref: TensorRef) => dtypes.get(normalizeTensorRef(ref)) === 'float32';
  const activationParams = (ref: TensorRef): Quantization | undefined => {
    const key = normalizeTensorRef(ref);
    const known = tensorParams.get(key);
    if (known) return known;
    const range = ranges.get(key);
    return range ? asymmetricParams(range.min, range.max) : undefined;
  };

  /** Annotates a Const for one node's use; a Const already stored otherwise is copied for this use. */
  const annotateConst = (node: Node, input: number, q: Quantization): string => {
    const name = parseTensorRef(node.inputs[input]!).node;
    const value = constants.get(name)!;
    if (!value.quantization || sameQuantization(value.quantization, q)) {
      constants.set(name, { ...value, quantization: q });
      return node.inputs[input]!;
    }
    const copy = `${name}/${node.name}_int8_${input}`;
    constants.set(copy, { ...value, quantization: q });
    added.push({ ...constNodes.get(name)!, name: copy });
    return tensorRef(copy);
  };

  for (const node of graph.nodes) {
    // Ops on integers (shape arithmetic) are not candidates: nothing to quantize, nothing to report.
    const rule = isFloat(tensorRef(node.name, 0)) ? INT8_OPS[node.op] : undefined;
    const reason = !rule ? undefined : inControlFlow.has(node.name) ? 'inside a loop or branch (tfjs cannot hand out its values for calibration)' : whyFloat(node, rule, options, { isConst, isFloat, activationParams, constants });
    if (!rule || reason !== undefined) {
      if (rule && reason !== undefined) keptFloat.push({ node: node.name, op: node.op, reason });
      nodes.push(node);
      continue;
    }
    const inputs = [...node.inputs];
    const activations = rule.activations(node);
    const activationScales: number[] = [];
    for (const i of activations) {
      const ref = node.inputs[i]!;
      let q: Quantization;
      if (isConst(ref)) {
        const value = constants.get(parseTensorRef(ref).node)!;
        const { min, max } = minMax(value.values as ArrayLike<number>);
        q = asymmetricParams(min, max);
        inputs[i] = annotateConst(node, i, q);
      } else {
        q = activationParams(ref)!;
        tensorParams.set(normalizeTensorRef(ref), q);
      }
      activationScales.push(q.scale[0]!);
    }
    const inputScale = activationParams(node.inputs[activations[0]!]!)?.scale[0] ?? 1;
    const weightScales: number[][] = [];
    for (const w of rule.weights?.(node) ?? []) {
      const value = constants.get(parseTensorRef(node.inputs[w.input]!).node)!;
      const axis = w.axis !== undefined && (node.op.includes('Depthwise') ? value.shape[3] === 1 : true) ? w.axis : undefined;
      const q = symmetricParams(value.values as ArrayLike<number>, value.shape, axis);
      weightScales.push([...q.scale]);
      inputs[w.input] = annotateConst(node, w.input, q);
    }
    const biasInput = rule.bias?.(node);
    if (biasInput !== undefined) {
      const scales = (weightScales[0] ?? [1]).map((s) => s * inputScale);
      const value = constants.get(parseTensorRef(node.inputs[biasInput]!).node)!;
      const perChannel = scales.length > 1;
      const q: Quantization = { dtype: 'int32', scale: perChannel ? scales : [scales[0]!], zeroPoint: (perChannel ? scales : [0]).map(() => 0), ...(perChannel ? { axis: 0 } : {}) };
      if (perChannel && value.shape[0] !== scales.length) throw new GraphError(`bias of ${value.shape[0]} values for ${scales.length} channels`, { node: node.name, op: node.op });
      inputs[biasInput] = annotateConst(node, biasInput, q);
    }
    const out = tensorRef(node.name, 0);
    const calibrated = outputParams(rule, out, activationParams(node.inputs[activations[0]!]!)!, ranges);
    const floor = smallestOutputScale(node.op, activationScales, weightScales[0]);
    const output = rule.output === 'calibrated' ? atLeastScale(calibrated, floor) : calibrated;
    if (rule.output === 'calibrated') outputFloors.set(out, floor);
    tensorParams.set(out, output);
    nodes.push({ ...node, inputs, quantized: 'int8' });
    int8Nodes++;
  }

  takeActivationParams(nodes, graph, tensorParams, outputFloors);
  if (options.full) assertFullInteger(nodes, keptFloat, isFloat, isConst);
  // Outputs past the first (Unpack, Split …) carry parameters too when int8 nodes read them.
  const outputCount = new Map<string, number>();
  for (const ref of tensorParams.keys()) {
    const { node, index } = parseTensorRef(ref);
    outputCount.set(node, Math.max(outputCount.get(node) ?? 1, index + 1));
  }
  const annotated = nodes.map((n) => withOutputParams(n, tensorParams, outputCount));
  const withConsts = added.length ? insertBeforeFirstUse(annotated, added) : annotated;
  const signatures = options.full ? integerEdges(graph.signatures, tensorParams, options.ioType ?? 'uint8') : graph.signatures;
  return { graph: { ...graph, nodes: withConsts, constants, signatures }, keptFloat, int8Nodes };
}

interface Lookup {
  isConst(ref: TensorRef): boolean;
  isFloat(ref: TensorRef): boolean;
  activationParams(ref: TensorRef): Quantization | undefined;
  constants: ReadonlyMap<string, ConstantTensor>;
}

/** Why a node whose op has an int8 form stays float, or undefined when it can run on int8. */
function whyFloat(node: Node, rule: Int8OpRule, options: AnnotateInt8Options, look: Lookup): string | undefined {
  const kept = options.keepFloat?.(node);
  if (kept) return kept;
  const refused = rule.refuse?.(node);
  if (refused) return refused;
  if (!look.isFloat(tensorRef(node.name, 0))) return 'its output is not float32';
  for (const i of rule.activations(node)) {
    const ref = node.inputs[i];
    if (ref === undefined) return `input ${i} is missing`;
    if (!look.isFloat(ref)) return `input ${i} is not float32`;
    if (!look.isConst(ref) && !look.activationParams(ref)) return `no calibration range for input "${ref}"`;
  }
  for (const w of rule.weights?.(node) ?? []) {
    const ref = node.inputs[w.input];
    if (ref === undefined || !look.isConst(ref)) return `its weight (input ${w.input}) is computed at run time`;
    if (look.constants.get(parseTensorRef(ref).node)?.dtype !== 'float32') return `its weight (input ${w.input}) is not float32`;
  }
  const bias = rule.bias?.(node);
  if (bias !== undefined && (node.inputs[bias] === undefined || !look.isConst(node.inputs[bias]!))) return 'its bias is computed at run time';
  if (rule.output === 'calibrated' && !look.activationParams(tensorRef(node.name, 0))) return 'no calibration range for its output';
  return undefined;
}

/**
 * The smallest output scale integer kernels take for these input and weight scales: XNNPACK (LiteRT's
 * CPU kernels) refuses a requantization scale (input × weight / output, or input / output) of 256
 * or more, which an output of almost constant value (a tiny calibrated range) would give.
 */
function smallestOutputScale(op: string, inputScales: readonly number[], weightScales: readonly number[] | undefined): number {
  const largest = (xs: readonly number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
  if (weightScales) return (inputScales[0]! * largest(weightScales)) / 255;
  if (op === 'Mul') return inputScales.reduce((a, b) => a * b, 1) / 255;
  return largest(inputScales) / 255;
}

/** `q` with its range widened (upwards) when its scale is below `scale`. */
function atLeastScale(q: Quantization, scale: number): Quantization {
  if (q.scale[0]! >= scale) return q;
  const [qmin, qmax] = [-128, 127];
  const lo = (qmin - q.zeroPoint[0]!) * q.scale[0]!;
  return asymmetricParams(lo, lo + scale * (qmax - qmin) * (1 + 1e-6));
}

function outputParams(rule: Int8OpRule, out: TensorRef, input: Quantization, ranges: ReadonlyMap<TensorRef, TensorRange>): Quantization {
  if (rule.output === 'same-as-input') return input;
  if (rule.output === 'calibrated') {
    const r = ranges.get(out)!;
    return asymmetricParams(r.min, r.max);
  }
  return { dtype: 'int8', scale: [rule.output.scale], zeroPoint: [rule.output.zeroPoint] };
}

/** Activations an int8 op before them can apply itself, clamping in its output's parameters. */
const CLAMPING_ACTIVATIONS = new Set(['Relu', 'Relu6']);

/**
 * An int8 op whose output only an int8 Relu/Relu6 reads writes in the activation's parameters
 * (what a fused activation does): the activation then copies values, which TFLite fuses and
 * onnxruntime drops, where different parameters would leave a requantization (DequantizeLinear +
 * QuantizeLinear) between them: blazeface in onnxruntime, 31 of them.
 */
function takeActivationParams(nodes: readonly Node[], graph: Graph, params: Map<TensorRef, Quantization>, floors: ReadonlyMap<TensorRef, number>): void {
  const readers = new Map<TensorRef, number>();
  const read = (ref: TensorRef) => readers.set(normalizeTensorRef(ref), (readers.get(normalizeTensorRef(ref)) ?? 0) + 1);
  for (const n of nodes) n.inputs.forEach(read);
  graph.outputs.forEach(read);
  for (const sig of Object.values(graph.signatures)) Object.values(sig.outputs).forEach((t) => read(t.name));
  for (const n of nodes) {
    if (n.quantized !== 'int8' || !CLAMPING_ACTIVATIONS.has(n.op)) continue;
    const input = normalizeTensorRef(n.inputs[0]!);
    const floor = floors.get(input);
    const own = params.get(tensorRef(n.name, 0));
    if (floor === undefined || !own || readers.get(input) !== 1) continue;
    const taken = atLeastScale(own, floor);
    params.set(input, taken);
    params.set(tensorRef(n.name, 0), taken);
  }
}

/** Ops that read only the shape of their input: they run on an int8 tensor as on a float one. */
const SHAPE_READERS = new Set(['Shape', 'ShapeN', 'Size', 'Rank']);

/** int8-full: every node that computes on float values (other than graph inputs and weights) must be int8. */
function assertFullInteger(nodes: readonly Node[], keptFloat: readonly KeptFloat[], isFloat: (ref: TensorRef) => boolean, isConst: (ref: TensorRef) => boolean): void {
  const reasons = new Map(keptFloat.map((k) => [k.node, k.reason]));
  const problems: KeptFloat[] = [];
  for (const node of nodes) {
    if (node.quantized || node.op === 'Placeholder' || node.op === 'Const' || SHAPE_READERS.has(node.op)) continue;
    const readsFloat = node.inputs.some((r) => isFloat(r) && !isConst(r));
    if (!readsFloat && !isFloat(tensorRef(node.name, 0))) continue;
    problems.push({ node: node.name, op: node.op, reason: reasons.get(node.name) ?? 'no int8 form of this op' });
  }
  if (problems.length) throw new FullIntegerError(problems);
}

/** The node with outputs[i].quantization set for each of its tensors that has int8 parameters. */
function withOutputParams(node: Node, params: ReadonlyMap<TensorRef, Quantization>, outputCount: ReadonlyMap<string, number>): Node {
  const count = Math.max(node.outputs?.length ?? 0, outputCount.get(node.name) ?? 1);
  let outputs: TensorInfo[] | undefined;
  for (let i = 0; i < count; i++) {
    const q = params.get(tensorRef(node.name, i));
    if (!q) continue;
    outputs ??= Array.from({ length: count }, (_, k) => node.outputs?.[k] ?? { dtype: 'float32', shape: null });
    outputs[i] = { ...outputs[i]!, quantization: q };
  }
  return outputs ? { ...node, outputs } : node;
}

/** Signature inputs and outputs carried as integers of `ioType` (int8-full). */
function integerEdges(signatures: Readonly<Record<string, Signature>>, params: ReadonlyMap<TensorRef, Quantization>, ioType: 'int8' | 'uint8'): Record<string, Signature> {
  const edge = (t: SignatureTensor): SignatureTensor => {
    const q = params.get(normalizeTensorRef(t.name));
    if (!q || t.dtype !== 'float32') return t;
    return { ...t, dtype: ioType, quantization: ioType === 'uint8' ? asUint8(q) : q };
  };
  const out: Record<string, Signature> = {};
  for (const [key, sig] of Object.entries(signatures)) {
    out[key] = {
      ...sig,
      inputs: Object.fromEntries(Object.entries(sig.inputs).map(([k, t]) => [k, edge(t)])),
      outputs: Object.fromEntries(Object.entries(sig.outputs).map(([k, t]) => [k, edge(t)])),
    };
  }
  return out;
}

/** Copies of Consts go right before the first node that reads them, keeping the order topological. */
function insertBeforeFirstUse(nodes: readonly Node[], added: readonly Node[]): Node[] {
  const pending = new Map(added.map((n) => [n.name, n]));
  const out: Node[] = [];
  for (const node of nodes) {
    for (const ref of node.inputs) {
      const name = parseTensorRef(ref).node;
      const c = pending.get(name);
      if (c) { out.push(c); pending.delete(name); }
    }
    out.push(node);
  }
  return out;
}

function sameQuantization(a: Quantization, b: Quantization): boolean {
  return a.dtype === b.dtype && a.axis === b.axis && a.scale.join() === b.scale.join() && a.zeroPoint.join() === b.zeroPoint.join();
}

function minMax(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) { min = Math.min(min, values[i]!); max = Math.max(max, values[i]!); }
  return { min: Math.min(min, 0), max: Math.max(max, 0) };
}
