import type { AttrValue, ModuleContext, TensorRef } from '@modelport/core';

const F = { T: { type: 'float32' } } as const;
const I = { type: 'int32' } as const;

/**
 * The TensorFlow ops the detection stage is built from, with the attrs tfjs graph models give
 * them; every one is translated by the tflite, onnx and tfjs exporters.
 */
export class GraphOps {
  private count = 0;
  constructor(private readonly ctx: ModuleContext) {}

  private name(what: string): string { return `${what}_${this.count++}`; }
  private op(op: string, inputs: TensorRef[], attrs: Readonly<Record<string, AttrValue>> = F): TensorRef {
    return this.ctx.ops.node(this.name(op.toLowerCase()), { op, inputs, attrs });
  }

  floats(values: readonly number[], shape: readonly number[] = [values.length]): TensorRef {
    return this.ctx.ops.constant(this.name('f'), 'float32', shape, Float32Array.from(values));
  }
  ints(values: readonly number[], shape: readonly number[] = [values.length]): TensorRef {
    return this.ctx.ops.constant(this.name('i'), 'int32', shape, Int32Array.from(values));
  }
  add(a: TensorRef, b: TensorRef) { return this.op('Add', [a, b]); }
  sub(a: TensorRef, b: TensorRef) { return this.op('Sub', [a, b]); }
  mul(a: TensorRef, b: TensorRef) { return this.op('Mul', [a, b]); }
  div(a: TensorRef, b: TensorRef) { return this.op('RealDiv', [a, b]); }
  minimum(a: TensorRef, b: TensorRef) { return this.op('Minimum', [a, b]); }
  maximum(a: TensorRef, b: TensorRef) { return this.op('Maximum', [a, b]); }
  exp(x: TensorRef) { return this.op('Exp', [x]); }
  sigmoid(x: TensorRef) { return this.op('Sigmoid', [x]); }
  softmax(x: TensorRef) { return this.op('Softmax', [x]); }
  floor(x: TensorRef) { return this.op('Floor', [x]); }
  less(a: TensorRef, b: TensorRef) { return this.op('Less', [a, b]); }
  equal(a: TensorRef, b: TensorRef) { return this.op('Equal', [a, b], { ...F, incompatible_shape_error: { b: true } }); }
  toFloat(x: TensorRef, from: 'int32' | 'bool') { return this.op('Cast', [x], { SrcT: { type: from }, DstT: { type: 'float32' }, Truncate: { b: false } }); }
  toInt(x: TensorRef) { return this.op('Cast', [x], { SrcT: { type: 'float32' }, DstT: I, Truncate: { b: false } }); }
  reshape(x: TensorRef, shape: readonly number[], dtype: 'float32' | 'int32' = 'float32') {
    return this.op('Reshape', [x, this.ints(shape)], { T: { type: dtype }, Tshape: I });
  }
  concat(xs: TensorRef[], axis: number, dtype: 'float32' | 'int32' = 'float32') {
    return xs.length === 1 ? xs[0]! : this.op('ConcatV2', [...xs, this.ints([axis], [])], { N: { i: xs.length }, T: { type: dtype }, Tidx: I });
  }
  /** x[..., from:to] along the last axis of a rank-`rank` tensor. */
  lastAxis(x: TensorRef, rank: number, from: number, to: number) {
    const z = Array<number>(rank).fill(0);
    const all = (1 << (rank - 1)) - 1;
    return this.op('StridedSlice', [x, this.ints([...z.slice(1), from]), this.ints([...z.slice(1), to]), this.ints(Array<number>(rank).fill(1))], {
      T: { type: 'float32' }, Index: I, begin_mask: { i: all }, end_mask: { i: all }, ellipsis_mask: { i: 0 }, new_axis_mask: { i: 0 }, shrink_axis_mask: { i: 0 },
    });
  }
  tile(x: TensorRef, multiples: readonly number[]) { return this.op('Tile', [x, this.ints(multiples)], { ...F, Tmultiples: I }); }
  reduce(op: 'Max' | 'Min' | 'Sum', x: TensorRef, axes: readonly number[]) { return this.op(op, [x, this.ints(axes)], { ...F, Tidx: I, keep_dims: { b: false } }); }
  matmul(a: TensorRef, b: TensorRef) { return this.op('MatMul', [a, b], { ...F, transpose_a: { b: false }, transpose_b: { b: false } }); }
  gather(params: TensorRef, indices: TensorRef, dtype: 'float32' | 'int32' = 'float32') {
    return this.op('GatherV2', [params, indices, this.ints([0], [])], { Tparams: { type: dtype }, Tindices: I, Taxis: I, batch_dims: { i: 0 } });
  }
  /** The length of a 1-D tensor, as an int32 scalar. */
  length(x: TensorRef) {
    const shape = this.op('Shape', [x], { T: I, out_type: I });
    return this.op('StridedSlice', [shape, this.ints([0]), this.ints([1]), this.ints([1])], {
      T: I, Index: I, begin_mask: { i: 0 }, end_mask: { i: 0 }, ellipsis_mask: { i: 0 }, new_axis_mask: { i: 0 }, shrink_axis_mask: { i: 1 },
    });
  }
  range(limit: TensorRef) { return this.op('Range', [this.ints([0], []), limit, this.ints([1], [])], { Tidx: I }); }
  /** TopKV2: [values, indices], sorted. */
  topK(x: TensorRef, k: TensorRef): [TensorRef, TensorRef] {
    const values = this.op('TopKV2', [x, k], { ...F, sorted: { b: true } });
    return [values, this.ctx.ops.outputRef(values, 1)];
  }
  /** NonMaxSuppressionV5 without padding: the selected indices, best score first. */
  nms(boxes: TensorRef, scores: TensorRef, maxOutput: number, iouThreshold: number, scoreThreshold: number): TensorRef {
    return this.op('NonMaxSuppressionV5', [boxes, scores, this.ints([maxOutput], []), this.floats([iouThreshold], []), this.floats([scoreThreshold], []), this.floats([0], [])],
      { ...F, pad_to_max_output_size: { b: false } });
  }
}
