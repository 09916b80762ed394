import {
  attr, inferShapes, parseTensorRef, planControlFlow, tensorRef, type ControlFlowPlan, type Graph, type Logger, type Node, type ShapeRule, type TensorRef,
} from '@modelport/core';
import { inferTensorFacts, type TensorFacts } from './infer-shapes.js';
import { TFLITE_OPS } from './ops/index.js';
import { staticInputShapes, type StaticInputs } from './pin-shapes.js';
import { neededNodes } from './prune.js';
import { shapeDependence, type ShapeDependence } from './shape-dependence.js';
import { assertTfliteCanExpress } from './supported-ops.js';

/** What the export knows of a graph before it translates a node: what it needs, and the facts of every tensor it reads. */
export interface GraphFacts {
  readonly nodes: readonly Node[];
  readonly controlFlow: ControlFlowPlan;
  readonly pinned: StaticInputs;
  readonly dependence: ShapeDependence;
  readonly facts: ReadonlyMap<TensorRef, TensorFacts>;
}

// Ops with several outputs: all of them get a TFLite tensor, read or not.
function outputCount(node: Node): number {
  switch (node.op) {
    case 'Split': case 'SplitV': return attr.int(node, 'num_split', 1);
    case 'Unpack': return attr.int(node, 'num', 1);
    // NonMaxSuppressionV5 has a third output (valid_outputs), which tfjs does not compute.
    case 'TopKV2': case 'NonMaxSuppressionV4': case 'NonMaxSuppressionV5': case 'TensorArrayV3': case 'Switch': return 2;
    default: return 1;
  }
}

/** Every tensor the conversion will ask about. */
function referencedTensors(nodes: readonly Node[], outputs: readonly TensorRef[]): Set<TensorRef> {
  const refs = new Set<TensorRef>(outputs);
  for (const node of nodes) {
    for (const r of node.inputs) refs.add(r);
    const count = outputCount(node);
    if (count > 1) for (let i = 0; i < count; i++) refs.add(tensorRef(node.name, i));
  }
  return refs;
}

/**
 * The Placeholders to pin: those the outputs read, and every one a signature declares as its input,
 * since the file keeps each declared input (unread or not) so that feeding it works.
 */
function inputsToPin(graph: Graph, nodes: readonly Node[]): Node[] {
  const declared = Object.keys(graph.signatures).length
    ? Object.values(graph.signatures).flatMap((s) => Object.values(s.inputs).map((t) => parseTensorRef(t.name).node))
    : graph.inputs;
  const names = new Set([...nodes.filter((n) => n.op === 'Placeholder').map((n) => n.name), ...declared]);
  return graph.nodes.filter((n) => n.op === 'Placeholder' && names.has(n.name));
}

/**
 * Prunes the graph to what `outputs` need, pins its input shapes, refuses ops TFLite cannot
 * express (before any input shape problem: no shape would fix them), and learns the facts of
 * every tensor: core's shape inference at the pinned shapes (its rule table, unless `rules` is
 * given), the tfjs probe for the rest.
 */
export async function graphFacts(graph: Graph, outputs: readonly TensorRef[], logger: Logger, rules?: Readonly<Record<string, ShapeRule>>): Promise<GraphFacts> {
  const nodes = neededNodes(graph, outputs);
  const controlFlow = planControlFlow(graph, new Set(nodes.map((n) => n.name)));
  const pruned = { ...graph, nodes };
  let pinned: StaticInputs;
  try {
    pinned = staticInputShapes(graph, inputsToPin(graph, nodes));
  } catch (e) {
    assertTfliteCanExpress(nodes, TFLITE_OPS, shapeDependence(nodes, inferShapes(pruned, { rules })).foldable, controlFlow);
    throw e;
  }
  const inference = inferShapes(pruned, { inputShapes: Object.fromEntries(pinned.shapes), rules });
  const dependence = shapeDependence(nodes, inference);
  assertTfliteCanExpress(nodes, TFLITE_OPS, dependence.foldable, controlFlow);
  const facts = await inferTensorFacts(graph, nodes, dependence, inference, pinned.shapes, referencedTensors(nodes, outputs), logger, controlFlow);
  const learnt: GraphFacts = { nodes, controlFlow, pinned, dependence, facts };
  const sources = shapeSources(learnt);
  logger.debug(`tflite: ${sources.inference} computed tensor shape(s) proven by shape inference, ${sources.probe} from the tfjs probe run`);
  return learnt;
}

/** Of the computed tensors (not Consts or inputs), how many have a shape proven by core's inference, and how many the probe's. */
export function shapeSources({ nodes, facts }: GraphFacts): { inference: number; probe: number } {
  const given = new Set(nodes.filter((n) => n.op === 'Const' || n.op === 'Placeholder').map((n) => n.name));
  let inference = 0, probe = 0;
  for (const [ref, f] of facts) {
    if (given.has(parseTensorRef(ref).node)) continue;
    if (f.proven) inference++; else probe++;
  }
  return { inference, probe };
}
