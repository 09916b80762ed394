import { nodeMap, parseTensorRef, withGraph, type Graph, type Node, type TensorRef } from '@modelport/core';
import { canTakeControlInputs, IDENTITY_OPS, isControlFlowOp, isTensorContainerOp } from './op-kinds.js';
import { pinnedNodeNames } from './pinned-tensors.js';

/** Why a removable-looking node stays. */
export type IdentityKeepReason =
  /** Its tensor is a graph output or a signature tensor: the name must stay. */
  | 'names-a-graph-tensor'
  /** It reads a Switch/Merge/Enter/… or TensorArray output: a pivot or a loop-frame anchor. */
  | 'after-control-flow'
  /** A reader (Merge, Switch, ConcatV2, AddN, …) would read the control inputs it passes on as data. */
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

/** The edges of one node while the pass rewires them. */
interface Edges {
  inputs: TensorRef[];
  controls: string[];
}

const producerOf = (ref: TensorRef) => parseTensorRef(ref).node;
const unique = (names: readonly string[]): string[] => [...new Set(names)];

/**
 * Removes Identity-like nodes (Identity, StopGradient, PreventGradient, Snapshot) and NoOps,
 * rewiring their readers: data readers read the Identity's input, and every reader takes over the
 * removed node's control inputs; `^identity` becomes `^producer` (a regular op's outputs are all
 * ready at once), `^noop` becomes the NoOp's own control inputs. Keeps the nodes whose removal
 * could change names or behaviour: see IdentityKeepReason.
 *
 * Nodes are visited from the outputs back, so that of a chain of Identities the first one, which
 * usually carries the original name and the control inputs, is the one that stays when one must.
 */
export function removeIdentity(graph: Graph, options: RemoveIdentityOptions = {}): Graph {
  const byName = nodeMap(graph);
  const pinned = pinnedNodeNames(graph);
  const edges = new Map<string, Edges>(graph.nodes.map((n) => [n.name, { inputs: [...n.inputs], controls: [...(n.controlInputs ?? [])] }]));
  const readers = new Map<string, Set<string>>(graph.nodes.map((n) => [n.name, new Set<string>()]));
  const link = (reader: string, producer: string) => readers.get(producer)?.add(reader);
  for (const n of graph.nodes) for (const p of [...n.inputs.map(producerOf), ...(n.controlInputs ?? [])]) link(n.name, p);

  const removed: Record<string, number> = {};
  const kept: Partial<Record<IdentityKeepReason, number>> = {};
  const keep = (reason: IdentityKeepReason) => { kept[reason] = (kept[reason] ?? 0) + 1; };

  const keepReason = (node: Node, passedControls: readonly string[]): IdentityKeepReason | undefined => {
    const current = readers.get(node.name)!;
    if (passedControls.length * current.size > passedControls.length + current.size) return 'would-multiply-control-edges';
    for (const name of current) {
      const reader = edges.get(name)!;
      const readsData = reader.inputs.some((r) => producerOf(r) === node.name);
      if (node.op === 'NoOp' && readsData) return 'read-as-data';
      const changesControls = (readsData && passedControls.length > 0) || reader.controls.includes(node.name);
      if (changesControls && !canTakeControlInputs(byName.get(name)!.op)) return 'consumer-cannot-take-control-inputs';
    }
    return undefined;
  };

  /** Rewires the readers of `name` around it and forgets its own edges. */
  const bypass = (name: string, ref: TensorRef | undefined, controls: readonly string[], asControl: readonly string[]) => {
    for (const readerName of readers.get(name)!) {
      const reader = edges.get(readerName)!;
      const readsData = ref !== undefined && reader.inputs.some((r) => producerOf(r) === name);
      if (readsData) {
        reader.inputs = reader.inputs.map((r) => (producerOf(r) === name ? ref : r));
        link(readerName, producerOf(ref));
      }
      const replaced = reader.controls.flatMap((c) => (c === name ? asControl : [c]));
      reader.controls = unique([...replaced, ...(readsData ? controls : [])]).filter((c) => c !== readerName);
      for (const c of reader.controls) link(readerName, c);
    }
    for (const p of [...(ref ? [producerOf(ref)] : []), ...controls]) readers.get(p)?.delete(name);
    edges.delete(name);
  };

  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    const isIdentity = IDENTITY_OPS.has(node.op) && node.inputs.length === 1;
    if (!isIdentity && node.op !== 'NoOp') continue;
    if (pinned.has(node.name)) {
      keep('names-a-graph-tensor');
      continue;
    }
    const own = edges.get(node.name)!;
    const ref = isIdentity ? own.inputs[0]! : undefined;
    if (ref) {
      const producer = byName.get(producerOf(ref));
      if (producer && (isControlFlowOp(producer.op) || isTensorContainerOp(producer.op))) {
        keep('after-control-flow');
        continue;
      }
    }
    const reason = keepReason(node, own.controls);
    if (reason) {
      keep(reason);
      continue;
    }
    bypass(node.name, ref, own.controls, ref ? unique([producerOf(ref), ...own.controls]) : own.controls);
    removed[node.op] = (removed[node.op] ?? 0) + 1;
  }

  options.onReport?.({ removed, kept });
  if (edges.size === graph.nodes.length) return graph;
  const nodes = graph.nodes.filter((n) => edges.has(n.name)).map((node) => withEdges(node, edges.get(node.name)!));
  return withGraph(graph, { nodes });
}

/** The node with its rewired edges; the same object when they did not change. */
function withEdges(node: Node, { inputs, controls }: Edges): Node {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (same(inputs, node.inputs) && same(controls, node.controlInputs ?? [])) return node;
  const { controlInputs: _old, ...rest } = node;
  return { ...rest, inputs, ...(controls.length ? { controlInputs: controls } : {}) };
}
