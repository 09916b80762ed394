import { UnsupportedOpsError, type ConstantTensor, type Graph, type Node } from '@modelport/core';
import { TF_OPS } from '../op-registry.js';
import { LOWERINGS } from './table.js';
import { CannotLower, type LoweringContext } from './types.js';

/** The name exporters' errors give the target. */
export const TARGET = 'TensorFlow SavedModel';

/**
 * The graph in ops TensorFlow registers: fused and tfjs-only ops lowered (lower/index.ts),
 * every other op kept as it is. An op with neither a registration nor a lowering fails the
 * export with one error listing every such node.
 */
export function lowerToTensorFlow(graph: Graph): Graph {
  const names = new Set(graph.nodes.map((n) => n.name));
  const constants = new Map<string, ConstantTensor>(graph.constants);
  const nodes: Node[] = [];
  const refused: { node: string; op: string }[] = [];
  for (const node of graph.nodes) {
    const lowering = LOWERINGS[node.op];
    if (!lowering) {
      if (TF_OPS.has(node.op)) nodes.push(node);
      else refused.push({ node: node.name, op: node.op });
      continue;
    }
    const ctx: LoweringContext = {
      name(part) {
        let name = `${node.name}/${part}`;
        for (let i = 1; names.has(name); i++) name = `${node.name}/${part}_${i}`;
        names.add(name);
        return name;
      },
      constant(part, value) {
        const name = this.name(part);
        constants.set(name, value);
        return { name, op: 'Const', inputs: [], attrs: { dtype: { type: value.dtype }, value: { tensor: { dtype: value.dtype, shape: value.shape } } } };
      },
    };
    try {
      const lowered = lowering(node, ctx).map((n) => ({
        ...n,
        ...(node.controlInputs?.length && n.op !== 'Const' ? { controlInputs: node.controlInputs } : {}),
        ...(node.device ? { device: node.device } : {}),
        ...(n.name === node.name && node.outputs ? { outputs: node.outputs } : {}),
      }));
      nodes.push(...lowered);
    } catch (e) {
      if (!(e instanceof CannotLower)) throw e;
      refused.push({ node: node.name, op: `${node.op}: ${e.message}` });
    }
  }
  if (refused.length) throw new UnsupportedOpsError(TARGET, refused);
  return { ...graph, nodes, constants };
}
