import { parseTensorRef, type Graph, type Node, type TensorRef } from '@modelport/core';
import { attrProto } from './attr-proto.js';
import { TF_OPS } from './op-registry.js';

/** GraphDef.versions as TensorFlow 2.21 writes them (the fixtures): producer 2474, min_consumer 0. */
export const GRAPH_DEF_VERSIONS = { producer: 2474 } as const;

export interface NodeDefObject {
  readonly name: string;
  readonly op: string;
  readonly input: string[];
  readonly device?: string;
  readonly attr: Record<string, Record<string, unknown>>;
}

export interface GraphDefObject {
  readonly node: NodeDefObject[];
  readonly versions: { readonly producer: number };
}

/** "node" for output 0, "node:1" for the others, as NodeDef inputs and TensorInfo names read. */
export function inputName(ref: TensorRef): string {
  const { node, index } = parseTensorRef(ref);
  return index === 0 ? node : `${node}:${index}`;
}

/** "node:0": TensorInfo names always carry the index. */
export function tensorName(ref: TensorRef): string {
  const { node, index } = parseTensorRef(ref);
  return `${node}:${index}`;
}

/**
 * One NodeDef: the attrs TensorFlow's OpDef declares (plus "_" attrs, which TF passes through),
 * each default TensorFlow would fill in written out as its Python writer does.
 */
export function nodeDefOf(node: Node, graph: Graph): NodeDefObject {
  const def = TF_OPS.get(node.op);
  const declared = new Set(def?.attr.map((a) => a.name) ?? []);
  const attr: Record<string, Record<string, unknown>> = {};
  for (const [name, v] of Object.entries(node.attrs)) {
    if (def && !declared.has(name) && !name.startsWith('_')) continue;
    attr[name] = attrProto(v, node.op === 'Const' && name === 'value' ? graph.constants.get(node.name) : undefined);
  }
  for (const a of def?.attr ?? []) if (attr[a.name] === undefined && a.defaultValue) attr[a.name] = a.defaultValue;
  return {
    name: node.name, op: node.op,
    input: [...node.inputs.map(inputName), ...(node.controlInputs ?? []).map((c) => `^${c}`)],
    ...(node.device ? { device: node.device } : {}),
    attr,
  };
}

/** The graph as a GraphDef message object (its ops must be TensorFlow's: lower it first). */
export function graphDefOf(graph: Graph): GraphDefObject {
  return { node: graph.nodes.map((n) => nodeDefOf(n, graph)), versions: { ...GRAPH_DEF_VERSIONS } };
}
