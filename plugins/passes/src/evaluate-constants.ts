import { GraphExecutor, nodeMap, parseTensorRef, silentLogger, type Graph, type Logger, type Node, type TensorData, type TensorRef } from '@modelport/core';

/**
 * The part of `graph` that computes `refs` from constants: their data ancestors, control inputs
 * dropped (they all name constants, which are always ready), no inputs, `refs` as outputs.
 */
export function constantSubgraph(graph: Graph, refs: readonly TensorRef[]): Graph {
  const byName = nodeMap(graph);
  const needed = new Set<string>();
  const stack = refs.map((r) => parseTensorRef(r).node);
  while (stack.length) {
    const node = byName.get(stack.pop()!);
    if (!node || needed.has(node.name)) continue;
    needed.add(node.name);
    for (const ref of node.inputs) stack.push(parseTensorRef(ref).node);
  }
  const nodes = graph.nodes.filter((n) => needed.has(n.name)).map((n): Node => {
    if (!n.controlInputs) return n;
    const { controlInputs: _dropped, ...rest } = n;
    return rest;
  });
  return {
    inputs: [], outputs: [...refs], nodes,
    constants: new Map([...graph.constants].filter(([name]) => needed.has(name))),
    signatures: {}, metadata: {},
  };
}

/** A value tfjs computed, or why it could not. */
export type Evaluation = { readonly value: TensorData } | { readonly error: Error };

async function run(graph: Graph, refs: readonly TensorRef[], logger: Logger): Promise<TensorData[]> {
  const executor = await GraphExecutor.create(constantSubgraph(graph, refs), logger);
  try {
    return await executor.run({}, refs);
  } finally {
    executor.dispose();
  }
}

/**
 * Computes constant tensors of `graph` with tfjs, all in one run; when that run fails (an op tfjs
 * lacks, say), each node's tensors are computed on their own, so that one bad node costs only itself.
 */
export async function evaluateConstantTensors(graph: Graph, refs: readonly TensorRef[], logger: Logger = silentLogger): Promise<Map<TensorRef, Evaluation>> {
  const out = new Map<TensorRef, Evaluation>();
  if (refs.length === 0) return out;
  try {
    const values = await run(graph, refs, logger);
    refs.forEach((ref, i) => out.set(ref, { value: values[i]! }));
    return out;
  } catch (e) {
    logger.debug(`fold-constants: evaluating ${refs.length} tensor(s) at once failed (${(e as Error).message.split('\n')[0]}); trying node by node`);
  }
  const byNode = new Map<string, TensorRef[]>();
  for (const ref of refs) {
    const node = parseTensorRef(ref).node;
    byNode.set(node, [...(byNode.get(node) ?? []), ref]);
  }
  for (const group of byNode.values()) {
    try {
      const values = await run(graph, group, logger);
      group.forEach((ref, i) => out.set(ref, { value: values[i]! }));
    } catch (e) {
      for (const ref of group) out.set(ref, { error: e as Error });
    }
  }
  return out;
}
