import { GraphError } from './errors.js';
import { findGraphProblems, type GraphProblem } from './graph/validate.js';
import type { Graph } from './graph/types.js';

/** The waterfall hooks whose every tap must hand the next one a valid graph. */
export const GRAPH_WATERFALL_HOOKS: ReadonlySet<string> = new Set(['transformGraph', 'quantize']);

const ROLE: Readonly<Record<string, string>> = { transformGraph: 'a pass', quantize: 'a quantizer' };
const LISTED = 20;

/** What keeps an object from being a Graph: "constants is not a Map", … (empty when it is one). */
function graphShapeProblems(g: Record<string, unknown>): string[] {
  const problems = (['nodes', 'inputs', 'outputs'] as const).filter((k) => !Array.isArray(g[k])).map((k) => `${k} is not an array`);
  if (!(g.constants instanceof Map)) problems.push('constants is not a Map');
  for (const k of ['signatures', 'metadata'] as const) if (!g[k] || typeof g[k] !== 'object') problems.push(`${k} is not an object`);
  return problems;
}

/** Why `value` is not a graph, or undefined when it is shaped like one. */
function notAGraph(value: unknown): string | undefined {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const problems = graphShapeProblems(value as Record<string, unknown>);
  return problems.length ? `an object that is not a graph (${problems.join(', ')})` : undefined;
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
  const shape = notAGraph(value);
  if (shape) throw new GraphError(`returned ${shape}; ${role} must return the graph (the one it received when it changes nothing)`);
  const problems = findGraphProblems(value as Graph);
  if (problems.length === 0) return value as Graph;
  if (problems.length === 1) {
    const only = problems[0]!;
    throw new GraphError(`returned an invalid graph: ${only.message}`, { node: only.node, op: only.op });
  }
  // Several problems: each names its node in the list; the location would repeat the first.
  const more = problems.length > LISTED ? `; and ${problems.length - LISTED} more` : '';
  const list = problems.slice(0, LISTED).map(describeProblem).join('; ');
  throw new GraphError(`returned an invalid graph, ${problems.length} problems: ${list}${more}`);
}
