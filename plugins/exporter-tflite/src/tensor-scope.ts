import { float32ToFloat16Array, GraphError, parseTensorRef, type TensorRef, type TypedArray } from '@modelport/core';
import type { TensorFacts } from './infer-shapes.js';
import type { SubGraphBuilder, TfliteTensor } from './subgraph-builder.js';
import type { TfliteDType } from './tflite-dtype.js';

/** Which float constants are stored as float16 (then DEQUANTIZE'd to float32 when the model loads). */
export type Float16Policy = (irNodeName: string) => boolean;

/**
 * The tensors of one subgraph by IR reference. Constants (Const nodes and folded values) are added
 * on first use, so that weights only the folding read never reach the file.
 */
export class TensorScope {
  private readonly bound = new Map<TensorRef, TfliteTensor>();
  private readonly constants = new Map<string, TfliteTensor>();

  constructor(readonly subgraph: SubGraphBuilder, private readonly facts: ReadonlyMap<TensorRef, TensorFacts>, private readonly float16: Float16Policy) {}

  bind(ref: TensorRef, tensor: TfliteTensor): void {
    this.bound.set(ref, tensor);
  }

  has(ref: TensorRef): boolean {
    return this.bound.has(ref) || this.facts.get(ref)?.value !== undefined;
  }

  factsOf(ref: TensorRef): TensorFacts {
    const f = this.facts.get(ref);
    if (!f) throw new GraphError(`no dtype/shape is known for tensor "${ref}"`, { node: parseTensorRef(ref).node });
    return f;
  }

  get(ref: TensorRef): TfliteTensor {
    const t = this.bound.get(ref);
    if (t) return t;
    const f = this.facts.get(ref);
    if (f?.value === undefined) throw new GraphError(`tensor "${ref}" is used before it is computed`, { node: parseTensorRef(ref).node });
    const c = this.constant(ref.replace(/:0$/, ''), f.dtype, f.shape, f.value, ref, parseTensorRef(ref).node);
    this.bound.set(ref, c);
    return c;
  }

  /**
   * A constant; `key` deduplicates its bytes across subgraphs. Float weights the policy picks are
   * stored as float16 and read through a DEQUANTIZE op (the converter's float16 pattern).
   */
  constant(name: string, dtype: TfliteDType, shape: readonly number[], values: TypedArray, key?: string, irNode?: string): TfliteTensor {
    const cacheKey = key ?? undefined;
    const cached = cacheKey === undefined ? undefined : this.constants.get(cacheKey);
    if (cached) return cached;
    let tensor: TfliteTensor;
    if (dtype === 'float32' && values.length > 1 && irNode !== undefined && this.float16(irNode)) {
      const half = this.subgraph.constant(`${name}_fp16`, 'float16', shape, float32ToFloat16Array(values as Float32Array), key && `${key}#fp16`);
      tensor = this.subgraph.tensor(name, 'float32', shape);
      this.subgraph.op('DEQUANTIZE', [half], [tensor]);
    } else {
      tensor = this.subgraph.constant(name, dtype, shape, values, key);
    }
    if (cacheKey !== undefined) this.constants.set(cacheKey, tensor);
    return tensor;
  }
}
