import { GraphError, type CondRegion } from '@modelport/core';
import { onnxAttr } from '../onnx-model.js';
import type { Value } from '../value.js';
import { joinShapes, producedBy, subgraph, subgraphOutput, type RegionContext } from './region-context.js';

/**
 * A TF v1 cond as an ONNX If: each branch becomes a subgraph holding the nodes on its side of the
 * Switches (which read the switched tensors from the enclosing graph), returning what its side
 * gives each Merge. Only the taken branch runs, as in TensorFlow.
 */
export function convertCond(region: CondRegion, rc: RegionContext): void {
  const { emit, scope, converter } = rc;
  const pred = scope.get(region.pred);
  if (!pred) throw new GraphError(`the predicate "${region.pred}" of ${region.name} was not converted`);
  if (converter.isPoisoned(region.pred)) { for (const m of region.merges) converter.poison(m.node.name); return; }
  const branch = (side: 'then' | 'else') => {
    const body = emit.child();
    const s = scope.child();
    for (const sw of region.switches) {
      const data = scope.get(sw.inputs[0]!);
      if (data && !converter.isPoisoned(sw.inputs[0]!)) s.set(`${sw.name}:${side === 'then' ? 1 : 0}`, data);
      else converter.poison(sw.name);
    }
    for (const node of side === 'then' ? region.thenNodes : region.elseNodes) converter.convert(node, body, s);
    const results = region.merges.map((m) => s.get(side === 'then' ? m.thenRef : m.elseRef));
    if (results.some((r) => r === undefined)) return undefined;
    const produced = producedBy(body);
    const outputs = (results as Value[]).map((v, i) => subgraphOutput(body, v, produced, `${region.merges[i]!.node.name}/${side}`));
    return { graph: subgraph(`${region.name}_${side}`, body, [], outputs), outputs };
  };
  const thenBranch = branch('then');
  const elseBranch = branch('else');
  if (!thenBranch || !elseBranch) { for (const m of region.merges) converter.poison(m.node.name); return; }
  emit.prefix = region.merges[0]!.node.name;
  const outs = region.merges.map((_, i) => {
    const [t, e] = [thenBranch.outputs[i]!, elseBranch.outputs[i]!];
    if (t.dtype !== e.dtype) throw new GraphError(`the branches of ${region.name} give ${t.dtype} and ${e.dtype}`, { node: region.merges[i]!.node.name, op: 'Merge' });
    return { dtype: t.dtype, shape: joinShapes(t.shape, e.shape) };
  });
  const results = emit.ops('If', [pred], { then_branch: onnxAttr.graph(thenBranch.graph), else_branch: onnxAttr.graph(elseBranch.graph) }, outs);
  region.merges.forEach((m, i) => scope.set(`${m.node.name}:0`, results[i]!));
}
