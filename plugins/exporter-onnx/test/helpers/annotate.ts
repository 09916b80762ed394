import {
  asymmetricParams, GraphExecutor, INT8_OPS, parseTensorRef, QUANTIZATION_SUMMARY_KEY, symmetricParams,
  type ConstantTensor, type Graph, type Node, type Quantization, type TensorData, type TensorRef,
} from '@modelport/core';

/** min and max of every float tensor the nodes produce, over the samples, from the float graph run in tfjs. */
export async function tensorRanges(graph: Graph, samples: readonly Record<string, TensorData>[]): Promise<Map<TensorRef, [number, number]>> {
  const refs = graph.nodes.filter((n) => n.op !== 'Const').map((n) => `${n.name}:0`);
  const ranges = new Map<TensorRef, [number, number]>();
  const executor = await GraphExecutor.create(graph);
  try {
    for (const feeds of samples) {
      const values = await executor.run(feeds, refs);
      refs.forEach((r, i) => {
        const t = values[i]!;
        if (t.dtype !== 'float32') return;
        let [lo, hi] = ranges.get(r) ?? [Infinity, -Infinity];
        for (const v of t.data as Float32Array) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        ranges.set(r, [lo, hi]);
      });
    }
  } finally {
    executor.dispose();
  }
  return ranges;
}

const withOutput = (n: Node, q: Quantization): Node => ({ ...n, outputs: [{ dtype: 'float32', shape: n.outputs?.[0]?.shape ?? null, quantization: q }] });

/**
 * The annotations an int8 quantizer writes (docs/formats/quantization.md), made by hand from
 * ranges: every node of an INT8_OPS op becomes int8 (unless `keepFloat` names it), weights
 * symmetric per channel, biases int32, constant operands and activations asymmetric per tensor.
 */
export function annotateInt8(graph: Graph, ranges: ReadonlyMap<TensorRef, [number, number]>, keepFloat: ReadonlySet<string> = new Set()): Graph {
  const constants = new Map<string, ConstantTensor>(graph.constants);
  const params = new Map<TensorRef, Quantization>();
  const paramsOf = (ref: TensorRef): Quantization => {
    const known = params.get(ref);
    if (known) return known;
    const c = constants.get(parseTensorRef(ref).node);
    if (c) {
      const values = c.values as Float32Array;
      const q = asymmetricParams(Math.min(...values), Math.max(...values));
      constants.set(parseTensorRef(ref).node, { ...c, quantization: q });
      params.set(ref, q);
      return q;
    }
    const [lo, hi] = ranges.get(ref)!;
    const q = asymmetricParams(lo, hi);
    params.set(ref, q);
    return q;
  };
  const nodes = graph.nodes.map((node) => {
    const rule = INT8_OPS[node.op];
    if (!rule || keepFloat.has(node.name) || rule.refuse?.(node)) return node;
    const weights = rule.weights?.(node) ?? [];
    const inputs = rule.activations(node).map((i) => paramsOf(node.inputs[i]!));
    for (const w of weights) {
      const name = parseTensorRef(node.inputs[w.input]!).node;
      const c = constants.get(name)!;
      constants.set(name, { ...c, quantization: symmetricParams(c.values as Float32Array, c.shape, w.axis) });
    }
    const bias = rule.bias?.(node);
    if (bias !== undefined) {
      const name = parseTensorRef(node.inputs[bias]!).node;
      const c = constants.get(name)!;
      const w = constants.get(parseTensorRef(node.inputs[weights[0]!.input]!).node)!.quantization!;
      const scale = Array.from({ length: c.shape[0]! }, (_, i) => inputs[0]!.scale[0]! * (w.scale.length > 1 ? w.scale[i]! : w.scale[0]!));
      constants.set(name, { ...c, quantization: { dtype: 'int32', scale, zeroPoint: scale.map(() => 0), axis: 0 } });
    }
    const out = rule.output === 'calibrated' ? paramsOf(`${node.name}:0`)
      : rule.output === 'same-as-input' ? inputs[0]!
      : { dtype: 'int8' as const, scale: [rule.output.scale], zeroPoint: [rule.output.zeroPoint] };
    params.set(`${node.name}:0`, out);
    return { ...withOutput(node, out), quantized: 'int8' as const };
  });
  // Graph inputs read by int8 nodes carry their parameters on the Placeholder.
  const annotated = nodes.map((n) => (n.op === 'Placeholder' && params.has(`${n.name}:0`) ? withOutput(n, params.get(`${n.name}:0`)!) : n));
  return { ...graph, nodes: annotated, constants, metadata: { ...graph.metadata, [QUANTIZATION_SUMMARY_KEY]: { mode: 'int8' } } };
}

/** --quantize dynamic's annotations: the weights of Conv2D, depthwise and MatMul int8 (symmetric), the nodes float. */
export function annotateDynamic(graph: Graph): Graph {
  const constants = new Map<string, ConstantTensor>(graph.constants);
  for (const node of graph.nodes) {
    for (const w of INT8_OPS[node.op]?.weights?.(node) ?? []) {
      const name = parseTensorRef(node.inputs[w.input]!).node;
      const c = constants.get(name)!;
      constants.set(name, { ...c, quantization: symmetricParams(c.values as Float32Array, c.shape, w.axis) });
    }
  }
  return { ...graph, constants, metadata: { ...graph.metadata, [QUANTIZATION_SUMMARY_KEY]: { mode: 'dynamic' } } };
}

/** --quantize float16's: every float weight of at least `min` elements stored as float16. */
export function annotateFloat16(graph: Graph, min = 16): Graph {
  const constants = new Map<string, ConstantTensor>();
  for (const [name, c] of graph.constants) {
    constants.set(name, c.dtype === 'float32' && c.values.length >= min ? { ...c, quantization: { dtype: 'float16', scale: [], zeroPoint: [] } } : c);
  }
  return { ...graph, constants, metadata: { ...graph.metadata, [QUANTIZATION_SUMMARY_KEY]: { mode: 'float16' } } };
}
