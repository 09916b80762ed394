import { parseTensorRef, tensorRef, type ControlFlowPlan, type Node, type TensorRef } from '@modelport/core';

const FORWARDERS = new Set(['Enter', 'Exit', 'LoopCond', 'NextIteration', 'Switch', 'Merge']);

/**
 * TensorArray / TensorList ops made dense, as the exporter translates them (tfjs' own lists lose
 * track of their handles once forwarded): the input that is the list, and a Gather for reads.
 */
const DENSE_LISTS: Readonly<Record<string, { list: number; index?: number }>> = {
  TensorListFromTensor: { list: 0 }, TensorArrayScatterV3: { list: 2 }, TensorListSetItem: { list: 0 }, TensorArrayWriteV3: { list: 3 },
  TensorListGetItem: { list: 0, index: 1 }, TensorArrayReadV3: { list: 2, index: 1 },
};

/**
 * The graph with its loops and conds made straight-line code: every structural op forwards its
 * first input (a Merge its first: the loop's initial value, or one branch), both sides of a Switch
 * are the data. tfjs cannot fetch a tensor inside a loop frame or an untaken branch; run this way
 * it gives each such tensor the dtype and shape of a first iteration, and of both branches.
 */
export function straightLineNodes(nodes: readonly Node[], plan: ControlFlowPlan): Node[] {
  const switches = new Set(nodes.filter((n) => n.op === 'Switch' && plan.regionOf.has(n.name)).map((n) => n.name));
  const rewire = (ref: TensorRef): TensorRef => {
    const { node } = parseTensorRef(ref);
    return switches.has(node) ? tensorRef(node) : ref;
  };
  return nodes.map((n) => {
    const inputs = n.inputs.map(rewire);
    if (FORWARDERS.has(n.op) && plan.regionOf.has(n.name)) return { ...n, op: 'Identity', inputs: inputs.slice(0, 1) };
    const dense = DENSE_LISTS[n.op];
    if (dense?.index !== undefined) return { name: n.name, op: 'Gather', inputs: [inputs[dense.list]!, inputs[dense.index]!], attrs: {} };
    if (dense) return { ...n, op: 'Identity', inputs: [inputs[dense.list]!] };
    return { ...n, inputs };
  });
}

/** Tensors to learn from the straight-line run: those inside a loop or a cond, but not what leaves it. */
export function isInsideRegion(ref: TensorRef, plan: ControlFlowPlan, byName: ReadonlyMap<string, Node>): boolean {
  const node = parseTensorRef(ref).node;
  if (!plan.regionOf.has(node)) return false;
  const op = byName.get(node)?.op;
  return op !== 'Exit' && !(op === 'Merge' && plan.regionOf.get(node)!.kind === 'cond');
}
