import { parseTensorRef } from '../refs.js';
import type { Node } from '../types.js';
import type { ControlFlowPlan, Region } from './plan.js';

export type Unit = { readonly kind: 'node'; readonly node: Node } | Region;

/**
 * The order in which to convert: plain nodes, and each loop or cond as one unit placed after
 * everything it reads from outside and before everything reading its results. (The IR's own
 * order may interleave a loop's body with nodes after its Exit.)
 */
export function orderUnits(nodes: readonly Node[], plan: ControlFlowPlan): Unit[] {
  const unitName = (node: string) => plan.regionOf.get(node)?.name ?? node;
  const units = new Map<string, Unit>();
  const members = new Map<string, Node[]>();
  for (const n of nodes) {
    const region = plan.regionOf.get(n.name);
    const key = unitName(n.name);
    if (!units.has(key)) units.set(key, region ?? { kind: 'node', node: n });
    members.set(key, [...(members.get(key) ?? []), n]);
  }
  const deps = (key: string): string[] => {
    const out = new Set<string>();
    for (const n of members.get(key) ?? []) for (const r of n.inputs) {
      const d = unitName(parseTensorRef(r).node);
      if (d !== key && units.has(d)) out.add(d);
    }
    return [...out];
  };
  const ordered: Unit[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  for (const root of units.keys()) {
    if (state.has(root)) continue;
    const stack: { key: string; deps: string[]; i: number }[] = [{ key: root, deps: deps(root), i: 0 }];
    state.set(root, 'visiting');
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.deps.length) {
        const d = top.deps[top.i++]!;
        if (!state.has(d)) { state.set(d, 'visiting'); stack.push({ key: d, deps: deps(d), i: 0 }); }
      } else {
        state.set(top.key, 'done');
        ordered.push(units.get(top.key)!);
        stack.pop();
      }
    }
  }
  return ordered;
}
