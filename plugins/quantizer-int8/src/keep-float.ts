import { quantizeWeightsFilter, type Graph, type Logger, type Node } from '@modelport/core';

export const KEEP_FLOAT_REASON = '--keep-float';

/** The nodes --keep-float names (node names or globs with *); warns of patterns that match no node. */
export function keepFloatRule(graph: Graph, patterns: readonly string[] | undefined, logger: Logger): (node: Node) => string | undefined {
  if (!patterns?.length) return () => undefined;
  const unmatched = patterns.filter((p) => !graph.nodes.some((n) => quantizeWeightsFilter([p])(n.name)));
  if (unmatched.length) logger.warn(`--keep-float ${unmatched.map((p) => `"${p}"`).join(', ')} match(es) no node of the graph`);
  const selected = quantizeWeightsFilter(patterns);
  return (node) => (selected(node.name) ? KEEP_FLOAT_REASON : undefined);
}
