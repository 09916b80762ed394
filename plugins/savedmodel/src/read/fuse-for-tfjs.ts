import { attr, attrValue, parseTensorRef, type Graph, type Node } from '@modelport/core';

/** TensorFlow's op → the fused op tfjs runs in one kernel (what tfjs's converter writes). */
const FUSED_OF: Readonly<Record<string, string>> = {
  Conv2D: '_FusedConv2D',
  DepthwiseConv2dNative: 'FusedDepthwiseConv2dNative',
  MatMul: '_FusedMatMul',
};

/** Activations tfjs fuses, by op name. */
const FUSABLE_ACTIVATIONS = new Set(['Relu', 'Relu6', 'Elu', 'Sigmoid', 'LeakyRelu']);

/**
 * Conv2D / DepthwiseConv2dNative / MatMul followed by BiasAdd (and one activation) become the one
 * fused op tfjs's converter makes of them (grappler's remapper does the same in TensorFlow). tfjs
 * then runs the model as fast as a converted one, and with the same rounding: its fused kernels
 * add the bias inside the convolution, so a graph left unfused differs from the tfjs model it was
 * written from by up to 1e-3 on deep networks. A step is fused only when its output feeds nothing
 * else and no signature returns it; the fused node keeps the name of the chain's last node.
 */
export function fuseForTfjs(graph: Graph): Graph {
  const consumers = new Map<string, number>();
  const count = (node: string) => consumers.set(node, (consumers.get(node) ?? 0) + 1);
  for (const n of graph.nodes) {
    for (const r of n.inputs) count(parseTensorRef(r).node);
    for (const c of n.controlInputs ?? []) count(c);
  }
  for (const sig of Object.values(graph.signatures)) for (const t of Object.values(sig.outputs)) count(parseTensorRef(t.name).node);
  for (const r of graph.outputs) count(parseTensorRef(r).node);

  const onlyConsumer = new Map<string, Node>();
  for (const n of graph.nodes) {
    const first = n.inputs[0] ? parseTensorRef(n.inputs[0]) : undefined;
    if (first && first.index === 0 && consumers.get(first.node) === 1) onlyConsumer.set(first.node, n);
  }
  const absorbed = new Set<string>();
  const replaced = new Map<string, Node>();
  for (const base of graph.nodes) {
    const fusedOp = FUSED_OF[base.op];
    if (!fusedOp || base.inputs.length !== 2 || base.controlInputs?.length) continue;
    const bias = onlyConsumer.get(base.name);
    if (!bias || bias.op !== 'BiasAdd' || bias.inputs.length !== 2 || bias.controlInputs?.length || attr.string(bias, 'data_format', 'NHWC') !== 'NHWC') continue;
    const next = onlyConsumer.get(bias.name);
    const activation = next && FUSABLE_ACTIVATIONS.has(next.op) && next.inputs.length === 1 && !next.controlInputs?.length ? next : undefined;
    const last = activation ?? bias;
    const fusedOps = ['BiasAdd', ...(activation ? [activation.op] : [])];
    replaced.set(last.name, {
      name: last.name, op: fusedOp, inputs: [...base.inputs, bias.inputs[1]!],
      attrs: {
        ...base.attrs,
        fused_ops: attrValue.strings(fusedOps), num_args: attrValue.int(1), epsilon: attrValue.float(0),
        ...(activation?.op === 'LeakyRelu' ? { leakyrelu_alpha: attrValue.float(attr.float(activation, 'alpha', 0.2)) } : {}),
      },
      ...(base.device ? { device: base.device } : {}),
    });
    absorbed.add(base.name);
    if (activation) absorbed.add(bias.name);
  }
  if (!replaced.size) return graph;
  const nodes = graph.nodes.filter((n) => !absorbed.has(n.name)).map((n) => replaced.get(n.name) ?? n);
  return { ...graph, nodes };
}
