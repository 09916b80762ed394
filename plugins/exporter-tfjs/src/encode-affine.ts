import { asUint8, quantizeValues, type ConstantTensor, type EncodedWeight } from '@modelport/core';
import type { TfjsStorage } from './weight-storage.js';

/**
 * A weight in tfjs's affine storage, which tfjs reads back as q × scale + min (min = −zeroPoint ×
 * scale). Levels are those of the tfjs converter, round((v − min) / scale) clamped; an int8 weight
 * keeps exactly the integers every other target stores (quantizeValues), shifted by 128.
 */
export function encodeAffineWeight(name: string, value: ConstantTensor, storage: Extract<TfjsStorage, { kind: 'affine' }>): EncodedWeight {
  const { dtype, scale, zeroPoint } = storage;
  const values = value.values as Float32Array;
  const min = -zeroPoint * scale + 0; // + 0: min 0, not −0
  let levels: Uint8Array | Uint16Array;
  if (storage.int8) {
    levels = quantizeValues(values, value.shape, asUint8(storage.int8)) as Uint8Array;
  } else {
    const top = dtype === 'uint8' ? 255 : 65535;
    levels = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) levels[i] = Math.min(top, Math.max(0, Math.round((values[i]! - min) / scale)));
  }
  return {
    spec: { name, shape: [...value.shape], dtype: value.dtype, quantization: { dtype, scale, min } },
    bytes: new Uint8Array(levels.buffer, levels.byteOffset, levels.byteLength),
  };
}
