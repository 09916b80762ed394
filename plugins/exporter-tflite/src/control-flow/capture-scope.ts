import { type TensorRef } from '@modelport/core';
import { UnsupportedVariant } from '../conversion.js';
import type { TensorFacts } from '../infer-shapes.js';
import type { SubGraphBuilder, TfliteTensor } from '../subgraph-builder.js';
import type { QuantizationAnnotations } from '../quantization/annotations.js';
import { TensorScope } from '../tensor-scope.js';

/**
 * The scope of a WHILE or IF subgraph. TFLite subgraphs cannot read tensors of the subgraph around
 * them: each outer tensor the nodes read becomes an input of the subgraph, on first use, and the
 * WHILE or IF passes it in. `outerRefOf` says which outer tensor a ref stands for (an Enter or
 * Switch forwards one), or undefined for a tensor that belongs to the region.
 */
export class CaptureScope extends TensorScope {
  /** Outer ref → the subgraph input that holds it, in order of first use. */
  readonly captured = new Map<TensorRef, TfliteTensor>();

  constructor(
    subgraph: SubGraphBuilder, facts: ReadonlyMap<TensorRef, TensorFacts>, annotations: QuantizationAnnotations,
    readonly outer: TensorScope, private readonly outerRefOf: (ref: TensorRef) => TensorRef | undefined,
  ) {
    super(subgraph, facts, annotations);
  }

  override has(ref: TensorRef): boolean {
    if (super.has(ref)) return true;
    const outerRef = this.outerRefOf(ref);
    return outerRef !== undefined && this.outer.has(outerRef);
  }

  override get(ref: TensorRef): TfliteTensor {
    if (super.has(ref)) return super.get(ref);
    const outerRef = this.outerRefOf(ref);
    if (outerRef === undefined || (outerRef !== ref && super.has(outerRef))) return super.get(outerRef ?? ref);
    const t = this.capture(outerRef);
    this.bind(ref, t);
    return t;
  }

  /** The subgraph input holding outer tensor `ref`, added if new. */
  capture(ref: TensorRef): TfliteTensor {
    let t = this.captured.get(ref);
    if (t) return t;
    if (!this.outer.has(ref)) throw new UnsupportedVariant(`reads "${ref}", which was not converted`);
    const o = this.outer.get(ref);
    t = this.subgraph.tensor(`${o.name}/captured`, o.dtype, o.shape);
    this.captured.set(ref, t);
    return t;
  }
}

/**
 * Makes every scope capture the same outer tensors (a subgraph that does not read one still takes
 * it, since WHILE and IF pass one list to all their subgraphs); returns them in input order.
 */
export function alignCaptures(scopes: readonly CaptureScope[]): TensorRef[] {
  const all: TensorRef[] = [];
  for (const s of scopes) for (const ref of s.captured.keys()) if (!all.includes(ref)) all.push(ref);
  for (const s of scopes) for (const ref of all) s.capture(ref);
  return all;
}
