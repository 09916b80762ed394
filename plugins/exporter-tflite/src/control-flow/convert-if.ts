import { GraphError, parseTensorRef, type CondRegion, type TensorRef } from '@modelport/core';
import { fuseActivations } from '../fuse-activations.js';
import { options } from '../schema/options.js';
import { SubGraphBuilder } from '../subgraph-builder.js';
import { alignCaptures, CaptureScope } from './capture-scope.js';
import type { RegionContext } from './region-context.js';

type Side = 'then' | 'else';

/**
 * A TF v1 cond as a TFLite IF: each branch becomes a subgraph holding the nodes on its side of the
 * Switches, taking the outer tensors either side reads and returning what its side gives each
 * Merge. Always an IF, never a SELECT_V2 of both branches: only the taken branch runs, as in
 * TensorFlow, and the branches of the models seen (rvm's refiner) are whole networks, not cheap.
 */
export function convertIf(region: CondRegion, rc: RegionContext): void {
  const { translator, scope } = rc;
  const giveUp = () => { for (const m of region.merges) translator.poison(m.node.name); };
  if (translator.isPoisoned(region.pred)) return giveUp();
  const refusedBefore = translator.refused.length;
  const switches = new Map(region.switches.map((s) => [s.name, s]));
  const model = scope.subgraph.model;

  const branch = (side: Side) => {
    const port = side === 'then' ? 1 : 0;
    const outerRefOf = (ref: TensorRef): TensorRef | undefined => {
      const { node, index } = parseTensorRef(ref);
      const sw = switches.get(node);
      if (sw) return index === port ? sw.inputs[0]! : undefined;
      return region.members.has(node) ? undefined : ref;
    };
    const g = new SubGraphBuilder(model, `${region.name}_${side}`);
    const s = new CaptureScope(g, translator.facts, translator.annotations, scope, outerRefOf);
    for (const node of side === 'then' ? region.thenNodes : region.elseNodes) translator.convert(node, s);
    return { g, s, side };
  };
  const branches = [branch('then'), branch('else')];
  if (translator.refused.length > refusedBefore) return giveUp();
  const results = branches.map((b) => region.merges.map((m) => b.s.get(b.side === 'then' ? m.thenRef : m.elseRef)));
  const captures = alignCaptures(branches.map((b) => b.s));
  const indices = branches.map((b, i) => {
    b.g.inputs = captures.map((r) => b.s.captured.get(r)!.index);
    b.g.outputs = results[i]!.map((t) => t.index);
    fuseActivations(b.g);
    return model.addSubGraph(b.g.build());
  });
  const outs = region.merges.map((m, i) => {
    const [t, e] = [results[0]![i]!, results[1]![i]!];
    if (t.dtype !== e.dtype) throw new GraphError(`the branches of ${region.name} give ${t.dtype} and ${e.dtype}`, { node: m.node.name, op: 'Merge' });
    const f = translator.facts.get(`${m.node.name}:0`);
    // Sized at run time when a branch is (a resize by an input value) or when the branches differ.
    if (f?.dynamic) return scope.subgraph.tensor(m.node.name, t.dtype, f.shape, { shapeSignature: f.shape.map(() => -1) });
    const same = t.shape.join() === e.shape.join();
    return scope.subgraph.tensor(m.node.name, t.dtype, f?.shape ?? t.shape, same ? {} : { shapeSignature: t.shape.map((d, k) => (d === e.shape[k] ? d : -1)) });
  });
  scope.subgraph.op('IF', [scope.get(region.pred), ...captures.map((r) => scope.get(r))], outs, options('IfOptions', { then_subgraph_index: indices[0]!, else_subgraph_index: indices[1]! }));
  region.merges.forEach((m, i) => scope.bind(`${m.node.name}:0`, outs[i]!));
}
