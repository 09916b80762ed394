import { GraphError } from '../errors.js';
import { sizeOfShape } from './dtype.js';
import { parseTensorRef } from './refs.js';
import type { Graph, Node } from './types.js';

export interface GraphProblem {
  readonly node?: string;
  readonly op?: string;
  readonly message: string;
}

// v1 while loops feed NextIteration back into Merge: that edge may point forward.
function isBackEdge(consumer: Node, producer: Node | undefined): boolean {
  return consumer.op === 'Merge' && producer?.op === 'NextIteration';
}

/**
 * Every structural problem of a graph, all at once: duplicate names, dangling references, nodes out
 * of topological order, inputs that are not Placeholders, Consts without values, values whose
 * size does not match their shape, signatures naming unknown tensors.
 */
export function findGraphProblems(graph: Graph): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const byName = new Map<string, Node>();
  for (const node of graph.nodes) {
    if (byName.has(node.name)) problems.push({ node: node.name, op: node.op, message: 'name is used by two nodes' });
    byName.set(node.name, node);
  }
  const seen = new Set<string>();
  for (const node of graph.nodes) {
    for (const ref of node.inputs) {
      const producer = byName.get(parseTensorRef(ref).node);
      if (!producer) problems.push({ node: node.name, op: node.op, message: `input "${ref}" names no node` });
      else if (!seen.has(producer.name) && !isBackEdge(node, producer)) {
        problems.push({ node: node.name, op: node.op, message: `input "${ref}" comes later in the node order (graph not topological or cyclic)` });
      }
    }
    for (const ctrl of node.controlInputs ?? []) {
      if (!byName.has(ctrl)) problems.push({ node: node.name, op: node.op, message: `control input "^${ctrl}" names no node` });
    }
    if (node.op === 'Const') {
      const value = graph.constants.get(node.name);
      if (!value) problems.push({ node: node.name, op: node.op, message: 'Const node has no value in graph.constants' });
      else if (value.dtype !== 'string' && !Array.isArray(value.values)) {
        const expected = sizeOfShape(value.shape) * (value.dtype === 'complex64' ? 2 : 1);
        const got = (value.values as ArrayLike<unknown>).length;
        if (got !== expected) problems.push({ node: node.name, op: node.op, message: `value has ${got} elements, shape [${value.shape}] needs ${expected}` });
      }
    }
    seen.add(node.name);
  }
  for (const name of graph.inputs) {
    const node = byName.get(name);
    if (!node) problems.push({ node: name, message: 'graph input names no node' });
    else if (node.op !== 'Placeholder') problems.push({ node: name, op: node.op, message: 'graph input is not a Placeholder' });
  }
  for (const ref of graph.outputs) {
    if (!byName.has(parseTensorRef(ref).node)) problems.push({ message: `graph output "${ref}" names no node` });
  }
  for (const [key, sig] of Object.entries(graph.signatures)) {
    for (const [side, tensors] of [['input', sig.inputs], ['output', sig.outputs]] as const) {
      for (const [name, t] of Object.entries(tensors)) {
        if (!byName.has(parseTensorRef(t.name).node)) problems.push({ message: `signature "${key}" ${side} "${name}" refers to unknown tensor "${t.name}"` });
      }
    }
  }
  return problems;
}

/** Throws one GraphError listing every problem, naming the first node involved. */
export function assertValidGraph(graph: Graph, context = 'graph'): void {
  const problems = findGraphProblems(graph);
  if (problems.length === 0) return;
  const first = problems[0]!;
  const list = problems.slice(0, 20).map((p) => (p.node ? `"${p.node}"${p.op ? ` (${p.op})` : ''}: ${p.message}` : p.message));
  const more = problems.length > 20 ? `; and ${problems.length - 20} more` : '';
  throw new GraphError(`${context} is invalid, ${problems.length} problem(s): ${list.join('; ')}${more}`, { node: first.node, op: first.op });
}

/**
 * Orders nodes so that every producer comes before its consumers (NextIteration back edges
 * excepted), keeping the given order where it already is. Throws on a true cycle.
 */
export function topologicalOrder(nodes: readonly Node[]): Node[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: Node[] = [];
  const visit = (root: Node): void => {
    // Iterative DFS: real graphs are deep enough to overflow recursion.
    const stack: { node: Node; deps: string[]; i: number }[] = [];
    const push = (node: Node) => {
      state.set(node.name, 'visiting');
      const deps = [...node.inputs.map((r) => parseTensorRef(r).node), ...(node.controlInputs ?? [])]
        .filter((d) => !isBackEdge(node, byName.get(d)));
      stack.push({ node, deps, i: 0 });
    };
    push(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.deps.length) {
        const dep = byName.get(top.deps[top.i++]!);
        if (!dep) continue;
        const s = state.get(dep.name);
        if (s === 'visiting') throw new GraphError(`cycle through "${dep.name}"`, { node: dep.name, op: dep.op });
        if (s === undefined) push(dep);
      } else {
        state.set(top.node.name, 'done');
        ordered.push(top.node);
        stack.pop();
      }
    }
  };
  for (const node of nodes) if (!state.has(node.name)) visit(node);
  return ordered;
}
