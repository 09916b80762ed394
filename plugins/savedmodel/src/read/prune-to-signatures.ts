import { parseTensorRef, type Node, type TensorRef } from '@modelport/core';

/** Ops that write state (initialisers, the saver): a control edge to one is not needed for inference. */
const STATE_WRITING_OPS: ReadonlySet<string> = new Set([
  'Assign', 'AssignVariableOp', 'AssignAdd', 'AssignSub', 'AssignAddVariableOp', 'AssignSubVariableOp',
  'VarIsInitializedOp', 'IsVariableInitialized', 'RestoreV2', 'SaveV2', 'MergeV2Checkpoints',
]);

/**
 * The nodes the given tensors depend on, in their original order: inputs and control inputs
 * followed back (v1 loops need their control edges), except control edges into state-writing ops,
 * which are dropped. Initialisers and the save/restore subgraph fall away.
 */
export function pruneToSignatures(nodes: readonly Node[], ends: readonly TensorRef[]): Node[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const kept = new Set<string>();
  const stack = ends.map((r) => parseTensorRef(r).node);
  while (stack.length) {
    const name = stack.pop()!;
    if (kept.has(name)) continue;
    const node = byName.get(name);
    if (!node) continue;
    kept.add(name);
    for (const r of node.inputs) stack.push(parseTensorRef(r).node);
    for (const c of node.controlInputs ?? []) if (!STATE_WRITING_OPS.has(byName.get(c)?.op ?? '')) stack.push(c);
  }
  return nodes.filter((n) => kept.has(n.name)).map((n) => {
    const control = n.controlInputs?.filter((c) => kept.has(c));
    if (!n.controlInputs || control!.length === n.controlInputs.length) return n;
    const { controlInputs: _dropped, ...rest } = n;
    return control!.length ? { ...rest, controlInputs: control } : rest;
  });
}
