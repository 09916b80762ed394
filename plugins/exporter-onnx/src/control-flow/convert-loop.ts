import { parseTensorRef, throughIdentities, type LoopRegion, type LoopVar, type Node, type TensorRef } from '@modelport/core';
import type { OnnxOpTable } from '../converter.js';
import { onnxAttr } from '../onnx-model.js';
import { HANDLE_DTYPE, handleValue } from '../ops/tensor-array.js';
import type { Value } from '../value.js';
import { joinShapes, producedBy, subgraph, subgraphOutput, type RegionContext } from './region-context.js';

/**
 * How each loop variable travels through the ONNX Loop: carried from iteration to iteration,
 * invariant (NextIteration gets the Switch output back unchanged), or an accumulator (a
 * TensorArray / TensorList written once per iteration at the iteration number: a scan output).
 */
type VarRole =
  | { readonly kind: 'carried'; readonly v: LoopVar }
  | { readonly kind: 'invariant'; readonly v: LoopVar }
  | { readonly kind: 'accumulator'; readonly v: LoopVar; readonly write: Node; readonly index: TensorRef };

const WRITES: Readonly<Record<string, { list: number; index: number; value: number }>> = {
  TensorArrayWriteV3: { list: 3, index: 1, value: 2 },
  TensorListSetItem: { list: 0, index: 1, value: 2 },
};

/**
 * A TF v1 while loop as an ONNX Loop. The condition is converted twice: in the enclosing graph on
 * the initial values (the Loop's first `cond`) and at the end of the body on the next values.
 */
export function convertLoop(region: LoopRegion, rc: RegionContext): void {
  const { emit, scope, converter, byName } = rc;
  const switchOut = (v: LoopVar): TensorRef => `${v.switchNode.name}:1`;
  const exits = region.vars.flatMap((v) => (v.exit ? [v.exit.name] : []));
  const refuse = (why: string) => { converter.refuse(region.loopCond, why); for (const e of exits) converter.poison(e); };

  const init = new Map<LoopVar, Value>();
  for (const v of region.vars) {
    const ref = v.enter.inputs[0]!;
    const value = scope.get(ref);
    if (!value || converter.isPoisoned(ref)) { for (const e of exits) converter.poison(e); return; }
    init.set(v, value);
  }

  const roles: VarRole[] = region.vars.map((v) => {
    const nextRef = throughIdentities(v.next.inputs[0]!, byName);
    if (nextRef === switchOut(v)) return { kind: 'invariant', v };
    const producer = byName.get(parseTensorRef(nextRef).node);
    const w = producer && WRITES[producer.op];
    if (w && throughIdentities(producer.inputs[w.list]!, byName) === switchOut(v)) return { kind: 'accumulator', v, write: producer, index: producer.inputs[w.index]! };
    return { kind: 'carried', v };
  });
  // A counter starts at 0 and adds 1 per iteration: it equals ONNX's iteration number.
  const isCounter = (v: LoopVar): boolean => {
    const start = init.get(v)!;
    const step = byName.get(parseTensorRef(throughIdentities(v.next.inputs[0]!, byName)).node);
    if (start.known?.length !== 1 || start.known[0] !== 0 || !step || !['Add', 'AddV2'].includes(step.op)) return false;
    const ins = step.inputs.map((r) => throughIdentities(r, byName));
    const one = ins.find((r) => r !== switchOut(v));
    return ins.includes(switchOut(v)) && scope.get(one ?? '')?.known?.[0] === 1;
  };
  const counters = new Set(roles.filter((r) => r.kind === 'carried' && isCounter(r.v)).map((r) => switchOut(r.v)));
  for (const r of roles) {
    if (r.kind === 'accumulator' && !counters.has(throughIdentities(r.index, byName))) {
      return refuse(`"${r.write.name}" writes at an index other than the iteration number; only map_fn-style loops are supported`);
    }
  }

  // Values every part of the loop reads from outside: Enter(is_constant) forwards them.
  const loopScope = scope.child();
  for (const inv of region.invariants) {
    const v = scope.get(inv.inputs[0]!);
    if (!v || converter.isPoisoned(inv.inputs[0]!)) { for (const e of exits) converter.poison(e); return; }
    loopScope.set(`${inv.name}:0`, v);
  }
  const handle = (name: string): Value => emit.record(`${name}/flow`, { dtype: HANDLE_DTYPE, shape: [] });

  const cond0Scope = loopScope.child();
  for (const r of roles) cond0Scope.set(`${r.v.merge.name}:0`, r.kind === 'accumulator' ? handle(r.v.merge.name) : init.get(r.v)!);
  for (const n of region.condNodes) converter.convert(n, emit, cond0Scope);
  const cond0 = cond0Scope.get(region.loopCond.inputs[0]!);
  if (!cond0 || converter.isPoisoned(region.loopCond.inputs[0]!)) { for (const e of exits) converter.poison(e); return; }

  const body = emit.child();
  const bodyScope = loopScope.child();
  const iter = body.record(body.names.unique(`${region.name}/iter`), { dtype: 'int64', shape: [] });
  const condIn = body.record(body.names.unique(`${region.name}/cond_in`), { dtype: 'bool', shape: [] });
  const carried = roles.filter((r) => r.kind === 'carried');
  const bodyInputs = carried.map((r) => {
    const i = init.get(r.v)!;
    return body.record(body.names.unique(`${r.v.merge.name}/in`), { dtype: i.dtype, shape: i.shape });
  });
  carried.forEach((r, k) => bodyScope.set(switchOut(r.v), bodyInputs[k]!));
  for (const r of roles) {
    if (r.kind === 'invariant') bodyScope.set(switchOut(r.v), init.get(r.v)!);
    if (r.kind === 'accumulator') bodyScope.set(switchOut(r.v), handle(r.v.switchNode.name));
  }
  // The element each accumulator gets per iteration, by writing node: the Loop's scan outputs.
  const scans = new Map<string, Value>();
  const bodyTable: OnnxOpTable = {
    ...converter.table,
    TensorArrayWriteV3: (ctx) => { scans.set(ctx.node.name, ctx.input(2)); return handleValue(ctx); },
    TensorListSetItem: (ctx) => { scans.set(ctx.node.name, ctx.input(2)); return handleValue(ctx); },
  };
  for (const n of region.bodyNodes) converter.convert(n, body, bodyScope, bodyTable);

  const next = carried.map((r) => bodyScope.get(r.v.next.inputs[0]!));
  const condScope = bodyScope.child();
  roles.forEach((r) => {
    const k = carried.indexOf(r as (typeof carried)[number]);
    condScope.set(`${r.v.merge.name}:0`, r.kind === 'carried' ? next[k]! : r.kind === 'invariant' ? init.get(r.v)! : handle(r.v.merge.name));
  });
  for (const n of region.condNodes) converter.convert(n, body, condScope);
  const condOut = condScope.get(region.loopCond.inputs[0]!);
  const accumulators = roles.filter((r): r is Extract<VarRole, { kind: 'accumulator' }> => r.kind === 'accumulator');
  const scanValues = accumulators.map((r) => scans.get(r.write.name));
  if (!condOut || next.some((v) => !v) || scanValues.some((v) => !v)) { for (const e of exits) converter.poison(e); return; }

  const produced = producedBy(body);
  const outputs = [
    subgraphOutput(body, condOut, produced, `${region.name}/cond_out`),
    ...next.map((v, k) => subgraphOutput(body, v!, produced, `${carried[k]!.v.merge.name}/out`)),
    ...scanValues.map((v, k) => subgraphOutput(body, v!, produced, `${accumulators[k]!.v.merge.name}/scan`)),
  ];
  // Declared body input shapes must hold on every iteration: only dims that do not change.
  const declared = bodyInputs.map((v, k) => ({ ...v, shape: joinShapes(v.shape, next[k]!.shape) }));
  const graph = subgraph(`${region.name}/body`, body, [iter, condIn, ...declared], outputs);
  emit.prefix = region.loopCond.name;
  const results = emit.ops('Loop', ['', cond0, ...carried.map((r) => init.get(r.v)!)], { body: onnxAttr.graph(graph) }, [
    ...declared.map((d) => ({ dtype: d.dtype, shape: d.shape })),
    ...scanValues.map((v) => ({ dtype: v!.dtype, shape: v!.shape === null ? null : [-1, ...v!.shape] })),
  ]);
  carried.forEach((r, k) => { if (r.v.exit) scope.set(`${r.v.exit.name}:0`, results[k]!); });
  accumulators.forEach((r, k) => { if (r.v.exit) scope.set(`${r.v.exit.name}:0`, results[carried.length + k]!); });
  for (const r of roles) if (r.kind === 'invariant' && r.v.exit) scope.set(`${r.v.exit.name}:0`, init.get(r.v)!);
}
