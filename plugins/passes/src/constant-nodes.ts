import { parseTensorRef, type Graph } from '@modelport/core';
import { canTakeControlInputs, castsFloatToBool, isControlFlowOp, isFoldableOp } from './op-kinds.js';

/**
 * Names of the nodes that run unconditionally in the root frame: nothing they depend on, by data or
 * control, is a control-flow op. Conservative: what follows a cond's Merge counts as conditional too.
 * A control input from such a node can never make its reader dead, so it orders nothing in a pure graph.
 */
export function unconditionalNodes(graph: Graph): Set<string> {
  const unconditional = new Set<string>();
  for (const node of graph.nodes) {
    if (isControlFlowOp(node.op)) continue;
    const deps = [...node.inputs.map((r) => parseTensorRef(r).node), ...(node.controlInputs ?? [])];
    if (deps.every((d) => unconditional.has(d))) unconditional.add(node.name);
  }
  return unconditional;
}

/**
 * Names of the nodes whose value follows from constants alone: Consts, and foldable ops whose data
 * inputs all come from such nodes; the control inputs of both must name constant or unconditional
 * nodes (a Const gated by a cond pivot is dead when its branch is not taken; one gated by a loop's
 * Identity lives in the loop frame). Relies on the topological order of `graph.nodes`.
 */
export function constantNodes(graph: Graph): Set<string> {
  const unconditional = unconditionalNodes(graph);
  const constant = new Set<string>();
  for (const node of graph.nodes) {
    const computable = node.op === 'Const' || (isFoldableOp(node.op) && node.inputs.length > 0 && !castsFloatToBool(node));
    if (!computable) continue;
    // tfjs reads the control inputs of ConcatV2, AddN… as data: folding would change what it computes.
    if (node.controlInputs?.length && !canTakeControlInputs(node.op)) continue;
    const dataFromConstants = node.inputs.every((r) => constant.has(parseTensorRef(r).node));
    const controlsHarmless = (node.controlInputs ?? []).every((c) => constant.has(c) || unconditional.has(c));
    if (dataFromConstants && controlsHarmless) constant.add(node.name);
  }
  return constant;
}
