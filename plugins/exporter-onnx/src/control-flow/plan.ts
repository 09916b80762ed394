import { attr, parseTensorRef, type Graph, type Node, type TensorRef } from '@modelport/core';

/** One loop-carried variable of a TF v1 while loop: Enter → Merge → Switch → (body) → NextIteration, Exit after. */
export interface LoopVar {
  readonly enter: Node;
  readonly merge: Node;
  readonly switchNode: Node;
  readonly next: Node;
  readonly exit?: Node;
}

/** A TF v1 while loop (one frame), to become an ONNX Loop. */
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

/** A TF v1 cond (Switch … Merge outside loops), to become an ONNX If. */
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
  /** Control-flow nodes of a structure this exporter does not translate, with the reason. */
  readonly problems: readonly { node: string; op: string }[];
}

const LOOP_OPS = new Set(['Enter', 'Merge', 'Switch', 'Exit', 'NextIteration', 'LoopCond']);

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
    if (LOOP_OPS.has(n.op) && !regionOf.has(n.name) && !problems.some((p) => p.node === n.name)) {
      problems.push({ node: n.name, op: `${n.op} (not part of a loop or cond this exporter recognises)` });
    }
  }
  return { regions, regionOf, problems };
}

function planLoop(frame: string, enters: readonly Node[], byName: ReadonlyMap<string, Node>, consumers: ReadonlyMap<string, Node[]>): LoopRegion | string {
  const members = new Set<string>(enters.map((e) => e.name));
  const queue = [...enters];
  while (queue.length) {
    const n = queue.pop()!;
    if (n.op === 'Exit') continue;
    for (const c of consumers.get(n.name) ?? []) {
      if (members.has(c.name)) continue;
      if (c.op === 'Enter') return 'nested while loops are not supported';
      members.add(c.name);
      queue.push(c);
    }
  }
  const inFrame = [...members].map((m) => byName.get(m)!);
  const loopConds = inFrame.filter((n) => n.op === 'LoopCond');
  if (loopConds.length !== 1) return `the loop has ${loopConds.length} LoopCond nodes, expected 1`;
  const loopCond = loopConds[0]!;
  const vars: LoopVar[] = [];
  const invariants: Node[] = [];
  for (const enter of enters) {
    const merge = (consumers.get(enter.name) ?? []).find((c) => c.op === 'Merge');
    if (attr.bool(enter, 'is_constant', false) || !merge) { invariants.push(enter); continue; }
    const nextRef = merge.inputs.find((r) => byName.get(parseTensorRef(r).node)?.op === 'NextIteration');
    const switchNode = (consumers.get(merge.name) ?? []).find((c) => c.op === 'Switch');
    if (!nextRef || !switchNode) return `loop variable "${enter.name}" has no NextIteration or Switch`;
    if (parseTensorRef(switchNode.inputs[1]!).node !== loopCond.name) return `Switch "${switchNode.name}" is not driven by the loop's LoopCond`;
    const exit = (consumers.get(switchNode.name) ?? []).find((c) => c.op === 'Exit');
    vars.push({ enter, merge, switchNode, next: byName.get(parseTensorRef(nextRef).node)!, ...(exit ? { exit } : {}) });
  }
  // The condition: what LoopCond depends on, back to the Merges.
  const condSet = new Set<string>();
  const stack = [loopCond.inputs[0]!].map((r) => parseTensorRef(r).node);
  while (stack.length) {
    const name = stack.pop()!;
    const n = byName.get(name);
    if (!n || !members.has(name) || condSet.has(name) || n.op === 'Merge' || n.op === 'Enter') continue;
    condSet.add(name);
    for (const r of n.inputs) stack.push(parseTensorRef(r).node);
  }
  const structural = new Set(['Enter', 'Merge', 'Switch', 'Exit', 'NextIteration', 'LoopCond']);
  const ordered = [...byName.values()].filter((n) => members.has(n.name));
  return {
    kind: 'loop', name: frame || enters[0]!.name, vars, invariants, loopCond,
    condNodes: ordered.filter((n) => condSet.has(n.name)),
    bodyNodes: ordered.filter((n) => !condSet.has(n.name) && !structural.has(n.op)),
    members,
  };
}

type Side = 'then' | 'else';

function planCond(pred: TensorRef, switches: readonly Node[], consumers: ReadonlyMap<string, Node[]>, byName: ReadonlyMap<string, Node>, index: number): CondRegion | string {
  const side = new Map<string, Side>();
  const merges = new Map<string, Node>();
  const switchNames = new Set(switches.map((s) => s.name));
  const sideOfRef = (ref: TensorRef): Side | undefined => {
    const { node, index: port } = parseTensorRef(ref);
    if (switchNames.has(node)) return port === 1 ? 'then' : 'else';
    return side.get(node);
  };
  const queue: Node[] = [...switches];
  while (queue.length) {
    const n = queue.shift()!;
    for (const c of consumers.get(n.name) ?? []) {
      if (switchNames.has(c.name)) continue;
      if (c.op === 'Merge') { merges.set(c.name, c); continue; }
      const sides = new Set(c.inputs.map(sideOfRef).filter((s): s is Side => s !== undefined));
      if (sides.size > 1) return `node "${c.name}" reads both branches`;
      const s = [...sides][0]!;
      if (side.get(c.name) === s) continue;
      if (side.has(c.name)) return `node "${c.name}" reads both branches`;
      side.set(c.name, s);
      queue.push(c);
    }
  }
  for (const m of merges.values()) {
    const sides = m.inputs.map(sideOfRef);
    if (m.inputs.length !== 2 || !sides.includes('then') || !sides.includes('else')) return `Merge "${m.name}" does not join the two branches`;
  }
  if (merges.size === 0) return 'the cond has no Merge';
  const members = new Set<string>([...switchNames, ...side.keys(), ...merges.keys()]);
  // byName iterates in the graph's topological order.
  const inOrder = (s: Side) => [...byName.values()].filter((n) => side.get(n.name) === s);
  return {
    kind: 'cond', name: `cond_${index}`, pred, switches,
    merges: [...merges.values()].map((node) => {
      const [a, b] = node.inputs as [TensorRef, TensorRef];
      return sideOfRef(a) === 'then' ? { node, thenRef: a, elseRef: b } : { node, thenRef: b, elseRef: a };
    }),
    thenNodes: inOrder('then'),
    elseNodes: inOrder('else'),
    members,
  };
}
