import { OptionsError } from '../errors.js';
import { attr, attrValue } from './attrs.js';
import { nodeMap, placeholderTensor } from './query.js';
import { parseTensorRef } from './refs.js';
import type { Graph, Node, Signature, SignatureTensor } from './types.js';

/** Input shapes to pin: by signature input name or input node name (with or without ":0"); "" = the only input. */
export type InputShapes = Readonly<Record<string, readonly number[]>>;

/** Metadata key under which the shapes before pinning are kept (TFLite writes them as shape_signature). */
export const ORIGINAL_INPUT_SHAPES_KEY = 'originalInputShapes';

const FLAG = '--input-shape';

function describeShape(shape: readonly number[] | null): string {
  return shape === null ? 'unknown rank' : `[${shape.join(',')}]`;
}

/** Input node name → the names a user may call it by (signature keys, node name with and without ":0"). */
export function inputAliases(graph: Graph): Map<string, Set<string>> {
  const aliases = new Map<string, Set<string>>(graph.inputs.map((n) => [n, new Set([n, `${n}:0`])]));
  for (const sig of Object.values(graph.signatures)) {
    for (const [key, t] of Object.entries(sig.inputs)) aliases.get(parseTensorRef(t.name).node)?.add(key);
  }
  return aliases;
}

/** "image or pixels, mask": the names of each input, for errors. */
export function knownInputNames(aliases: Map<string, Set<string>>): string {
  return [...aliases.values()].map((names) => [...names].filter((n) => !n.endsWith(':0')).join(' or ')).join(', ');
}

/** Which input node a user's name means; an OptionsError listing the real names when none. */
function resolveInput(graph: Graph, name: string, aliases: Map<string, Set<string>>): string {
  if (name === '') {
    if (graph.inputs.length === 1) return graph.inputs[0]!;
    throw new OptionsError(`the model has ${graph.inputs.length} inputs (${graph.inputs.join(', ')}): name the one to shape, e.g. ${FLAG} ${graph.inputs[0]}=${'1,224,224,3'}`);
  }
  for (const [node, names] of aliases) if (names.has(name)) return node;
  throw new OptionsError(`${FLAG}: the model has no input "${name}"; its inputs are ${knownInputNames(aliases)}`);
}

/** The shape a pinned input gets, or an OptionsError saying which axis contradicts what. */
function pinnedShape(input: string, declared: readonly number[] | null, given: readonly number[]): number[] {
  const bad = given.filter((d) => !Number.isInteger(d) || d < -1);
  if (bad.length) throw new OptionsError(`${FLAG} ${input}: dimensions must be whole numbers ≥ 0, or -1 to keep one dynamic; got ${bad.join(', ')}`);
  if (declared === null) return [...given];
  if (declared.length !== given.length) {
    throw new OptionsError(`${FLAG} ${input}: the model's input has rank ${declared.length} ${describeShape(declared)}, the given shape [${given.join(',')}] has rank ${given.length}`);
  }
  return declared.map((d, axis) => {
    const g = given[axis]!;
    if (d >= 0 && g >= 0 && d !== g) {
      throw new OptionsError(`${FLAG} ${input}: axis ${axis} is fixed to ${d} by the model ${describeShape(declared)}; ${g} contradicts it`);
    }
    return g >= 0 ? g : d;
  });
}

function withShape(node: Node, shape: readonly number[]): Node {
  return { ...node, attrs: { ...node.attrs, shape: attrValue.shape(shape) } };
}

/**
 * Fixes dimensions of the graph's inputs: Placeholder `shape` attributes and every signature that
 * reads them. -1 keeps a dimension dynamic; the shapes before pinning stay in
 * metadata.originalInputShapes. Bad requests (unknown name, wrong rank, a value that contradicts
 * a fixed dimension, a non-integer, an unnamed shape for a model with several inputs) are
 * OptionsErrors naming the input and axis.
 */
export function pinInputShapes(graph: Graph, shapes: InputShapes): Graph {
  const entries = Object.entries(shapes);
  if (entries.length === 0) return graph;
  const aliases = inputAliases(graph);
  const byName = nodeMap(graph);
  const pinned = new Map<string, number[]>();
  for (const [name, given] of entries) {
    const input = resolveInput(graph, name, aliases);
    if (pinned.has(input)) throw new OptionsError(`${FLAG}: input "${input}" is given twice`);
    const node = byName.get(input)!;
    const declared = attr.has(node, 'shape') ? attr.shape(node, 'shape') : null;
    pinned.set(input, pinnedShape(input, declared, given));
  }
  const original: Record<string, readonly number[] | null> = {};
  const nodes = graph.nodes.map((n) => {
    const shape = pinned.get(n.name);
    if (!shape) return n;
    original[n.name] = placeholderTensor(n).shape;
    return withShape(n, shape);
  });
  const repin = (t: SignatureTensor): SignatureTensor => {
    const shape = pinned.get(parseTensorRef(t.name).node);
    return shape ? { ...t, shape } : t;
  };
  const signatures: Record<string, Signature> = {};
  for (const [key, sig] of Object.entries(graph.signatures)) {
    signatures[key] = { ...sig, inputs: Object.fromEntries(Object.entries(sig.inputs).map(([k, t]) => [k, repin(t)])) };
  }
  const previous = (graph.metadata[ORIGINAL_INPUT_SHAPES_KEY] ?? {}) as Record<string, unknown>;
  return { ...graph, nodes, signatures, metadata: { ...graph.metadata, [ORIGINAL_INPUT_SHAPES_KEY]: { ...original, ...previous } } };
}

/** Parses a --input-shape value: "name=1,224,224,3", "1,224,224,3" (the only input) or "name=" (scalar). */
export function parseInputShapeFlag(value: string): [string, number[]] {
  const eq = value.lastIndexOf('=');
  const name = eq >= 0 ? value.slice(0, eq).trim() : '';
  const dims = (eq >= 0 ? value.slice(eq + 1) : value).trim();
  const parts = dims === '' ? [] : dims.split(',').map((d) => d.trim());
  const numbers = parts.map(Number);
  const bad = parts.filter((p, i) => p === '' || !Number.isInteger(numbers[i]) || numbers[i]! < -1);
  if (bad.length) throw new OptionsError(`${FLAG} "${value}": dimensions must be whole numbers ≥ 0, or -1 to keep one dynamic (got ${bad.map((b) => `"${b}"`).join(', ')}); write ${FLAG} NAME=1,224,224,3`);
  return [name, numbers];
}
