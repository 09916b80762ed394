import { attr } from '@modelport/core';
import type { ConversionContext, OnnxOpTable } from '../converter.js';
import { transpose } from '../emit-ops.js';
import { broadcastShapes } from '../shapes.js';
import { transposeData } from '../tensor-math.js';
import type { Value } from '../value.js';
import { permuteStoredWeight } from '../quantize/stored-weights.js';
import { dynamicMatMul, int8Gemm } from '../quantize/matmul-forms.js';
import { applyActivation, applyBias, readFusedOps, type FusedOps } from './fused.js';

/** Swaps the last two axes: at export time for weights, by a Transpose node otherwise. */
function swapLastAxes(ctx: ConversionContext, v: Value): Value {
  const rank = v.shape?.length;
  if (rank === undefined || rank < 2) throw ctx.fail(`cannot transpose the matrix axes of a tensor of shape [${v.shape ?? '?'}]`);
  const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  const stored = permuteStoredWeight(ctx.emit, v, perm);
  if (stored) return stored;
  const t = ctx.emit.tensorOf(v);
  if (t && t.dtype !== 'string') return ctx.emit.constant(t.dtype, perm.map((p) => t.dims[p]!), transposeData(t.data as Float32Array, t.dims, perm), `${t.name}/T`);
  return transpose(ctx.emit, v, perm);
}

function matmulShape(ctx: ConversionContext, a: Value, b: Value): readonly number[] | null {
  if (a.shape === null || b.shape === null) return null;
  if (a.shape.length < 2 || b.shape.length < 2) throw ctx.fail(`MatMul needs matrices, has [${a.shape}] and [${b.shape}]`);
  const [m, k1] = a.shape.slice(-2) as [number, number];
  const [k2, n] = b.shape.slice(-2) as [number, number];
  if (k1 >= 0 && k2 >= 0 && k1 !== k2) throw ctx.fail(`inner dimensions differ: [${a.shape}] × [${b.shape}]`);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (batch === undefined) throw ctx.fail(`batch dimensions of [${a.shape}] and [${b.shape}] do not broadcast`);
  return batch === null ? null : [...batch, m, n];
}

function matmul(ctx: ConversionContext, transA: string, transB: string, fused: FusedOps): Value {
  let a = ctx.input(0), b = ctx.input(1);
  if (attr.bool(ctx.node, transA, false)) a = swapLastAxes(ctx, a);
  if (attr.bool(ctx.node, transB, false)) b = swapLastAxes(ctx, b);
  const shape = matmulShape(ctx, a, b);
  const gemm = ctx.node.quantized === 'int8' ? int8Gemm(ctx.emit, a, b, fused.bias, shape) : undefined;
  if (gemm) return applyActivation(ctx, gemm, fused);
  const y = (ctx.node.quantized ? undefined : dynamicMatMul(ctx.emit, a, b, shape)) ?? ctx.emit.op('MatMul', [a, b], {}, { dtype: a.dtype, shape });
  return applyActivation(ctx, applyBias(ctx, y, fused), fused);
}

export const matmulOps: OnnxOpTable = {
  MatMul: (ctx) => matmul(ctx, 'transpose_a', 'transpose_b', { leakyAlpha: 0.2 }),
  _FusedMatMul: (ctx) => matmul(ctx, 'transpose_a', 'transpose_b', readFusedOps(ctx, 2)),
  BatchMatMul: (ctx) => matmul(ctx, 'adj_x', 'adj_y', { leakyAlpha: 0.2 }),
  BatchMatMulV2: (ctx) => matmul(ctx, 'adj_x', 'adj_y', { leakyAlpha: 0.2 }),
  BatchMatMulV3: (ctx) => matmul(ctx, 'adj_x', 'adj_y', { leakyAlpha: 0.2 }),
};
