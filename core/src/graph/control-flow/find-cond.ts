import { parseTensorRef } from '../refs.js';
import type { Node, TensorRef } from '../types.js';
import type { CondRegion } from './plan.js';

type Side = 'then' | 'else';

/**
 * One TF v1 cond: the Switches sharing a predicate, the nodes on each side of them (true: output 1,
 * false: output 0) up to the Merges that join the sides. A string says why it is not translatable.
 */
export function planCond(pred: TensorRef, switches: readonly Node[], consumers: ReadonlyMap<string, Node[]>, byName: ReadonlyMap<string, Node>, index: number): CondRegion | string {
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
