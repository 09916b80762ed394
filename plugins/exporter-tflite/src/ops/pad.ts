import { attr } from '@modelport/core';
import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { MirrorPadMode } from '../schema/enums.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';

function paddings(c: TfliteConversion): TfliteTensor {
  return c.intArgument(1, 'paddings');
}

/** PadV2 with a zero constant is a plain PAD (XNNPACK runs PAD, not PADV2). */
const padV2: TfliteOpConverter = (c) => {
  const value = c.value(2);
  if (value && value.length === 1 && Number(value[0]) === 0) return c.emit('PAD', [c.input(0), paddings(c)]);
  return c.emit('PADV2', [c.input(0), paddings(c), c.input(2)]);
};

const mirrorPad: TfliteOpConverter = (c) => {
  const mode = attr.string(c.node, 'mode', 'REFLECT');
  if (mode !== 'REFLECT' && mode !== 'SYMMETRIC') c.refuse(`mode ${mode}`);
  return c.emit('MIRROR_PAD', [c.input(0), paddings(c)], options('MirrorPadOptions', { mode: MirrorPadMode[mode as keyof typeof MirrorPadMode] }));
};

export const padOps: TfliteOpTable = {
  Pad: (c) => c.emit('PAD', [c.input(0), paddings(c)]),
  PadV2: padV2,
  MirrorPad: mirrorPad,
};
