import { float32ToFloat16Array, GraphError, parseTensorRef, quantizeValues, type Quantization, type TensorRef, type TypedArray } from '@modelport/core';
import { UnsupportedVariant } from './conversion.js';
import type { TensorFacts } from './infer-shapes.js';
import { quantizationSpec, type QuantizationAnnotations } from './quantization/annotations.js';
import type { SubGraphBuilder, TfliteTensor } from './subgraph-builder.js';
import type { TfliteDType } from './tflite-dtype.js';

/** How a converter uses a weight it derives from an annotated Const. */
export interface ConstantUse {
  /** The IR axis → the axis of the layout the converter stores (a transposed or reshaped weight). */
  readonly axisOf?: (irAxis: number) => number;
  /** Wants the stored integers themselves (int8 op, or a hybrid kernel), not their float value. */
  readonly stored?: boolean;
}

const INTEGER_STORAGE = new Set(['int8', 'int32']);

/**
 * The tensors of one subgraph by IR reference. Constants (Const nodes and folded values) are added
 * on first use, so that weights only the folding read never reach the file. A float tensor may also
 * have an int8 form (docs/formats/quantization.md): each is made once, when first needed, by
 * QUANTIZE from the float form or DEQUANTIZE from the int8 one.
 */
export class TensorScope {
  private readonly bound = new Map<TensorRef, TfliteTensor>();
  private readonly constants = new Map<string, TfliteTensor>();
  private readonly otherForm = new Map<TensorRef, TfliteTensor>();

  constructor(readonly subgraph: SubGraphBuilder, private readonly facts: ReadonlyMap<TensorRef, TensorFacts>, readonly annotations: QuantizationAnnotations) {}

  bind(ref: TensorRef, tensor: TfliteTensor): void {
    this.bound.set(ref, tensor);
    this.otherForm.delete(ref);
  }

  has(ref: TensorRef): boolean {
    return this.bound.has(ref) || this.facts.get(ref)?.value !== undefined;
  }

  factsOf(ref: TensorRef): TensorFacts {
    const f = this.facts.get(ref);
    if (!f) throw new GraphError(`no dtype/shape is known for tensor "${ref}"`, { node: parseTensorRef(ref).node });
    return f;
  }

  /** The float (or int, bool …) form of a tensor: what float nodes read. */
  get(ref: TensorRef): TfliteTensor {
    const t = this.bound.get(ref);
    if (t) return t.dtype === 'int8' ? this.convertedForm(ref, t, 'float32') : t;
    const f = this.facts.get(ref);
    if (f?.value === undefined) throw new GraphError(`tensor "${ref}" is used before it is computed`, { node: parseTensorRef(ref).node });
    const c = this.constant(ref.replace(/:0$/, ''), f.dtype, f.shape, f.value, ref, parseTensorRef(ref).node);
    this.bound.set(ref, c);
    return c;
  }

  /** The int8 form of a float tensor: what int8 nodes read. */
  int8(ref: TensorRef): TfliteTensor {
    const t = this.bound.get(ref);
    if (t?.dtype === 'int8') return t;
    const f = this.facts.get(ref);
    if (!t && f?.value !== undefined) {
      // A value folded at export time from ops (not a Const): stored with the parameters its tensor carries.
      const folded = f.dtype === 'float32' && !this.annotations.constant(parseTensorRef(ref).node) ? this.annotations.tensor(ref) : undefined;
      if (folded?.dtype === 'int8') {
        const known = this.otherForm.get(ref);
        if (known) return known;
        const stored = this.storedConstant(ref.replace(/:0$/, ''), f.shape, f.value, folded, undefined, `${ref}#int8`);
        this.otherForm.set(ref, stored);
        return stored;
      }
      const c = this.constant(ref.replace(/:0$/, ''), f.dtype, f.shape, f.value, ref, parseTensorRef(ref).node, { stored: true });
      if (c.dtype !== 'int8') throw new UnsupportedVariant(`its input "${ref}" is a constant without int8 parameters`);
      return c;
    }
    return this.convertedForm(ref, this.get(ref), 'int8');
  }

  /** DEQUANTIZE of an int8 tensor, or QUANTIZE of a float one with the parameters its annotation gives; once per tensor. */
  private convertedForm(ref: TensorRef, from: TfliteTensor, to: 'float32' | 'int8'): TfliteTensor {
    const known = this.otherForm.get(ref);
    if (known) return known;
    let out: TfliteTensor;
    if (to === 'float32') {
      out = this.subgraph.tensor(`${from.name}/float`, 'float32', from.shape);
      this.subgraph.op('DEQUANTIZE', [from], [out]);
    } else {
      const q = this.annotations.tensor(ref);
      if (q?.dtype !== 'int8') throw new UnsupportedVariant(`its input "${ref}" carries no int8 parameters`);
      out = this.subgraph.tensor(`${from.name}/int8`, 'int8', from.shape, { quantization: quantizationSpec(q) });
      this.subgraph.op('QUANTIZE', [from], [out]);
    }
    this.otherForm.set(ref, out);
    return out;
  }

  /**
   * A constant; `key` deduplicates its bytes across subgraphs. A float Const `irNode` is stored as
   * its annotation says: float16 read through DEQUANTIZE; int8 (int32 for a bias) as the integers
   * core's quantizeValues gives, handed over as such when `use.stored` asks, else through DEQUANTIZE.
   */
  constant(name: string, dtype: TfliteDType, shape: readonly number[], values: TypedArray, key?: string, irNode?: string, use: ConstantUse = {}): TfliteTensor {
    const q = dtype === 'float32' && irNode !== undefined ? this.annotations.constant(irNode) : undefined;
    const integer = q !== undefined && INTEGER_STORAGE.has(q.dtype ?? '');
    const cacheKey = key === undefined ? undefined : integer && use.stored ? `${key}#stored` : key;
    const cached = cacheKey === undefined ? undefined : this.constants.get(cacheKey);
    if (cached) return cached;
    let tensor: TfliteTensor;
    if (q?.dtype === 'float16' && values.length > 1) {
      const half = this.subgraph.constant(`${name}_fp16`, 'float16', shape, float32ToFloat16Array(values as Float32Array), key && `${key}#fp16`);
      tensor = this.subgraph.tensor(name, 'float32', shape);
      this.subgraph.op('DEQUANTIZE', [half], [tensor]);
    } else if (q && integer) {
      const stored = this.storedConstant(name, shape, values, q, use.axisOf, key);
      if (use.stored) tensor = stored;
      else {
        tensor = this.subgraph.tensor(name, 'float32', shape);
        this.subgraph.op('DEQUANTIZE', [stored], [tensor]);
      }
    } else {
      tensor = this.subgraph.constant(name, dtype, shape, values, key);
    }
    if (cacheKey !== undefined) this.constants.set(cacheKey, tensor);
    return tensor;
  }

  /** The integers of a weight in the layout the converter made of it, with its parameters along the mapped axis. */
  private storedConstant(name: string, shape: readonly number[], values: TypedArray, q: Quantization, axisOf: ((a: number) => number) | undefined, key: string | undefined): TfliteTensor {
    const dtype = q.dtype as 'int8' | 'int32';
    const axis = q.axis === undefined || q.scale.length <= 1 ? undefined : (axisOf ?? ((a) => a))(q.axis);
    const inLayout: Quantization = { ...q, ...(axis === undefined ? {} : { axis }) };
    if (axis !== undefined && shape[axis] !== q.scale.length) {
      throw new UnsupportedVariant(`weight "${name}" has ${q.scale.length} scales along axis ${q.axis}, which becomes axis ${axis} of size ${shape[axis]} in TFLite's layout`);
    }
    const ints = quantizeValues(values as Float32Array, shape, inLayout);
    return this.subgraph.constant(`${name}_${dtype}`, dtype, shape, ints, key && `${key}#${dtype}`, quantizationSpec(q, axis));
  }
}
