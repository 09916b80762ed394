import { attrValue, parseTensorRef, tensorRef, withGraph, type ConstantTensor, type Graph, type Node, type TensorRef } from '@modelport/core';
import { pinnedTensorRefs } from './pinned-tensors.js';

export interface FoldCondsReport {
  /** Switches whose predicate is a Const, now Identities of their data input. */
  readonly switches: number;
  /** Merges left with one live input, now Identities of it. */
  readonly merges: number;
  /** Nodes of the branches not taken, dropped. */
  readonly dropped: number;
}

export interface FoldCondsOptions {
  readonly onReport?: (report: FoldCondsReport) => void;
}

const isMerge = (op: string) => op === 'Merge' || op === 'RefMerge';

/** The output a Switch passes its data to when its predicate is a scalar Const: 1 if true, 0 if false. */
function takenOutput(node: Node, byName: ReadonlyMap<string, Node>, constants: ReadonlyMap<string, ConstantTensor>): number | undefined {
  if (node.op !== 'Switch' && node.op !== 'RefSwitch') return undefined;
  const pred = parseTensorRef(node.inputs[1] ?? '');
  if (pred.index !== 0 || byName.get(pred.node)?.op !== 'Const') return undefined;
  const value = constants.get(pred.node);
  if (!value || value.values.length !== 1) return undefined;
  return Number(value.values[0]) !== 0 ? 1 : 0;
}

/**
 * Which nodes run, as TensorFlow's executor decides it, when the resolved Switches send their data
 * one way only: a node runs when all its data and control inputs do (a Switch's control output runs
 * with it), a Merge when any of its data inputs does. Computed as the least fixpoint from the
 * sources, so a loop whose Enter does not run does not run either.
 */
function liveNodes(graph: Graph, taken: ReadonlyMap<string, number>): { live: Set<string>; isLive: (ref: TensorRef) => boolean } {
  const live = new Set<string>();
  const isLive = (ref: TensorRef) => {
    const { node, index } = parseTensorRef(ref);
    return live.has(node) && (taken.get(node) ?? index) === index;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const n of graph.nodes) {
      if (live.has(n.name)) continue;
      const runs = isMerge(n.op) ? n.inputs.some(isLive) : n.inputs.every(isLive) && (n.controlInputs ?? []).every((c) => live.has(c));
      if (runs) { live.add(n.name); changed = true; }
    }
  }
  return { live, isLive };
}

function withControls(node: Node, controls: readonly string[]): Node {
  const { controlInputs: _old, ...rest } = node;
  return controls.length ? { ...rest, controlInputs: controls } : rest;
}

function identity(node: Node, input: TensorRef, outputIndex: number, controls: readonly string[]): Node {
  const info = node.outputs?.[outputIndex];
  return {
    name: node.name, op: 'Identity', inputs: [input], attrs: node.attrs.T ? { T: node.attrs.T } : {},
    ...(controls.length ? { controlInputs: controls } : {}),
    ...(node.device ? { device: node.device } : {}),
    ...(info ? { outputs: [info] } : {}),
  };
}

/**
 * Folds v1 conds whose predicate is a constant (after fold-constants, e.g. of an input frozen with
 * --input-value): each such Switch becomes an Identity of its data on the side taken, the nodes of
 * the side not taken are dropped, and a Merge left with one live input becomes an Identity of it
 * (its value_index a Const). Then the taken branch is ordinary graph that fold-shapes and
 * fold-constants can reach. The graph is returned unchanged when a graph or signature tensor lies in
 * a branch not taken, or a Merge left with several live inputs has its value_index read.
 */
export function foldConds(graph: Graph, options: FoldCondsOptions = {}): Graph {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const taken = new Map<string, number>();
  for (const n of graph.nodes) {
    const t = takenOutput(n, byName, graph.constants);
    if (t !== undefined) taken.set(n.name, t);
  }
  const unchanged = () => { options.onReport?.({ switches: 0, merges: 0, dropped: 0 }); return graph; };
  if (taken.size === 0) return unchanged();

  const { live, isLive } = liveNodes(graph, taken);
  if ([...pinnedTensorRefs(graph)].some((ref) => !isLive(ref))) return unchanged();
  const readsValueIndex = new Set(graph.nodes.flatMap((n) => n.inputs.filter((r) => parseTensorRef(r).index === 1).map((r) => parseTensorRef(r).node)));

  const constants = new Map(graph.constants);
  const renamed = new Map<TensorRef, TensorRef>();
  const nodes: Node[] = [];
  let merges = 0;
  for (const n of graph.nodes) {
    if (!live.has(n.name)) { constants.delete(n.name); continue; }
    const controls = (n.controlInputs ?? []).filter((c) => live.has(c));
    const side = taken.get(n.name);
    if (side !== undefined) {
      nodes.push(identity(n, n.inputs[0]!, side, controls));
      if (side === 1) renamed.set(tensorRef(n.name, 1), tensorRef(n.name, 0));
      continue;
    }
    const liveInputs = isMerge(n.op) ? n.inputs.flatMap((r, i) => (isLive(r) ? [[r, i] as const] : [])) : [];
    if (isMerge(n.op) && liveInputs.length < n.inputs.length) {
      if (liveInputs.length > 1) {
        if (readsValueIndex.has(n.name)) return unchanged();
        nodes.push(withControls({ ...n, inputs: liveInputs.map(([r]) => r), attrs: { ...n.attrs, N: attrValue.int(liveInputs.length) } }, controls));
        continue;
      }
      const [input, index] = liveInputs[0]!;
      nodes.push(identity(n, input, 0, controls));
      merges++;
      if (readsValueIndex.has(n.name)) {
        let name = `${n.name}/value_index`;
        for (let i = 1; byName.has(name); i++) name = `${n.name}/value_index_${i}`;
        constants.set(name, { dtype: 'int32', shape: [], values: Int32Array.of(index) });
        nodes.push({ name, op: 'Const', inputs: [], attrs: { dtype: attrValue.dtype('int32'), value: { tensor: { dtype: 'int32', shape: [] } } } });
        renamed.set(tensorRef(n.name, 1), tensorRef(name));
      }
      continue;
    }
    nodes.push(controls.length === (n.controlInputs?.length ?? 0) ? n : withControls(n, controls));
  }
  const rewired = renamed.size === 0 ? nodes : nodes.map((n) => (n.inputs.some((r) => renamed.has(r)) ? { ...n, inputs: n.inputs.map((r) => renamed.get(r) ?? r) } : n));
  options.onReport?.({ switches: taken.size, merges, dropped: graph.nodes.length - live.size });
  return withGraph(graph, { nodes: rewired, constants, outputs: graph.outputs.map((r) => renamed.get(r) ?? r) });
}
