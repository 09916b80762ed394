import { attrValue, GraphBuilder, parseTensorRef, randomTensor, seededRandom, tensorRef, type AttrValue, type DType, type Graph, type TensorRef } from '@modelport/core';

/** Small graphs for op tests: one builder, weights from a seeded generator. */
export class TinyGraph {
  readonly b = new GraphBuilder();
  private seed = 11;
  private count = 0;

  input(name: string, shape: readonly number[] | null, dtype: DType = 'float32'): TensorRef {
    return this.b.input(name, dtype, shape);
  }

  /** A weight of random values in [lo, hi). */
  weight(shape: readonly number[], lo = -1, hi = 1): TensorRef {
    const t = randomTensor('float32', shape, seededRandom(this.seed++));
    const values = Array.from(t.data as Float32Array, (v) => lo + v * (hi - lo));
    return this.b.constant(`w${this.count++}`, 'float32', shape, values);
  }

  const(dtype: DType, shape: readonly number[], values: readonly number[]): TensorRef {
    return this.b.constant(`c${this.count++}`, dtype, shape, values);
  }

  op(op: string, inputs: readonly TensorRef[], attrs: Record<string, AttrValue> = {}, name = `${op.toLowerCase()}${this.count++}`): TensorRef {
    return this.b.node(name, { op, inputs, attrs });
  }

  /** Output `i` of the node behind `ref`. */
  out(ref: TensorRef, i: number): TensorRef {
    return tensorRef(parseTensorRef(ref).node, i);
  }

  build(...outputs: TensorRef[]): Graph {
    return this.b.outputs(...outputs).build();
  }
}

export const a = attrValue;
