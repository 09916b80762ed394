import { orderUnits, UnsupportedOpsError, type ControlFlowPlan, type Node, type QuantizeMode, type TensorRef } from '@modelport/core';
import type { TfliteOpTable } from './conversion.js';
import { convertIf } from './control-flow/convert-if.js';
import { convertWhile } from './control-flow/convert-while.js';
import { fuseActivations } from './fuse-activations.js';
import type { TensorFacts } from './infer-shapes.js';
import type { TfliteModelBuilder } from './model-builder.js';
import { NodeTranslator } from './node-translator.js';
import { addSignatureInputs, addSignatureOutputs, type EdgeInput, type EdgeOutput, type EdgeTensor } from './signature-edges.js';
import { SubGraphBuilder } from './subgraph-builder.js';
import type { QuantizationAnnotations } from './quantization/annotations.js';
import { TensorScope } from './tensor-scope.js';

export interface SubGraphPlan {
  readonly name: string;
  /** The nodes the outputs need, in topological order. */
  readonly nodes: readonly Node[];
  readonly inputs: readonly EdgeInput[];
  readonly outputs: readonly EdgeOutput[];
  /** The while loops and conds among the nodes. */
  readonly controlFlow: ControlFlowPlan;
  /** The --quantize mode, named when int8 nodes are refused. */
  readonly quantize?: QuantizeMode | undefined;
}

export interface BuiltSubGraph {
  readonly index: number;
  readonly inputs: readonly EdgeTensor[];
  readonly outputs: readonly EdgeTensor[];
  /** IR ops that became operators (folded ones excepted). */
  readonly irOps: ReadonlySet<string>;
}

/**
 * Translates the nodes of one signature into a TFLite subgraph of `model`, each v1 while loop as a
 * WHILE and each cond as an IF (with subgraphs of their own, added before this one). Nodes whose
 * values are known at export time become constants; every node a converter refuses is collected
 * and reported at once in an UnsupportedOpsError.
 */
export function buildSubGraph(
  model: TfliteModelBuilder, plan: SubGraphPlan, facts: ReadonlyMap<TensorRef, TensorFacts>, table: TfliteOpTable, annotations: QuantizationAnnotations,
): BuiltSubGraph {
  const subgraph = new SubGraphBuilder(model, plan.name);
  const scope = new TensorScope(subgraph, facts, annotations);
  const inputs = addSignatureInputs(scope, plan.inputs);
  const translator = new NodeTranslator(model, facts, table, annotations);
  const rc = { translator, scope, byName: new Map(plan.nodes.map((n) => [n.name, n])) };
  for (const unit of orderUnits(plan.nodes, plan.controlFlow)) {
    if (unit.kind === 'loop') convertWhile(unit, rc);
    else if (unit.kind === 'cond') convertIf(unit, rc);
    else translator.convert(unit.node, scope);
  }
  const { refused, refusedInt8 } = translator;
  if (refusedInt8.length) throw new UnsupportedOpsError(`TFLite int8 kernels (--quantize ${plan.quantize ?? 'int8'}, target tflite)`, refusedInt8, { node: refusedInt8[0]!.node });
  if (refused.length) throw new UnsupportedOpsError('TFLite builtins', refused, { node: refused[0]!.node });
  const outputs = addSignatureOutputs(scope, plan.outputs);
  fuseActivations(subgraph);
  return { index: model.addSubGraph(subgraph.build()), inputs, outputs, irOps: translator.irOps };
}
