import { allocValues, attrValue, normalizeTensorRef, parseTensorRef, sizeOfShape, type ConstantTensor, type Graph, type Node, type Signature, type SignatureTensor } from '@modelport/core';
import { messageType } from '@modelport/savedmodel';
import { constNode, node, numberTensor } from './ir-nodes.js';
import { saveGraph, type SavedVariable } from './save-graph.js';

/** What the variables form adds to the SavedModel besides its graph. */
export interface VariablesForm {
  readonly graph: Graph;
  readonly saverDef: Record<string, unknown>;
  readonly collectionDef: Record<string, Record<string, unknown>>;
  /** The values for variables/variables.{index,data-*}, by checkpoint key. */
  readonly tensors: ReadonlyMap<string, ConstantTensor>;
}

const FLOATS = new Set(['float32', 'float16', 'float64']);

/** Weights (float constants of more than one value) become variables; shape and index constants stay Const. */
export function isWeight(c: ConstantTensor): boolean {
  return FLOATS.has(c.dtype) && sizeOfShape(c.shape) > 1;
}

function uniquePrefix(names: ReadonlySet<string>, base: string): string {
  const taken = (p: string) => names.has(p) || [...names].some((n) => n.startsWith(`${p}/`));
  if (!taken(base)) return base;
  for (let i = 1; ; i++) if (!taken(`${base}_${i}`)) return `${base}_${i}`;
}

/**
 * The graph with its weights as TF1 resource variables, as tf.compat.v1 writes them (fixture
 * tf1-variables-mlp): per weight `w` a VarHandleOp `w`, an initializer that fills zeros (the
 * values live in the checkpoint, not in the .pb), `w/Assign`, `w/IsInitialized/…`, and
 * `w/Read/ReadVariableOp` that every former consumer of the Const now reads; an `init` NoOp;
 * the Saver's save/restore subgraph; the "variables" and "trainable_variables" collections of
 * VariableDef.
 */
export function toVariables(graph: Graph): VariablesForm {
  const weights = graph.nodes.filter((n) => n.op === 'Const' && graph.constants.has(n.name) && isWeight(graph.constants.get(n.name)!));
  const weightNames = new Set(weights.map((n) => n.name));
  const readOf = (name: string) => `${name}/Read/ReadVariableOp`;
  const rewire = (ref: string) => {
    const { node: n, index } = parseTensorRef(ref);
    return weightNames.has(n) ? `${readOf(n)}:${index}` : normalizeTensorRef(ref);
  };
  const constants = new Map(graph.constants);
  const nodes: Node[] = [];
  const variables: SavedVariable[] = [];
  const tensors = new Map<string, ConstantTensor>();
  const variableDefs: Uint8Array[] = [];
  const VariableDef = messageType('VariableDef');
  for (const n of graph.nodes) {
    if (!weightNames.has(n.name)) {
      // A control dependency on a weight waits for its read (tfjs graphs converted from TF2 have them).
      const controls = n.controlInputs?.map((c) => (weightNames.has(c) ? readOf(c) : c));
      nodes.push({ ...n, inputs: n.inputs.map(rewire), ...(controls ? { controlInputs: controls } : {}) });
      continue;
    }
    const value = constants.get(n.name)!;
    constants.delete(n.name);
    const { name } = n;
    const dtype = attrValue.dtype(value.dtype);
    const dims = constNode(`${name}/Initializer/zeros/shape_as_tensor`, numberTensor('int32', [...value.shape], [value.shape.length]));
    const zero = constNode(`${name}/Initializer/zeros/Const`, { dtype: value.dtype, shape: [], values: allocValues(value.dtype, 1) });
    for (const c of [dims, zero]) { nodes.push(c.node); constants.set(c.node.name, c.value); }
    nodes.push(
      node(`${name}/Initializer/zeros`, 'Fill', [`${dims.node.name}:0`, `${zero.node.name}:0`], { T: dtype, index_type: attrValue.dtype('int32') }),
      node(name, 'VarHandleOp', [], {
        container: attrValue.string(''), shared_name: attrValue.string(name), debug_name: attrValue.string(`${name}/`),
        dtype, shape: attrValue.shape(value.shape), allowed_devices: attrValue.strings([]),
      }),
      node(`${name}/IsInitialized/VarIsInitializedOp`, 'VarIsInitializedOp', [`${name}:0`], {}),
      node(`${name}/Assign`, 'AssignVariableOp', [`${name}:0`, `${name}/Initializer/zeros:0`], { dtype }),
      node(readOf(name), 'ReadVariableOp', [`${name}:0`], { dtype }),
    );
    variables.push({ name, dtype: value.dtype, read: `${readOf(name)}:0` });
    tensors.set(name, value);
    variableDefs.push(VariableDef.encode(VariableDef.fromObject({
      variableName: `${name}:0`, initializerName: `${name}/Assign`, snapshotName: `${readOf(name)}:0`,
      isResource: true, initialValueName: `${name}/Initializer/zeros:0`, trainable: true,
    })).finish());
  }
  const names = new Set(nodes.map((n) => n.name));
  const init = uniquePrefix(names, 'init');
  nodes.push(node(init, 'NoOp', [], {}, { controlInputs: weights.map((w) => `${w.name}/Assign`).sort() }));
  names.add(init);
  const save = saveGraph(uniquePrefix(names, 'save'), variables);
  for (const c of save.constants) { nodes.push(c.node); constants.set(c.node.name, c.value); }
  nodes.push(...save.nodes);
  const signatures = Object.fromEntries(Object.entries(graph.signatures).map(([k, s]) => [k, rewireSignature(s, rewire)]));
  return {
    graph: { ...graph, nodes, constants, outputs: graph.outputs.map(rewire), signatures },
    saverDef: save.saverDef,
    collectionDef: {
      trainable_variables: { bytesList: { value: variableDefs } },
      variables: { bytesList: { value: variableDefs } },
    },
    tensors,
  };
}

function rewireSignature(s: Signature, rewire: (ref: string) => string): Signature {
  const map = (ts: Readonly<Record<string, SignatureTensor>>) => Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, { ...t, name: rewire(t.name) }]));
  return { ...s, outputs: map(s.outputs) };
}
