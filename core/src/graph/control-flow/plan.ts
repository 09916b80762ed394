import { attr } from '../attrs.js';
import { parseTensorRef } from '../refs.js';
import type { Graph, Node, TensorRef } from '../types.js';
import { planCond } from './find-cond.js';
import { planLoop } from './find-loop.js';

/** One loop-carried variable of a TF v1 while loop: Enter → Merge → Switch → (body) → NextIteration, Exit after. */
export interface LoopVar {
  readonly enter: Node;
  readonly merge: Node;
  readonly switchNode: Node;
  readonly next: Node;
  readonly exit?: Node;
}

/** A TF v1 while loop (one frame): an ONNX Loop, a TFLite WHILE. */
export interface LoopRegion {
  readonly kind: 'loop';
  readonly name: string;
  readonly vars: readonly LoopVar[];
  /** Enter nodes with is_constant: values the body reads from outside. */
  readonly invariants: readonly Node[];
  readonly loopCond: Node;
  /** From the Merges to LoopCond: evaluated before the first iteration and after each. */
  readonly condNodes: readonly Node[];
  readonly bodyNodes: readonly Node[];
  readonly members: ReadonlySet<string>;
}

/** A TF v1 cond (Switch … Merge outside loops): an ONNX If, a TFLite IF. */
export interface CondRegion {
  readonly kind: 'cond';
  readonly name: string;
  readonly pred: TensorRef;
  readonly switches: readonly Node[];
  /** Each Merge with the tensor it takes from either branch. */
  readonly merges: readonly { readonly node: Node; readonly thenRef: TensorRef; readonly elseRef: TensorRef }[];
  readonly thenNodes: readonly Node[];
  readonly elseNodes: readonly Node[];
  readonly members: ReadonlySet<string>;
}

export type Region = LoopRegion | CondRegion;

export interface ControlFlowPlan {
  readonly regions: readonly Region[];
  readonly regionOf: ReadonlyMap<string, Region>;
  /** Control-flow nodes of a structure not recognised (nested loops …), with the reason. */
  readonly problems: readonly { node: string; op: string }[];
}

/** The structural ops of v1 control flow: they become the loop or cond itself, not operators. */
export const CONTROL_FLOW_STRUCTURE_OPS: ReadonlySet<string> = new Set(['Enter', 'Merge', 'Switch', 'Exit', 'NextIteration', 'LoopCond']);

function consumerIndex(nodes: readonly Node[]): Map<string, Node[]> {
  const out = new Map<string, Node[]>();
  for (const n of nodes) for (const r of new Set(n.inputs.map((i) => parseTensorRef(i).node))) {
    const list = out.get(r);
    if (list) list.push(n); else out.set(r, [n]);
  }
  return out;
}

/** Finds the while loops and conds of the needed part of the graph. */
export function planControlFlow(graph: Graph, needed: ReadonlySet<string>): ControlFlowPlan {
  const nodes = graph.nodes.filter((n) => needed.has(n.name));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const consumers = consumerIndex(nodes);
  const regions: Region[] = [];
  const problems: { node: string; op: string }[] = [];
  const regionOf = new Map<string, Region>();

  const frames = new Map<string, Node[]>();
  for (const n of nodes) if (n.op === 'Enter') {
    const f = attr.string(n, 'frame_name', '');
    frames.set(f, [...(frames.get(f) ?? []), n]);
  }
  for (const [frame, enters] of frames) {
    const loop = planLoop(frame, enters, byName, consumers);
    if (typeof loop === 'string') { for (const e of enters) problems.push({ node: e.name, op: `Enter (${loop})` }); continue; }
    regions.push(loop);
    for (const m of loop.members) regionOf.set(m, loop);
  }

  const switches = nodes.filter((n) => n.op === 'Switch' && !regionOf.has(n.name));
  const groups = new Map<TensorRef, Node[]>();
  for (const s of switches) {
    const pred = s.inputs[1]!;
    groups.set(pred, [...(groups.get(pred) ?? []), s]);
  }
  for (const [pred, group] of groups) {
    const cond = planCond(pred, group, consumers, byName, regions.filter((r) => r.kind === 'cond').length);
    if (typeof cond === 'string') { for (const s of group) problems.push({ node: s.name, op: `Switch (${cond})` }); continue; }
    regions.push(cond);
    for (const m of cond.members) regionOf.set(m, cond);
  }
  for (const n of nodes) {
    if (CONTROL_FLOW_STRUCTURE_OPS.has(n.op) && !regionOf.has(n.name) && !problems.some((p) => p.node === n.name)) {
      problems.push({ node: n.name, op: `${n.op} (not part of a recognised loop or cond)` });
    }
  }
  return { regions, regionOf, problems };
}

