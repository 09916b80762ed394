import { consumers, nodeMap, parseTensorRef, withGraph, type Graph, type Node, type TensorRef } from '@modelport/core';
import { canTakeControlInputs, IDENTITY_OPS, isControlFlowOp, isTensorContainerOp } from './op-kinds.js';
import { pinnedNodeNames } from './pinned-tensors.js';

/** Why a removable-looking node stays. */
export type IdentityKeepReason =
  /** Its tensor is a graph output or a signature tensor: the name must stay. */
  | 'names-a-graph-tensor'
  /** It reads a Switch/Merge/Enter/… or TensorArray output: a pivot or a loop-frame anchor. */
  | 'after-control-flow'
  /** A consumer (Merge, Switch, ConcatV2, AddN, …) would read the control inputs it passes on as data. */
  | 'consumer-cannot-take-control-inputs'
  /** A NoOp whose output is read as data. */
  | 'read-as-data'
  /** c control inputs passed to r readers: c × r edges instead of c + r (grappler's rule too). */
  | 'would-multiply-control-edges';

export interface RemoveIdentityReport {
  /** Nodes removed, by op. */
  readonly removed: Readonly<Record<string, number>>;
  /** Candidates kept, by reason. */
  readonly kept: Readonly<Partial<Record<IdentityKeepReason, number>>>;
}

export interface RemoveIdentityOptions {
  readonly onReport?: (report: RemoveIdentityReport) => void;
}

/** What a removed node stands for: the tensor it passed on, and the control inputs it carried. */
interface Bypass {
  /** The tensor its readers read instead (Identity only). */
  readonly ref?: TensorRef;
  /** Control inputs its data readers take over, so that they still wait for (and die with) the same nodes. */
  readonly controls: readonly string[];
  /** What `^name` on a control reader becomes. */
  readonly asControl: readonly string[];
}

const unique = (names: readonly string[]): string[] => [...new Set(names)];

/**
 * Removes Identity-like nodes (Identity, StopGradient, PreventGradient, Snapshot) and NoOps,
 * rewiring their readers: data readers read the Identity's input, and every reader takes over
 * the removed node's control inputs; `^identity` becomes `^producer` (a regular op's outputs are
 * all ready at once), `^noop` becomes the NoOp's own control inputs.
 * Keeps the nodes whose removal could change names or behaviour: see IdentityKeepReason.
 */
export function removeIdentity(graph: Graph, options: RemoveIdentityOptions = {}): Graph {
  const byName = nodeMap(graph);
  const readers = consumers(graph);
  const pinned = pinnedNodeNames(graph);
  const bypass = new Map<string, Bypass>();
  const removed: Record<string, number> = {};
  const kept: Partial<Record<IdentityKeepReason, number>> = {};

  // Nodes are in topological order, so a node's producers are decided before it is.
  const resolveRef = (ref: TensorRef): { ref: TensorRef; controls: string[] } => {
    const controls: string[] = [];
    let current = ref;
    for (let b = bypass.get(parseTensorRef(current).node); b?.ref; b = bypass.get(parseTensorRef(current).node)) {
      controls.push(...b.controls);
      current = b.ref;
    }
    return { ref: current, controls };
  };
  const resolveControls = (names: readonly string[]): string[] =>
    names.flatMap((name) => bypass.get(name)?.asControl ?? [name]);

  const keepReason = (node: Node, passedControls: readonly string[]): IdentityKeepReason | undefined => {
    const fanOut = readers.get(node.name)?.length ?? 0;
    if (passedControls.length * fanOut > passedControls.length + fanOut) return 'would-multiply-control-edges';
    for (const reader of readers.get(node.name) ?? []) {
      const readsData = reader.inputs.some((r) => parseTensorRef(r).node === node.name);
      const readsControl = reader.controlInputs?.includes(node.name) ?? false;
      if (node.op === 'NoOp' && readsData) return 'read-as-data';
      const changesControls = (readsData && passedControls.length > 0) || readsControl;
      if (changesControls && !canTakeControlInputs(reader.op)) return 'consumer-cannot-take-control-inputs';
    }
    return undefined;
  };

  for (const node of graph.nodes) {
    const isIdentity = IDENTITY_OPS.has(node.op) && node.inputs.length === 1;
    if (!isIdentity && node.op !== 'NoOp') continue;
    const keep = (reason: IdentityKeepReason) => { kept[reason] = (kept[reason] ?? 0) + 1; };
    if (pinned.has(node.name)) {
      keep('names-a-graph-tensor');
      continue;
    }
    let candidate: Bypass;
    if (isIdentity) {
      const input = resolveRef(node.inputs[0]!);
      const producer = byName.get(parseTensorRef(input.ref).node);
      if (producer && (isControlFlowOp(producer.op) || isTensorContainerOp(producer.op))) {
        keep('after-control-flow');
        continue;
      }
      const controls = unique([...input.controls, ...resolveControls(node.controlInputs ?? [])]);
      candidate = { ref: input.ref, controls, asControl: unique([parseTensorRef(input.ref).node, ...controls]) };
    } else {
      const controls = unique(resolveControls(node.controlInputs ?? []));
      candidate = { controls, asControl: controls };
    }
    const reason = keepReason(node, candidate.controls);
    if (reason) {
      keep(reason);
      continue;
    }
    bypass.set(node.name, candidate);
    removed[node.op] = (removed[node.op] ?? 0) + 1;
  }

  options.onReport?.({ removed, kept });
  if (bypass.size === 0) return graph;
  const nodes = graph.nodes.filter((n) => !bypass.has(n.name)).map((node) => rewire(node, resolveRef, resolveControls));
  return withGraph(graph, { nodes });
}

/** The node reading around removed nodes; the same object when nothing it reads was removed. */
function rewire(
  node: Node,
  resolveRef: (ref: TensorRef) => { ref: TensorRef; controls: string[] },
  resolveControls: (names: readonly string[]) => string[],
): Node {
  let changed = false;
  const taken: string[] = [];
  const inputs = node.inputs.map((ref) => {
    const resolved = resolveRef(ref);
    if (resolved.ref !== ref) changed = true;
    taken.push(...resolved.controls);
    return resolved.ref;
  });
  const own = node.controlInputs ?? [];
  const resolvedOwn = resolveControls(own);
  if (taken.length || resolvedOwn.length !== own.length || resolvedOwn.some((c, i) => c !== own[i])) changed = true;
  if (!changed) return node;
  const controlInputs = unique([...resolvedOwn, ...taken]).filter((c) => c !== node.name);
  const { controlInputs: _old, ...rest } = node;
  return { ...rest, inputs, ...(controlInputs.length ? { controlInputs } : {}) };
}
