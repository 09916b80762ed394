import { TFJS_OPS, UnsupportedOpsError, type Graph } from '@modelport/core';
/**
 * Throws one error listing every node whose op tfjs cannot execute, before anything is written.
 * `customOps` are ops the user registers in tfjs at run time (tf.registerOp).
 */
export function assertTfjsCanRun(graph: Graph, customOps: readonly string[]): void {
  const custom = new Set(customOps);
  const unsupported = graph.nodes.filter((n) => !TFJS_OPS.has(n.op) && !custom.has(n.op)).map((n) => ({ node: n.name, op: n.op }));
  if (unsupported.length) throw new UnsupportedOpsError('tfjs', unsupported, { node: unsupported[0]!.node, op: unsupported[0]!.op });
}

export { TFJS_OPS };
