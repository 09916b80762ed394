import type { ConversionContext, OnnxOpTable } from '../converter.js';
import { cast, toInt64 } from '../emit-ops.js';
import { FOLD_LIMIT } from '../fold.js';
import { stridesOf } from '../tensor-math.js';
import type { Value } from '../value.js';

/**
 * SparseToDense: the default value broadcast to the output shape, the values scattered at the
 * indices (ScatterND). Computed at export time when everything is known, as it usually is.
 */
function sparseToDense(ctx: ConversionContext): Value {
  const e = ctx.emit;
  const [indices, outShape, values, fill] = [ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3)];
  const dims = outShape.known;
  if (dims && indices.known && values.known && fill.known && indices.shape !== null) {
    const size = dims.reduce((n, d) => n * d, 1);
    if (size <= FOLD_LIMIT) {
      const out = new Array<number>(size).fill(fill.known[0]!);
      const rank = dims.length;
      const strides = stridesOf(dims);
      const n = indices.shape.length === 0 ? 1 : indices.shape[0]!;
      const k = indices.shape.length === 2 ? indices.shape[1]! : 1;
      if (k !== rank) throw ctx.fail(`indices have ${k} coordinates, the output has rank ${rank}`);
      for (let i = 0; i < n; i++) {
        let offset = 0;
        for (let a = 0; a < k; a++) {
          const ix = indices.known[i * k + a]!;
          if (ix < 0 || ix >= dims[a]!) throw ctx.fail(`index ${ix} is out of range for axis ${a} of [${dims}]`);
          offset += ix * strides[a]!;
        }
        out[offset] = values.known.length === 1 ? values.known[0]! : values.known[i]!;
      }
      return e.constant(values.dtype, dims, out);
    }
  }
  const shape64 = toInt64(e, outShape);
  const base = e.op('Expand', [cast(e, fill, values.dtype), shape64], {}, { dtype: values.dtype, shape: dims ? [...dims] : null });
  const idx = indices.shape?.length === 1 ? e.op('Unsqueeze', [toInt64(e, indices), e.int64s([1])], {}, { dtype: 'int64', shape: [indices.shape[0]!, 1] }) : toInt64(e, indices);
  const count = e.op('Shape', [idx], {}, { dtype: 'int64', shape: [2] });
  const n = e.op('Slice', [count, e.int64s([0]), e.int64s([1])], {}, { dtype: 'int64', shape: [1] });
  const updates = e.op('Expand', [values, n], {}, { dtype: values.dtype, shape: [-1] });
  return e.op('ScatterND', [base, idx, updates], {}, { dtype: values.dtype, shape: base.shape });
}

export const scatterOps: OnnxOpTable = {
  SparseToDense: sparseToDense,
};
