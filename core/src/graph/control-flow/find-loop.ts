import { attr } from '../attrs.js';
import { parseTensorRef } from '../refs.js';
import type { Node } from '../types.js';
import { CONTROL_FLOW_STRUCTURE_OPS, type LoopRegion, type LoopVar } from './plan.js';

/**
 * One TF v1 while loop (one frame): the nodes reachable from its Enter nodes up to its Exits, its
 * loop variables (Enter → Merge → Switch → NextIteration), its condition (back from LoopCond to
 * the Merges) and its body. A string says why it is not a loop exporters can translate.
 */
export function planLoop(frame: string, enters: readonly Node[], byName: ReadonlyMap<string, Node>, consumers: ReadonlyMap<string, Node[]>): LoopRegion | string {
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
  const structural = CONTROL_FLOW_STRUCTURE_OPS;
  const ordered = [...byName.values()].filter((n) => members.has(n.name));
  return {
    kind: 'loop', name: frame || enters[0]!.name, vars, invariants, loopCond,
    condNodes: ordered.filter((n) => condSet.has(n.name)),
    bodyNodes: ordered.filter((n) => !condSet.has(n.name) && !structural.has(n.op)),
    members,
  };
}

