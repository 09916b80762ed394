import { INT8_OPS, internalErrorAt, isInternal, parseTensorRef, tensorRef, type Node, type TensorRef } from '@modelport/core';
import { UnsupportedVariant, type TfliteOpTable } from './conversion.js';
import type { TensorFacts } from './infer-shapes.js';
import type { TfliteModelBuilder } from './model-builder.js';
import { NodeConversion } from './node-conversion.js';
import { PASS_THROUGH_OPS } from './supported-ops.js';
import type { QuantizationAnnotations } from './quantization/annotations.js';
import type { TensorScope } from './tensor-scope.js';

/**
 * Translates IR nodes into the subgraph of a TensorScope, for the main subgraph and for the
 * subgraphs of loops and conds alike. Nodes a converter refuses are collected (and what reads
 * them skipped), so that one UnsupportedOpsError can list them all.
 */
export class NodeTranslator {
  readonly refused: { node: string; op: string }[] = [];
  /** int8 nodes whose op or variant has no int8 form here: one error of their own, naming the mode. */
  readonly refusedInt8: { node: string; op: string }[] = [];
  /** IR ops that became operators (folded ones excepted). */
  readonly irOps = new Set<string>();
  private readonly poisoned = new Set<string>();

  constructor(readonly model: TfliteModelBuilder, readonly facts: ReadonlyMap<TensorRef, TensorFacts>, readonly table: TfliteOpTable, readonly annotations: QuantizationAnnotations) {}

  convert(node: Node, scope: TensorScope): void {
    if (PASS_THROUGH_OPS.has(node.op) || this.isFolded(node)) return;
    if (node.inputs.some((r) => this.isPoisoned(r))) { this.poison(node.name); return; }
    try {
      // Zero-size tensors are what a probe run fed zeros makes of shapes computed from input values
      // (a resize ratio): the static shapes learnt would not hold for real inputs.
      const own = this.facts.get(tensorRef(node.name));
      if (own?.shape.includes(0) && !own.dynamic) throw new UnsupportedVariant('its shape came out empty in the probe run: it depends on input values, not only on input shapes');
      const convert = this.table[node.op];
      if (!convert) throw new UnsupportedVariant('no TFLite builtin, and its value is too large to compute at export time');
      if (node.quantized === 'int8') assertInt8Rule(node);
      const conversion = new NodeConversion(node, scope);
      const result = convert(conversion);
      const list = Array.isArray(result) ? result : [result];
      // A converter may hand back a tensor it did not write (an identity reshape): it must still carry the annotated parameters.
      list.forEach((t, i) => scope.bind(tensorRef(node.name, i), conversion.quantized && t.dtype === 'int8' ? conversion.withParams(t, conversion.outputParams(i))! : t));
      this.irOps.add(node.op);
    } catch (e) {
      if (isInternal(e)) throw internalErrorAt(e, { node: node.name, op: node.op });
      if (!(e instanceof UnsupportedVariant)) throw e;
      this.refuse(node, e.reason);
    }
  }

  refuse(node: Node, reason: string): void {
    (node.quantized === 'int8' ? this.refusedInt8 : this.refused).push({ node: node.name, op: `${node.op} (${reason})` });
    this.poison(node.name);
  }

  /** Marks a node as not converted: nodes reading it are skipped, not reported again. */
  poison(name: string): void {
    this.poisoned.add(name);
  }

  isPoisoned(ref: TensorRef): boolean {
    return this.poisoned.has(parseTensorRef(ref).node);
  }

  /** A node whose outputs all have values known at export time needs no operator. */
  isFolded(node: Node): boolean {
    const f = this.facts.get(tensorRef(node.name));
    if (f?.value === undefined) return false;
    for (let i = 1; this.facts.has(tensorRef(node.name, i)); i++) if (this.facts.get(tensorRef(node.name, i))!.value === undefined) return false;
    return true;
  }
}

/** An int8 node must be of an op core's INT8_OPS has, in a variant its rule does not refuse. */
function assertInt8Rule(node: Node): void {
  const rule = INT8_OPS[node.op];
  if (!rule) throw new UnsupportedVariant('no int8 rule in core INT8_OPS');
  const why = rule.refuse?.(node);
  if (why) throw new UnsupportedVariant(why);
}
