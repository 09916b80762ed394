import type { ModuleContext } from '@modelport/core';
import type { ImageModuleOptions } from './options.js';

/** The model input the image feeds and the geometry it wants. */
export interface ModelImageInput {
  readonly key: string;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
}

/** Picks the model input and its size and channels from the options, else from its static NHWC shape. */
export function modelImageInput(ctx: ModuleContext, o: ImageModuleOptions): ModelImageInput {
  const keys = Object.keys(ctx.model.inputs);
  const key = o.input ?? (keys.length === 1 ? keys[0]! : ctx.fail(`the model has ${keys.length} inputs (${keys.join(', ')}): name the image one`, 'input'));
  const spec = ctx.model.inputs[key] ?? ctx.fail(`the model has no input "${key}"; it has ${keys.map((k) => `"${k}"`).join(', ')}`, 'input');
  const shape = spec.shape ?? ctx.fail(`model input "${key}" has no known shape: an image input is 4-D [batch, height, width, channels]`, 'input');
  if (shape.length !== 4) ctx.fail(`model input "${key}" has shape [${shape.join(', ')}]: an image input is 4-D [batch, height, width, channels]`, 'input');
  const [, h, w, c] = shape as [number, number, number, number];
  const [height, width] = o.size ?? (h > 0 && w > 0 ? [h, w] : ctx.fail(`model input "${key}" has no static height and width ([${shape.join(', ')}]): give size [height, width]`, 'size'));
  if ((h > 0 && h !== height) || (w > 0 && w !== width)) ctx.fail(`size is [${height}, ${width}] but model input "${key}" takes [${h}, ${w}]`, 'size');
  const channels = o.channels ?? (c === 1 || c === 3 ? c : ctx.fail(`model input "${key}" has ${c} channels ([${shape.join(', ')}]): give channels 1 or 3`, 'channels'));
  if (c > 0 && c !== channels) ctx.fail(`channels is ${channels} but model input "${key}" takes ${c}`, 'channels');
  for (const option of ['mean', 'std'] as const) {
    const v = o[option];
    if (v && v.length !== 1 && v.length !== channels) ctx.fail(`${option} has ${v.length} values: give ${channels === 1 ? 'one' : `1 or ${channels} (one per channel)`}`, option);
  }
  return { key, height, width, channels };
}
