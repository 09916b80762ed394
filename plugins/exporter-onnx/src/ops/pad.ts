import { attr } from '@modelport/core';
import { UnsupportedVariant, type ConversionContext, type OnnxOpTable } from '../converter.js';
import { cast, concat, reshapeTo, sliceConst, toInt64, transpose } from '../emit-ops.js';
import { onnxAttr } from '../onnx-model.js';
import type { Value } from '../value.js';

const END = 2 ** 62;

/** TF paddings [rank, 2] as ONNX pads [begins…, ends…]: reordered now when known, by nodes otherwise. */
function onnxPads(ctx: ConversionContext, paddings: Value): { pads: Value; known?: readonly number[] } {
  const e = ctx.emit;
  if (paddings.known) {
    const p = paddings.known;
    const r = p.length / 2;
    const known = [...Array.from({ length: r }, (_, i) => p[2 * i]!), ...Array.from({ length: r }, (_, i) => p[2 * i + 1]!)];
    return { pads: e.int64s(known), known };
  }
  const t = transpose(e, toInt64(e, paddings), [1, 0]);
  return { pads: reshapeTo(e, t, [-1]) };
}

function paddedShape(x: Value, known?: readonly number[]): readonly number[] | null {
  if (x.shape === null) return null;
  const r = x.shape.length;
  return x.shape.map((d, i) => (d >= 0 && known ? d + known[i]! + known[r + i]! : -1));
}

function pad(ctx: ConversionContext, withValue: boolean): Value {
  const x = ctx.input(0);
  const { pads, known } = onnxPads(ctx, ctx.input(1));
  if (known?.every((p) => p === 0)) return x;
  const value = withValue ? cast(ctx.emit, ctx.input(2), x.dtype) : undefined;
  return ctx.emit.op('Pad', [x, pads, ...(value ? [value] : [])], { mode: onnxAttr.string('constant') }, { dtype: x.dtype, shape: paddedShape(x, known) });
}

/** TF's REFLECT is ONNX's reflect; SYMMETRIC (the edge repeated) is built from reversed slices. */
function mirrorPad(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  const mode = attr.string(ctx.node, 'mode', 'REFLECT');
  const { pads, known } = onnxPads(ctx, ctx.input(1));
  if (mode === 'REFLECT') return ctx.emit.op('Pad', [x, pads], { mode: onnxAttr.string('reflect') }, { dtype: x.dtype, shape: paddedShape(x, known) });
  if (mode !== 'SYMMETRIC') throw ctx.fail(`MirrorPad mode "${mode}" is not REFLECT or SYMMETRIC`);
  if (!known) throw new UnsupportedVariant('SYMMETRIC MirrorPad with paddings unknown at export time');
  const r = known.length / 2;
  let y = x;
  for (let axis = 0; axis < r; axis++) {
    const [before, after] = [known[axis]!, known[r + axis]!];
    if (!before && !after) continue;
    const parts: Value[] = [];
    if (before) parts.push(sliceConst(ctx.emit, y, [before - 1], [-END], [axis], [-1]));
    parts.push(y);
    if (after) parts.push(sliceConst(ctx.emit, y, [-1], [-after - 1], [axis], [-1]));
    y = concat(ctx.emit, parts, axis);
  }
  return y;
}

export const padOps: OnnxOpTable = {
  Pad: (ctx) => pad(ctx, false),
  PadV2: (ctx) => pad(ctx, true),
  MirrorPad: mirrorPad,
};
