import { GraphError } from './errors.js';
import { findGraphProblems, type GraphProblem } from './graph/validate.js';
import type { Graph } from './graph/types.js';

/** The waterfall hooks whose every tap must hand the next one a valid graph. */
export const GRAPH_WATERFALL_HOOKS: ReadonlySet<string> = new Set(['transformGraph', 'quantize']);

const ROLE: Readonly<Record<string, string>> = { transformGraph: 'a pass', quantize: 'a quantizer' };
const LISTED = 20;

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object that is not a graph (it needs nodes, inputs, outputs, constants, signatures)' : `a ${typeof value}`;
}

function isGraphShaped(value: unknown): value is Graph {
  const g = value as Partial<Graph> | null | undefined;
  return !!g && typeof g === 'object' && Array.isArray(g.nodes) && Array.isArray(g.inputs) && Array.isArray(g.outputs)
    && g.constants instanceof Map && !!g.signatures && typeof g.signatures === 'object';
}

function describeProblem(p: GraphProblem): string {
  return p.node ? `"${p.node}"${p.op ? ` (${p.op})` : ''}: ${p.message}` : p.message;
}

/**
 * Checks what one tap of transformGraph or quantize returned, so that a broken graph is blamed on
 * the tap that made it rather than on the next one to trip over it (the caller wraps the thrown
 * GraphError with the plugin and hook). Linear in the graph's size: one map of names, one pass.
 */
export function checkTapGraph(hook: string, value: unknown): Graph {
  const role = ROLE[hook] ?? 'a tap';
  if (!isGraphShaped(value)) {
    throw new GraphError(`returned ${value === undefined ? 'undefined' : describeValue(value)}; ${role} must return the graph (the one it received when it changes nothing)`);
  }
  const problems = findGraphProblems(value);
  if (problems.length === 0) return value;
  if (problems.length === 1) {
    const only = problems[0]!;
    throw new GraphError(`returned an invalid graph: ${only.message}`, { node: only.node, op: only.op });
  }
  // Several problems: each names its node in the list; the location would repeat the first.
  const more = problems.length > LISTED ? `; and ${problems.length - LISTED} more` : '';
  const list = problems.slice(0, LISTED).map(describeProblem).join('; ');
  throw new GraphError(`returned an invalid graph, ${problems.length} problems: ${list}${more}`);
}
