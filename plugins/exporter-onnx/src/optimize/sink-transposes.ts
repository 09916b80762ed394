import type { OnnxGraph, OnnxNode } from '../onnx-model.js';
import { intAttr, intsAttr, onnxAttr } from '../onnx-model.js';
import { composePerms, inversePerm, isIdentityPerm, permuteShape } from '../shapes.js';
import { transposeData } from '../tensor-math.js';
import { SINK_RULES } from './sink-rules.js';
import { nameAllocator, shapeOfValue, type ValueShapes } from './value-shapes.js';

const MAX_SWEEPS = 50;

/**
 * How an input of a node fares when a transpose is pushed through the node: it loses its
 * transpose, is a constant permuted now, needs nothing (all axes of size 1), needs a transpose that
 * only moves size-1 axes (a Reshape, later: free), or needs a real transpose.
 */
type InputKind = { kind: 'transposed'; source: string } | { kind: 'constant' } | { kind: 'decoded'; decoder: OnnxNode } | { kind: 'free' } | { kind: 'other'; rank: number; cheap: boolean };

/**
 * Moves Transpose nodes down the graph, through ops that do not care about layout (elementwise,
 * broadcasting, Concat, reductions, Pad, Slice …, see SINK_RULES), rewriting their axes and
 * permuting their constants at export time, until transposes meet and cancel (NCHW → NHWC →
 * NCHW between two convolutions) or reach an op that needs the layout (Reshape, MatMul, the
 * graph outputs). Like tf2onnx's TransposeOptimizer, it pushes a transpose only when that does
 * not add transposes elsewhere. Returns how many rewrites it made.
 */
export function sinkTransposes(graph: OnnxGraph, shapes: ValueShapes): number {
  const unique = nameAllocator(graph);
  const producer = new Map<string, OnnxNode>();
  for (const n of graph.nodes) for (const o of n.outputs) producer.set(o, n);
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  let rewrites = 0;

  const permOf = (name: string): readonly number[] | undefined => {
    const p = producer.get(name);
    return p?.opType === 'Transpose' ? intsAttr(p, 'perm') : undefined;
  };

  const seen = new Map<string, string>();
  /** Merges with a transpose above, drops duplicates, folds constants; undefined when the node is gone. */
  const mergeTranspose = (node: OnnxNode): OnnxNode | undefined => {
    const perm = intsAttr(node, 'perm')!;
    const inner = permOf(node.inputs[0]!);
    if (inner) {
      const merged = composePerms(inner, perm);
      node.inputs[0] = producer.get(node.inputs[0]!)!.inputs[0]!;
      node.attrs.perm = onnxAttr.ints(merged);
      rewrites++;
      if (isIdentityPerm(merged)) return { name: node.name, opType: 'Identity', inputs: [node.inputs[0]!], outputs: [...node.outputs], attrs: {} };
    }
    // The same transpose of the same value twice (a graph input read by two convs): keep one.
    const key = `${node.inputs[0]}|${intsAttr(node, 'perm')!.join(',')}`;
    const twin = seen.get(key);
    if (twin && twin !== node.outputs[0]) { rewrites++; return { name: node.name, opType: 'Identity', inputs: [twin], outputs: [...node.outputs], attrs: {} }; }
    seen.set(key, node.outputs[0]!);
    const t = graph.initializers.get(node.inputs[0]!);
    if (t && t.dtype !== 'string' && !graphOutputs.has(node.outputs[0]!)) {
      // A transposed constant is a constant: no node at run time.
      const p = intsAttr(node, 'perm')!;
      const name = node.outputs[0]!;
      graph.initializers.set(name, { name, dtype: t.dtype, dims: p.map((i) => t.dims[i]!), data: transposeData(t.data as Float32Array, t.dims, p) });
      rewrites++;
      return undefined;
    }
    return node;
  };

  /** A stored weight's decoder (Cast of a float16 initializer, DequantizeLinear of an integer one): a constant, permuted as one. */
  const decoderOf = (name: string): OnnxNode | undefined => {
    const p = producer.get(name);
    if (!p || (p.opType !== 'Cast' && p.opType !== 'DequantizeLinear') || graphOutputs.has(name)) return undefined;
    return p.inputs.every((i) => i === '' || graph.initializers.has(i)) ? p : undefined;
  };

  /** The decoder of the stored initializer permuted at export time (a per-axis DQ's axis follows). */
  const permutedDecoded = (decoder: OnnxNode, perm: readonly number[]): OnnxNode => {
    const stored = graph.initializers.get(decoder.inputs[0]!)!;
    const missing = perm.length - stored.dims.length;
    const attrs = { ...decoder.attrs };
    const axis = intAttr(decoder, 'axis');
    const scale = decoder.inputs[1] ? graph.initializers.get(decoder.inputs[1]) : undefined;
    if (decoder.opType === 'DequantizeLinear' && scale && scale.dims.length > 0) attrs.axis = onnxAttr.int(perm.indexOf((axis ?? 1) + missing));
    const out = unique(`${decoder.outputs[0]}/permuted`);
    const info = shapes.get(decoder.outputs[0]!);
    const padded = [...new Array(missing).fill(1), ...stored.dims];
    shapes.set(out, { dtype: info?.dtype ?? 'float32', shape: perm.map((p) => padded[p]!) });
    const node: OnnxNode = { name: unique(`${decoder.name}/permuted`), opType: decoder.opType, inputs: [permutedConstant(graph, stored.name, perm, unique), ...decoder.inputs.slice(1)], outputs: [out], attrs };
    producer.set(out, node);
    return node;
  };

  const classify = (name: string, perm: readonly number[]): InputKind | undefined => {
    const p = permOf(name);
    if (p && p.length === perm.length && p.every((x, i) => x === perm[i])) return { kind: 'transposed', source: producer.get(name)!.inputs[0]! };
    const shape = shapeOfValue(graph, shapes, name);
    if (shape === undefined || shape === null) return undefined;
    if (shape.length > perm.length) return undefined;
    if (shape.every((d) => d === 1)) return { kind: 'free' };
    if (graph.initializers.has(name)) return { kind: 'constant' };
    const decoder = decoderOf(name);
    if (decoder) return { kind: 'decoded', decoder };
    const full = [...new Array(perm.length - shape.length).fill(1), ...shape];
    return { kind: 'other', rank: shape.length, cheap: movesOnlyUnitAxes(full, inversePerm(perm)) };
  };

  // Shape(Transpose(y, perm)) = Gather(Shape(y), perm): the shape needs no data moved.
  const shapeThroughTranspose = (node: OnnxNode): OnnxNode[] | undefined => {
    const perm = permOf(node.inputs[0]!);
    if (!perm || Object.keys(node.attrs).length) return undefined;
    const inner = unique(`${node.outputs[0]}/untransposed`);
    const indices = unique(`${node.name}/perm`);
    graph.initializers.set(indices, { name: indices, dtype: 'int64', dims: [perm.length], data: BigInt64Array.from(perm.map(BigInt)) });
    shapes.set(inner, { dtype: 'int64', shape: [perm.length] });
    const shape: OnnxNode = { name: node.name, opType: 'Shape', inputs: [producer.get(node.inputs[0]!)!.inputs[0]!], outputs: [inner], attrs: {} };
    const gather: OnnxNode = { name: unique(`${node.name}/Gather`), opType: 'Gather', inputs: [inner, indices], outputs: [...node.outputs], attrs: { axis: onnxAttr.int(0) } };
    producer.set(inner, shape);
    producer.set(node.outputs[0]!, gather);
    rewrites++;
    return [shape, gather];
  };

  const tryPush = (node: OnnxNode): OnnxNode[] | undefined => {
    if (node.opType === 'Shape') return shapeThroughTranspose(node);
    const rule = SINK_RULES[node.opType];
    if (!rule) return undefined;
    const layout = rule.layoutInputs(node);
    const perm = layout.map((i) => permOf(node.inputs[i]!)).find((p) => p !== undefined);
    if (!perm) return undefined;
    const kinds = layout.map((i) => classify(node.inputs[i]!, perm));
    if (kinds.some((k) => k === undefined)) return undefined;
    const transposed = new Set(layout.filter((_, j) => kinds[j]!.kind === 'transposed').map((i) => node.inputs[i]));
    const others = new Set(layout.filter((_, j) => { const k = kinds[j]!; return k.kind === 'other' && !k.cheap; }).map((i) => node.inputs[i]));
    if (transposed.size < others.size + 1) return undefined;
    const saved = { inputs: [...node.inputs], attrs: { ...node.attrs } };
    const outPerms = rule.rewrite(node, perm, graph);
    if (!outPerms) { node.inputs = saved.inputs; node.attrs = saved.attrs; return undefined; }
    const inv = inversePerm(perm);
    const before: OnnxNode[] = [];
    layout.forEach((i, j) => {
      const k = kinds[j]!;
      const name = node.inputs[i]!;
      if (k.kind === 'transposed') node.inputs[i] = k.source;
      else if (k.kind === 'constant') node.inputs[i] = permutedConstant(graph, name, inv, unique);
      else if (k.kind === 'decoded') {
        const decoded = permutedDecoded(k.decoder, inv);
        before.push(decoded);
        node.inputs[i] = decoded.outputs[0]!;
      }
      else if (k.kind === 'other') {
        let src = name;
        const missing = perm.length - k.rank;
        if (missing > 0) {
          // Broadcasting aligns trailing axes: make the rank explicit before permuting.
          const axes = unique(`${name}/axes`);
          graph.initializers.set(axes, { name: axes, dtype: 'int64', dims: [missing], data: BigInt64Array.from({ length: missing }, (_, a) => BigInt(a)) });
          const u = unique(`${name}/unsqueezed`);
          before.push({ name: unique(`${node.name}/Unsqueeze`), opType: 'Unsqueeze', inputs: [src, axes], outputs: [u], attrs: {} });
          const s = shapeOfValue(graph, shapes, name)!;
          shapes.set(u, { dtype: shapes.get(name)?.dtype ?? 'float32', shape: [...new Array(missing).fill(1), ...s!] });
          src = u;
        }
        const t = unique(`${name}/transposed`);
        before.push({ name: unique(`${node.name}/Transpose`), opType: 'Transpose', inputs: [src], outputs: [t], attrs: { perm: onnxAttr.ints(inv) } });
        shapes.set(t, { dtype: shapes.get(name)?.dtype ?? 'float32', shape: permuteShape(shapeOfValue(graph, shapes, src) ?? null, inv) });
        src = t;
        node.inputs[i] = src;
      }
    });
    const after: OnnxNode[] = [];
    node.outputs = node.outputs.map((o, k) => {
      const p = outPerms[k];
      if (!p || isIdentityPerm(p)) return o;
      const inner = unique(`${o}/sunk`);
      const info = shapes.get(o);
      shapes.set(inner, { dtype: info?.dtype ?? 'float32', shape: permuteShape(info?.shape ?? null, inversePerm(p)) });
      after.push({ name: unique(`${node.name}/Transpose`), opType: 'Transpose', inputs: [inner], outputs: [o], attrs: { perm: onnxAttr.ints(p) } });
      return inner;
    });
    for (const n of [...before, node, ...after]) for (const o of n.outputs) producer.set(o, n);
    rewrites++;
    return [...before, node, ...after];
  };

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    const start = rewrites;
    seen.clear();
    const nodes: OnnxNode[] = [];
    for (const node of graph.nodes) {
      if (node.opType === 'Transpose') {
        const merged = mergeTranspose(node);
        if (!merged) continue;
        producer.set(merged.outputs[0]!, merged);
        nodes.push(merged);
        continue;
      }
      nodes.push(...(tryPush(node) ?? [node]));
    }
    graph.nodes = nodes;
    if (rewrites === start) break;
  }
  return rewrites;
}

/** A constant of rank ≤ perm's, broadcast-aligned and permuted at export time. */
function permutedConstant(graph: OnnxGraph, name: string, perm: readonly number[], unique: (b: string) => string): string {
  const t = graph.initializers.get(name)!;
  const dims = [...new Array(perm.length - t.dims.length).fill(1), ...t.dims];
  const out = unique(`${name}/permuted`);
  graph.initializers.set(out, { name: out, dtype: t.dtype, dims: perm.map((p) => dims[p]!), data: transposeData(t.data as Float32Array, dims, perm) });
  return out;
}

/** Whether transposing a tensor of `shape` by `perm` keeps its element order (only size-1 axes move; one unknown axis at most). */
export function movesOnlyUnitAxes(shape: readonly number[], perm: readonly number[]): boolean {
  if (shape.filter((d) => d < 0).length > 1) return false;
  const moved = perm.filter((p) => shape[p] !== 1);
  return moved.every((p, i) => i === 0 || moved[i - 1]! < p);
}
