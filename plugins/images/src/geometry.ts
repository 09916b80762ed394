import { ModelportError, type SignatureTensor } from '@modelport/core';
import type { ImageGeometry } from './preprocessing.js';

/** The one tensor of a signature side named `wanted`, or its only one; `what` is "input" or "output". */
export function pickTensor(side: Readonly<Record<string, SignatureTensor>>, wanted: string | undefined, what: string): [string, SignatureTensor] {
  const names = Object.keys(side);
  const name = wanted ?? (names.length === 1 ? names[0] : undefined);
  if (!name || !side[name]) {
    throw new ModelportError(wanted
      ? `the model has no ${what} "${wanted}" (it has ${names.join(', ')})`
      : `the model has ${names.length} ${what}s (${names.join(', ')}): name the one to use in the adapter options`);
  }
  return [name, side[name]!];
}

/** Height, width and channels images are resized to: options first, else the input's static NHWC shape. */
export function imageGeometry(input: SignatureTensor, size: readonly number[] | undefined, channels: 1 | 3 | undefined): ImageGeometry {
  const shape = input.shape;
  const height = size?.[0] ?? (shape && shape.length === 4 && shape[1]! > 0 ? shape[1] : undefined);
  const width = size?.[1] ?? (shape && shape.length === 4 && shape[2]! > 0 ? shape[2] : undefined);
  const c = channels ?? (shape && shape.length === 4 && (shape[3] === 1 || shape[3] === 3) ? shape[3] : 3);
  if (!height || !width) throw new ModelportError('the model\'s image input has no fixed height and width: set "size": [height, width] in the adapter options');
  return { height, width, channels: c as 1 | 3 };
}
