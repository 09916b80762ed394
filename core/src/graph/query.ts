import { attr } from './attrs.js';
import { parseTensorRef, tensorRef } from './refs.js';
import { DEFAULT_SIGNATURE, type Graph, type Node, type Signature, type SignatureTensor, type TensorRef } from './types.js';

/** Nodes by name. */
export function nodeMap(graph: Graph): Map<string, Node> {
  return new Map(graph.nodes.map((n) => [n.name, n]));
}

/** Names of the nodes `outputs` depend on by data (inputs followed back, control inputs ignored). */
export function dataAncestors(graph: Graph, outputs: readonly TensorRef[]): Set<string> {
  return ancestors(graph, outputs, false);
}

/** Names of the nodes `outputs` depend on by data or by control: what keeps a loop's frames whole. */
export function dataAndControlAncestors(graph: Graph, outputs: readonly TensorRef[]): Set<string> {
  return ancestors(graph, outputs, true);
}

function ancestors(graph: Graph, outputs: readonly TensorRef[], followControl: boolean): Set<string> {
  const byName = nodeMap(graph);
  const needed = new Set<string>();
  const stack = outputs.map((r) => parseTensorRef(r).node);
  while (stack.length) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    const node = byName.get(name);
    if (!node) continue;
    needed.add(name);
    for (const r of node.inputs) stack.push(parseTensorRef(r).node);
    if (followControl) for (const c of node.controlInputs ?? []) stack.push(c);
  }
  return needed;
}

/** For each node name, the nodes that read one of its outputs or depend on it by control. */
export function consumers(graph: Graph): Map<string, Node[]> {
  const out = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    const producers = new Set([...node.inputs.map((r) => parseTensorRef(r).node), ...(node.controlInputs ?? [])]);
    for (const p of producers) {
      const list = out.get(p);
      if (list) list.push(node); else out.set(p, [node]);
    }
  }
  return out;
}

/** The signature input spec of a Placeholder node, read from its attributes. */
export function placeholderTensor(node: Node): SignatureTensor {
  return {
    name: tensorRef(node.name),
    dtype: attr.dtype(node, 'dtype', 'float32'),
    shape: attr.has(node, 'shape') ? attr.shape(node, 'shape') : null,
  };
}

/** The signature to use when the caller names none: serving_default, else the only one, else one made of inputs/outputs. */
export function defaultSignature(graph: Graph): Signature {
  const sig = graph.signatures[DEFAULT_SIGNATURE] ?? Object.values(graph.signatures)[0];
  return sig ?? signatureFromEnds(graph);
}

/** A signature whose keys are the input node names and the output refs of the graph. */
export function signatureFromEnds(graph: Graph): Signature {
  const byName = nodeMap(graph);
  const inputs: Record<string, SignatureTensor> = {};
  for (const name of graph.inputs) {
    const node = byName.get(name);
    if (node) inputs[name] = placeholderTensor(node);
  }
  const outputs: Record<string, SignatureTensor> = {};
  for (const ref of graph.outputs) {
    const { node, index } = parseTensorRef(ref);
    const info = byName.get(node)?.outputs?.[index];
    outputs[index === 0 ? node : ref] = { name: ref, dtype: info?.dtype ?? 'float32', shape: info?.shape ?? null };
  }
  return { inputs, outputs };
}

/** Every tensor a signature reads or returns, for checks and pruning. */
export function signatureRefs(graph: Graph): TensorRef[] {
  return Object.values(graph.signatures).flatMap((s) => [...Object.values(s.inputs), ...Object.values(s.outputs)].map((t) => t.name));
}
