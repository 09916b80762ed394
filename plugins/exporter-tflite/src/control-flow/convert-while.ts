import { parseTensorRef, throughIdentities, type LoopRegion, type LoopVar, type TensorRef } from '@modelport/core';
import { fuseActivations } from '../fuse-activations.js';
import { options } from '../schema/options.js';
import { SubGraphBuilder, type TfliteTensor } from '../subgraph-builder.js';
import { loopBuffer } from './loop-buffer.js';
import { alignCaptures, CaptureScope } from './capture-scope.js';
import type { RegionContext } from './region-context.js';

/**
 * A TF v1 while loop as a TFLite WHILE. Its loop variables are the loop's own (Enter → Merge →
 * Switch → NextIteration), then every outer tensor the condition or the body reads, passed through
 * unchanged. The condition subgraph maps the Merges to a bool, the body the Switches to the
 * NextIterations; the WHILE's outputs are what the Exits give.
 */
export function convertWhile(region: LoopRegion, rc: RegionContext): void {
  const { translator, scope, byName } = rc;
  const exits = region.vars.flatMap((v) => (v.exit ? [v.exit.name] : []));
  const giveUp = () => { for (const e of exits) translator.poison(e); };
  const refusedBefore = translator.refused.length;

  const inits: TfliteTensor[] = [];
  for (const v of region.vars) {
    const ref = v.enter.inputs[0]!;
    if (translator.isPoisoned(ref)) return giveUp();
    const init = scope.has(ref) ? scope.get(ref) : loopBuffer(v, rc);
    if (typeof init === 'string') { translator.refuse(v.enter, init); return giveUp(); }
    inits.push(init);
  }

  const invariants = new Map(region.invariants.map((n) => [n.name, n]));
  const outerRefOf = (ref: TensorRef): TensorRef | undefined => {
    const node = parseTensorRef(ref).node;
    if (!region.members.has(node)) return ref;
    const enter = invariants.get(node);
    return enter ? outerRefOf(enter.inputs[0]!) : undefined;
  };
  const model = scope.subgraph.model;
  const part = (name: string, bindAs: (v: LoopVar) => TensorRef[]) => {
    const g = new SubGraphBuilder(model, `${region.name}/${name}`);
    const s = new CaptureScope(g, translator.facts, translator.annotations, scope, outerRefOf);
    const vars = region.vars.map((v, k) => {
      const t = g.tensor(`${v.merge.name}/${name}`, inits[k]!.dtype, inits[k]!.shape);
      for (const ref of bindAs(v)) s.bind(ref, t);
      return t;
    });
    return { g, s, vars };
  };
  const cond = part('cond', (v) => [`${v.merge.name}:0`]);
  for (const n of region.condNodes) translator.convert(n, cond.s);
  // The body reads a variable through its Switch, or (rarely) straight from the Merge: the same value.
  const body = part('body', (v) => [`${v.switchNode.name}:1`, `${v.merge.name}:0`]);
  for (const n of region.bodyNodes) translator.convert(n, body.s);
  if (translator.refused.length > refusedBefore) return giveUp();

  const keepGoing = cond.s.get(region.loopCond.inputs[0]!);
  const nexts = region.vars.map((v) => body.s.get(throughIdentities(v.next.inputs[0]!, byName)));
  const captures = alignCaptures([cond.s, body.s]);
  const capturedIn = (s: CaptureScope) => captures.map((r) => s.captured.get(r)!.index);
  cond.g.inputs = [...cond.vars.map((t) => t.index), ...capturedIn(cond.s)];
  cond.g.outputs = [keepGoing.index];
  body.g.inputs = [...body.vars.map((t) => t.index), ...capturedIn(body.s)];
  body.g.outputs = [...nexts.map((t) => t.index), ...capturedIn(body.s)];
  fuseActivations(cond.g);
  fuseActivations(body.g);
  const condIndex = model.addSubGraph(cond.g.build());
  const bodyIndex = model.addSubGraph(body.g.build());

  const outer = captures.map((r) => scope.get(r));
  const outs = [...inits, ...outer].map((t, k) => scope.subgraph.tensor(k < inits.length ? `${region.vars[k]!.merge.name}/exit` : `${t.name}/passed`, t.dtype, t.shape));
  scope.subgraph.op('WHILE', [...inits, ...outer], outs, options('WhileOptions', { cond_subgraph_index: condIndex, body_subgraph_index: bodyIndex }));
  region.vars.forEach((v, k) => { if (v.exit) scope.bind(`${v.exit.name}:0`, outs[k]!); });
}
