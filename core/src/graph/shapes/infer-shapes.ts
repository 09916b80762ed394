import { placeholderTensor, nodeMap } from '../query.js';
import { normalizeTensorRef, parseTensorRef, tensorRef } from '../refs.js';
import type { Graph, TensorRef } from '../types.js';
import { constant, symbol } from './dim-expr.js';
import { inputSymbols, type InputSymbol } from './input-symbols.js';
import { outputDType } from '../output-dtype.js';
import type { ShapeRule } from './rule-types.js';
import { SHAPE_RULES } from './rules/index.js';
import { shapeOrigin, unknownFacts, type ShapeOrigin, type SymbolicDim, type SymbolicShape, type TensorFacts } from './tensor-facts.js';

export interface ShapeInferenceOptions {
  /** Concrete shapes for inputs, by input node name: their -1 dims become numbers instead of symbols. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** The rule table; SHAPE_RULES unless a caller extends it. */
  readonly rules?: Readonly<Record<string, ShapeRule>>;
}

/** Facts for every tensor of a graph, from its inputs' symbolic shapes through the rule table. */
export interface ShapeInference {
  /** The open input dims, each a symbol in the expressions. */
  readonly symbols: readonly InputSymbol[];
  /** Facts by tensor ref ("node:index"), for every output a rule described. */
  readonly tensors: ReadonlyMap<TensorRef, TensorFacts>;
  /** Nodes whose outputs are unknown: no rule for the op, or they depend on such a node. */
  readonly unknownNodes: ReadonlySet<string>;
  facts(ref: TensorRef): TensorFacts;
  shape(ref: TensorRef): SymbolicShape;
  values(ref: TensorRef): readonly SymbolicDim[] | undefined;
  /** Whether the shape is fixed, set by the input sizes (known before run time), or decided by data. */
  origin(ref: TensorRef): ShapeOrigin;
}

/**
 * Infers symbolic shapes (and values of small int tensors) for a whole graph. Nodes go in
 * topological order; a node whose op has no rule, or that reads (by data or control) a node
 * already unknown, gets unknown outputs, so nothing behind control flow or an unsupported op is
 * ever claimed.
 */
export function inferShapes(graph: Graph, options: ShapeInferenceOptions = {}): ShapeInference {
  const rules = options.rules ?? SHAPE_RULES;
  const byName = nodeMap(graph);
  const symbols = inputSymbols(graph, byName);
  const tensors = new Map<TensorRef, TensorFacts>();
  const unknownNodes = new Set<string>();
  let freshCount = 0;
  const fresh = () => symbol(`?${++freshCount}`, 'data');

  for (const node of graph.nodes) {
    const producers = [...node.inputs.map((r) => parseTensorRef(r).node), ...(node.controlInputs ?? [])];
    const inputFacts = node.inputs.map((r) => tensors.get(normalizeTensorRef(r)));
    if (node.op === 'Placeholder') {
      const spec = placeholderTensor(node);
      const pinned = options.inputShapes?.[node.name];
      const shape = pinned ? pinned.map(constant) : spec.shape === null ? null : spec.shape.map((d, axis) => {
        if (d >= 0) return constant(d);
        const s = symbols.find((x) => x.input === node.name && x.axis === axis);
        return symbol(s?.name ?? `${node.name}.d${axis}`);
      });
      tensors.set(tensorRef(node.name), { dtype: String(spec.dtype), shape });
      continue;
    }
    const rule = rules[node.op];
    if (!rule || producers.some((p) => unknownNodes.has(p)) || inputFacts.some((f) => f === undefined)) {
      unknownNodes.add(node.name);
      continue;
    }
    let outputs: readonly TensorFacts[];
    try {
      outputs = rule({ node, inputs: inputFacts as TensorFacts[], dtype: outputDType(node, 0, (k) => inputFacts[k]?.dtype) ?? inputFacts[0]?.dtype ?? 'float32', constant: graph.constants.get(node.name), fresh });
    } catch {
      // A malformed node (missing attribute, odd arity) is unknown rather than a failed inference.
      unknownNodes.add(node.name);
      continue;
    }
    outputs.forEach((f, i) => tensors.set(tensorRef(node.name, i), f));
  }

  const facts = (ref: TensorRef) => tensors.get(normalizeTensorRef(ref)) ?? unknownFacts();
  return {
    symbols,
    tensors,
    unknownNodes,
    facts,
    shape: (ref) => facts(ref).shape,
    values: (ref) => facts(ref).values,
    origin: (ref) => shapeOrigin(facts(ref).shape),
  };
}
