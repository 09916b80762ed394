import {
  asUint8, asymmetricParams, GraphExecutor, INT8_OPS, parseTensorRef, symmetricParams, tensorRef,
  type ConstantTensor, type Graph, type Node, type Quantization, type TensorData, type TensorRef,
} from '@modelport/core';

// Test-side annotations, as a quantizer plugin writes them (docs/formats/quantization.md), from
// ranges the float graph takes in tfjs on the given samples.

/** min/max of every float tensor the nodes write (or of the inputs only), over the samples (feeds by Placeholder name). */
export async function tensorRanges(graph: Graph, samples: readonly Record<string, TensorData>[], inputsOnly = false): Promise<Map<TensorRef, [number, number]>> {
  const refs = graph.nodes.filter((n) => (inputsOnly ? n.op === 'Placeholder' : n.op !== 'Const')).map((n) => tensorRef(n.name));
  const ranges = new Map<TensorRef, [number, number]>();
  const executor = await GraphExecutor.create(graph);
  try {
    for (const feeds of samples) {
      const values = await executor.run(feeds, refs);
      refs.forEach((r, i) => {
        const v = values[i]!;
        if (!String(v.dtype).startsWith('float')) return;
        let [lo, hi] = ranges.get(r) ?? [Infinity, -Infinity];
        for (const x of v.data as Float32Array) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
        ranges.set(r, [lo, hi]);
      });
    }
  } finally {
    executor.dispose();
  }
  return ranges;
}

function withConstant(constants: Map<string, ConstantTensor>, name: string, q: Quantization): void {
  constants.set(name, { ...constants.get(name)!, quantization: q });
}

/**
 * Marks every node of core's INT8_OPS int8 (those `keepFloat` names excepted) and annotates weights,
 * biases, constant operands, activations and the inputs feeding int8 nodes. `io` makes the default
 * signature's inputs and outputs integer edges of that type (int8-full).
 */
export function annotateInt8(graph: Graph, ranges: ReadonlyMap<TensorRef, [number, number]>, opts: { keepFloat?: readonly string[]; io?: 'uint8' | 'int8' } = {}): Graph {
  const constants = new Map(graph.constants);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const params = new Map<TensorRef, Quantization>();
  const paramsOf = (ref: TensorRef): Quantization => {
    const known = params.get(normalized(ref));
    if (known) return known;
    const node = byName.get(parseTensorRef(ref).node)!;
    if (node.op === 'Const') {
      const c = constants.get(node.name)!;
      const values = c.values as Float32Array;
      const q = asymmetricParams(Math.min(...values), Math.max(...values));
      withConstant(constants, node.name, q);
      params.set(normalized(ref), q);
      return q;
    }
    const [lo, hi] = ranges.get(normalized(ref)) ?? [0, 1];
    const q = asymmetricParams(lo, hi);
    params.set(normalized(ref), q);
    return q;
  };
  const int8 = new Set<string>();
  for (const node of graph.nodes) {
    const rule = INT8_OPS[node.op];
    if (!rule || opts.keepFloat?.includes(node.name) || rule.refuse?.(node)) continue;
    int8.add(node.name);
    const inputs = rule.activations(node).map((i) => paramsOf(node.inputs[i]!));
    for (const w of rule.weights?.(node) ?? []) {
      const name = parseTensorRef(node.inputs[w.input]!).node;
      const c = constants.get(name)!;
      withConstant(constants, name, symmetricParams(c.values as Float32Array, c.shape, w.axis));
    }
    const b = rule.bias?.(node);
    if (b !== undefined) {
      const name = parseTensorRef(node.inputs[b]!).node;
      const w = constants.get(parseTensorRef(node.inputs[rule.weights!(node)[0]!.input]!).node)!.quantization!;
      const scale = w.scale.map((s) => s * inputs[0]!.scale[0]!);
      withConstant(constants, name, { dtype: 'int32', scale, zeroPoint: scale.map(() => 0), ...(scale.length > 1 ? { axis: 0 } : {}) });
    }
    const out: Quantization = rule.output === 'same-as-input' ? inputs[0]!
      : rule.output === 'calibrated' ? paramsOf(tensorRef(node.name))
        : { dtype: 'int8', scale: [rule.output.scale], zeroPoint: [rule.output.zeroPoint] };
    params.set(tensorRef(node.name), out);
  }
  const nodes: Node[] = graph.nodes.map((n) => {
    const q = params.get(tensorRef(n.name));
    if (int8.has(n.name)) return { ...n, quantized: 'int8', outputs: [{ dtype: 'float32', shape: null, quantization: q! }] };
    if (n.op === 'Placeholder' && q) return { ...n, outputs: [{ dtype: 'float32', shape: null, quantization: q }] };
    return n;
  });
  const signatures = opts.io ? integerEdges(graph, params, opts.io) : graph.signatures;
  return { ...graph, nodes, constants, signatures };
}

function integerEdges(graph: Graph, params: ReadonlyMap<TensorRef, Quantization>, io: 'uint8' | 'int8'): Graph['signatures'] {
  const edge = (ref: TensorRef) => {
    const q = params.get(normalized(ref))!;
    return { dtype: io, quantization: io === 'uint8' ? asUint8(q) : q };
  };
  const sig = {
    inputs: Object.fromEntries(graph.inputs.map((name) => [name, { name: tensorRef(name), shape: null, ...edge(name) }])),
    outputs: Object.fromEntries(graph.outputs.map((ref) => [parseTensorRef(ref).node, { name: ref, shape: null, ...edge(ref) }])),
  };
  return { serving_default: sig };
}

/** dynamic: int8 symmetric weights of Conv2D (per channel), depthwise (per channel) and MatMul (per tensor); nodes stay float. */
export function annotateDynamic(graph: Graph): Graph {
  const constants = new Map(graph.constants);
  for (const node of graph.nodes) {
    for (const w of INT8_OPS[node.op]?.weights?.(node) ?? []) {
      const name = parseTensorRef(node.inputs[w.input]!).node;
      const c = constants.get(name);
      if (c) withConstant(constants, name, symmetricParams(c.values as Float32Array, c.shape, w.axis));
    }
  }
  return { ...graph, constants };
}

/** float16: every float Const of more than one value. */
export function annotateFloat16(graph: Graph): Graph {
  const constants = new Map([...graph.constants].map(([k, c]) => [k, c.dtype === 'float32' && c.values.length > 1 ? { ...c, quantization: { dtype: 'float16' as const, scale: [], zeroPoint: [] } } : c]));
  return { ...graph, constants };
}

function normalized(ref: TensorRef): TensorRef {
  const { node, index } = parseTensorRef(ref);
  return tensorRef(node, index);
}
