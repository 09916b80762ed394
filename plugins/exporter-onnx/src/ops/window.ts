import { attr } from '@modelport/core';
import type { ConversionContext } from '../converter.js';
import { onnxAttr, type OnnxAttr } from '../onnx-model.js';
import { samePadding, windowOutput } from '../shapes.js';

/** The windowing attributes of a TF conv or pool (NHWC), translated for ONNX (NCHW). */
export interface Window {
  readonly strides: number[];
  readonly dilations: number[];
  readonly padding: 'SAME' | 'VALID' | 'EXPLICIT';
  /** [before, after] per spatial axis, when explicit or when SAME with static sizes. */
  readonly pads?: [number, number][];
}

/** Reads strides, dilations and padding of an NHWC op with `spatial` spatial axes. */
export function readWindow(ctx: ConversionContext, spatial: number, channelsLast: boolean): Window {
  const pick = (list: readonly number[]) => {
    if (list.length === spatial + 2) return channelsLast ? list.slice(1, 1 + spatial) : list.slice(2);
    if (list.length === spatial) return [...list];
    if (list.length === 1) return new Array<number>(spatial).fill(list[0]!);
    throw ctx.fail(`expected ${spatial + 2} values in a window attribute, got [${list}]`);
  };
  const strides = pick(attr.ints(ctx.node, 'strides', new Array(spatial + 2).fill(1)));
  const dilations = pick(attr.ints(ctx.node, 'dilations', new Array(spatial + 2).fill(1)));
  const padding = attr.string(ctx.node, 'padding', 'VALID') as Window['padding'];
  if (padding !== 'SAME' && padding !== 'VALID' && padding !== 'EXPLICIT') throw ctx.fail(`padding "${padding}" is not SAME, VALID or EXPLICIT`);
  if (padding !== 'EXPLICIT') return { strides, dilations, padding };
  const ex = attr.ints(ctx.node, 'explicit_paddings', []);
  if (ex.length !== 2 * (spatial + 2)) throw ctx.fail(`explicit_paddings needs ${2 * (spatial + 2)} values, has ${ex.length}`);
  const pads: [number, number][] = [];
  for (let i = 0; i < spatial; i++) {
    const axis = channelsLast ? i + 1 : i + 2;
    pads.push([ex[2 * axis]!, ex[2 * axis + 1]!]);
  }
  return { strides, dilations, padding, pads };
}

/**
 * ONNX attributes of the window: explicit pads where the sizes are known (portable across
 * runtimes), auto_pad SAME_UPPER (TensorFlow's SAME: the odd pixel at the end) otherwise.
 */
export function windowAttrs(w: Window, spatialSizes: readonly number[], kernel: readonly number[]): Record<string, OnnxAttr> {
  const attrs: Record<string, OnnxAttr> = { strides: onnxAttr.ints(w.strides) };
  if (w.dilations.some((d) => d !== 1)) attrs.dilations = onnxAttr.ints(w.dilations);
  let pads = w.pads;
  if (w.padding === 'SAME') {
    if (spatialSizes.every((s) => s >= 0)) pads = spatialSizes.map((s, i) => samePadding(s, kernel[i]!, w.strides[i]!, w.dilations[i]!));
    else attrs.auto_pad = onnxAttr.string('SAME_UPPER');
  }
  if (pads && pads.some(([a, b]) => a || b)) attrs.pads = onnxAttr.ints([...pads.map((p) => p[0]), ...pads.map((p) => p[1])]);
  return attrs;
}

/** Output spatial sizes of the window over inputs of `sizes`. */
export function windowOutputSizes(w: Window, sizes: readonly number[], kernel: readonly number[]): number[] {
  return sizes.map((s, i) => windowOutput(s, kernel[i]!, w.strides[i]!, w.dilations[i]!, w.padding, w.pads?.[i]?.[0], w.pads?.[i]?.[1]));
}
