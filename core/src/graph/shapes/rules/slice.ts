import { attr } from '../../attrs.js';
import { add, ceilDiv, constant, constantValue, max, min, sub, type DimExpr } from '../dim-expr.js';
import type { ShapeRule } from '../rule-types.js';
import { concreteDims, unknownFacts, type SymbolicDim, type TensorFacts } from '../tensor-facts.js';
import { intList, mapValues, normalizeAxis, one, valueAt, withValues } from './helpers.js';

/** One input dim as StridedSlice reads it: the output size and, when everything is a number, the indices taken. */
interface DimSlice { readonly size: SymbolicDim; readonly indices?: readonly number[]; readonly shrink: boolean }

const clamp = (v: DimExpr, lo: DimExpr, hi: DimExpr) => max(lo, min(v, hi));

/** TensorFlow's canonical bounds for one axis: negatives count from the end, then clamp into the dim. */
function sliceDim(dim: SymbolicDim, b: SymbolicDim, e: SymbolicDim, stride: number, beginMask: boolean, endMask: boolean): DimSlice {
  const fromEnd = (v: DimExpr) => (constantValue(v)! < 0 ? add(v, dim!) : v);
  if (dim === null || (!beginMask && (b === null || constantValue(b) === undefined)) || (!endMask && (e === null || constantValue(e) === undefined))) return { size: null, shrink: false };
  let begin: DimExpr, end: DimExpr, size: DimExpr;
  if (stride > 0) {
    begin = beginMask ? constant(0) : clamp(fromEnd(b!), constant(0), dim);
    end = endMask ? dim : clamp(fromEnd(e!), constant(0), dim);
    size = max(constant(0), ceilDiv(sub(end, begin), stride));
  } else {
    const last = sub(dim, constant(1));
    begin = beginMask ? last : clamp(fromEnd(b!), constant(-1), last);
    end = endMask ? constant(-1) : clamp(fromEnd(e!), constant(-1), last);
    size = max(constant(0), ceilDiv(sub(begin, end), -stride));
  }
  const n = constantValue(size), b0 = constantValue(begin);
  const indices = n !== undefined && b0 !== undefined ? Array.from({ length: n }, (_, i) => b0 + i * stride) : undefined;
  return { size, indices, shrink: false };
}

const bit = (mask: number, i: number) => ((mask >> i) & 1) === 1;

const stridedSliceRule: ShapeRule = ({ node, inputs, dtype }) => {
  const x = inputs[0]!;
  const begin = inputs[1]!.values, end = inputs[2]!.values;
  const strides = intList(inputs[3]);
  const specLength = concreteDims(inputs[1]!.shape)?.[0];
  if (x.shape === null || !strides || specLength === undefined || strides.length !== specLength) return one(unknownFacts(dtype));
  const [bm, em, elm, nam, sam] = ['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask'].map((m) => attr.int(node, m, 0)) as [number, number, number, number, number];
  const rank = x.shape.length;
  const consuming = Array.from({ length: specLength }, (_, i) => !bit(elm, i) && !bit(nam, i)).filter(Boolean).length;
  const hasEllipsis = Array.from({ length: specLength }, (_, i) => bit(elm, i)).some(Boolean);
  // Output dims in order: kept input dims (with their slice), new axes (1), shrunk dims dropped.
  const outs: { slice: DimSlice; inputAxis: number | null }[] = [];
  let axis = 0;
  const full = (a: number) => ({ size: x.shape![a]!, indices: constantValue(x.shape![a]) !== undefined ? Array.from({ length: constantValue(x.shape![a])! }, (_, k) => k) : undefined, shrink: false });
  for (let i = 0; i < specLength; i++) {
    if (bit(elm, i)) {
      for (const stop = axis + rank - consuming; axis < stop; axis++) outs.push({ slice: full(axis), inputAxis: axis });
    } else if (bit(nam, i)) {
      outs.push({ slice: { size: constant(1), indices: [0], shrink: false }, inputAxis: null });
    } else {
      if (axis >= rank) return one(unknownFacts(dtype));
      const dim = x.shape[axis]!, b = begin?.[i] ?? null, e = end?.[i] ?? null;
      if (bit(sam, i)) {
        const k = constantValue(b);
        const d = constantValue(dim);
        const index = k === undefined ? undefined : k < 0 ? (d === undefined ? undefined : k + d) : k;
        outs.push({ slice: { size: constant(1), indices: index === undefined ? undefined : [index], shrink: true }, inputAxis: axis });
      } else {
        outs.push({ slice: sliceDim(dim, b, e, strides[i]!, bit(bm, i), bit(em, i)), inputAxis: axis });
      }
      axis++;
    }
  }
  if (!hasEllipsis) for (; axis < rank; axis++) outs.push({ slice: full(axis), inputAxis: axis });
  const kept = outs.filter((o) => !o.slice.shrink);
  const shape = kept.map((o) => o.slice.size);
  const values = x.values && outs.every((o) => o.slice.indices) ? mapValues(shape, (ix) => {
    const src = new Array<number>(rank).fill(0);
    let k = 0;
    for (const o of outs) {
      const at = o.slice.shrink ? 0 : ix[k++]!;
      if (o.inputAxis !== null) src[o.inputAxis] = o.slice.indices![at]!;
    }
    return valueAt(x, src);
  }) : undefined;
  return one(withValues(dtype, shape, values));
};

/** Slice(x, begin, size): a size of -1 takes the rest of the dim. */
const sliceRule: ShapeRule = ({ inputs, dtype }) => {
  const x = inputs[0]!;
  const begin = inputs[1]!.values, size = inputs[2]!.values;
  if (x.shape === null) return one(unknownFacts(dtype));
  if (!begin || !size || size.length !== x.shape.length) return one({ dtype, shape: x.shape.map(() => null) });
  const shape = size.map((s, i) => (constantValue(s) === -1 ? (x.shape![i] && begin[i] ? sub(x.shape![i]!, begin[i]!) : null) : s));
  const offsets = concreteDims(begin);
  const values = offsets ? mapValues(shape, (ix) => valueAt(x, ix.map((v, i) => v + offsets[i]!))) : undefined;
  return one(withValues(dtype, shape, values));
};

/** GatherV2(params, indices, axis) with batch_dims: params[:axis] + indices[batch_dims:] + params[axis+1:]. */
const gatherRule: ShapeRule = ({ node, inputs, dtype }) => {
  const [params, indices] = inputs as [TensorFacts, TensorFacts];
  const axisValue = inputs[2] ? intList(inputs[2]) : [0];
  if (params.shape === null || indices.shape === null || !axisValue) return one(unknownFacts(dtype));
  const axis = normalizeAxis(axisValue[0]!, params.shape.length);
  const batchDims = attr.int(node, 'batch_dims', 0);
  if (axis === undefined) return one(unknownFacts(dtype));
  const shape = [...params.shape.slice(0, axis), ...indices.shape.slice(batchDims < 0 ? batchDims + indices.shape.length : batchDims), ...params.shape.slice(axis + 1)];
  const picks = concreteDims(indices.values ?? null);
  const ir = indices.shape.length;
  const values = batchDims === 0 && picks ? mapValues(shape, (ix) => {
    const flat = ix.slice(axis, axis + ir).reduce((acc, v, k) => acc * (concreteDims(indices.shape)![k] ?? 1) + v, 0);
    const p = picks[flat]!;
    const d = constantValue(params.shape![axis]);
    return valueAt(params, [...ix.slice(0, axis), p < 0 && d !== undefined ? p + d : p, ...ix.slice(axis + ir)]);
  }) : undefined;
  return one(withValues(dtype, shape, values));
};

/** GatherNd(params, indices[..., q]): indices' leading dims then params' dims after the first q. */
const gatherNdRule: ShapeRule = ({ inputs, dtype }) => {
  const [params, indices] = inputs as [TensorFacts, TensorFacts];
  if (params.shape === null || indices.shape === null || indices.shape.length === 0) return one(unknownFacts(dtype));
  const q = constantValue(indices.shape[indices.shape.length - 1]);
  if (q === undefined) return one(unknownFacts(dtype));
  return one({ dtype, shape: [...indices.shape.slice(0, -1), ...params.shape.slice(q)] });
};

export const SLICE_RULES: Readonly<Record<string, ShapeRule>> = {
  StridedSlice: stridedSliceRule,
  Slice: sliceRule,
  GatherV2: gatherRule,
  Gather: gatherRule,
  GatherNd: gatherNdRule,
};
