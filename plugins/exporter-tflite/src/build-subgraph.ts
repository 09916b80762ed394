import { parseTensorRef, tensorRef, UnsupportedOpsError, type Node, type TensorRef } from '@modelport/core';
import { UnsupportedVariant, type TfliteOpTable } from './conversion.js';
import { fuseActivations } from './fuse-activations.js';
import type { TensorFacts } from './infer-shapes.js';
import type { TfliteModelBuilder } from './model-builder.js';
import { NodeConversion } from './node-conversion.js';
import { addSignatureInputs, addSignatureOutputs, type EdgeInput, type EdgeOutput, type EdgeTensor } from './signature-edges.js';
import { SubGraphBuilder } from './subgraph-builder.js';
import { TensorScope, type Float16Policy } from './tensor-scope.js';

/** Ops that produce nothing at run time in TFLite. */
const NO_OPERATOR = new Set(['Const', 'Placeholder', 'NoOp']);

export interface SubGraphPlan {
  readonly name: string;
  /** The nodes the outputs need, in topological order. */
  readonly nodes: readonly Node[];
  readonly inputs: readonly EdgeInput[];
  readonly outputs: readonly EdgeOutput[];
}

export interface BuiltSubGraph {
  readonly index: number;
  readonly inputs: readonly EdgeTensor[];
  readonly outputs: readonly EdgeTensor[];
  /** IR ops that became operators (folded ones excepted). */
  readonly irOps: ReadonlySet<string>;
}

/**
 * Translates the nodes of one signature into a TFLite subgraph of `model`. Nodes whose values are
 * known at export time become constants; every node a converter refuses is collected and reported
 * at once in an UnsupportedOpsError.
 */
export function buildSubGraph(
  model: TfliteModelBuilder, plan: SubGraphPlan, facts: ReadonlyMap<TensorRef, TensorFacts>, table: TfliteOpTable, float16: Float16Policy,
): BuiltSubGraph {
  const subgraph = new SubGraphBuilder(model, plan.name);
  const scope = new TensorScope(subgraph, facts, float16);
  const inputs = addSignatureInputs(scope, plan.inputs);
  const refused: { node: string; op: string }[] = [];
  const poisoned = new Set<string>();
  const irOps = new Set<string>();
  for (const node of plan.nodes) {
    if (NO_OPERATOR.has(node.op) || isFolded(node, facts)) continue;
    if (node.inputs.some((r) => poisoned.has(parseTensorRef(r).node))) { poisoned.add(node.name); continue; }
    try {
      const convert = table[node.op];
      if (!convert) throw new UnsupportedVariant('no TFLite builtin, and its value is too large to compute at export time');
      const result = convert(new NodeConversion(node, scope));
      const list = Array.isArray(result) ? result : [result];
      list.forEach((t, i) => scope.bind(tensorRef(node.name, i), t));
      irOps.add(node.op);
    } catch (e) {
      if (!(e instanceof UnsupportedVariant)) throw e;
      refused.push({ node: node.name, op: `${node.op} (${e.reason})` });
      poisoned.add(node.name);
    }
  }
  if (refused.length) throw new UnsupportedOpsError('TFLite builtins', refused, { node: refused[0]!.node });
  const outputs = addSignatureOutputs(scope, plan.outputs);
  fuseActivations(subgraph);
  return { index: model.addSubGraph(subgraph.build()), inputs, outputs, irOps };
}

/** A node whose outputs all have values known at export time needs no operator. */
function isFolded(node: Node, facts: ReadonlyMap<TensorRef, TensorFacts>): boolean {
  const f = facts.get(tensorRef(node.name));
  if (f?.value === undefined) return false;
  for (let i = 1; facts.has(tensorRef(node.name, i)); i++) if (facts.get(tensorRef(node.name, i))!.value === undefined) return false;
  return true;
}
