import {
  concreteShape, frozenInputTensor, randomTensor, seededRandom, sizeOfShape, type DType, type Shape, type Signature, type TensorData,
} from '@modelport/core';

/** The size an image input with open height and width is fed: a camera frame, not a thumbnail, so that resizing stages do real work. */
export const IMAGE_SIZE = Object.freeze({ height: 240, width: 320 });

const CHANNELS = new Set([1, 3, 4]);

/** [b, -1, -1, c] with c 1, 3 or 4: an image of any size. */
function isOpenImage(shape: Shape): boolean {
  return shape !== null && shape.length === 4 && shape[1]! < 0 && shape[2]! < 0 && CHANNELS.has(shape[3]!);
}

/** The shape an input is fed: open image dims get IMAGE_SIZE, other open dims `fillUnknownDims`, an open batch 1. */
export function feedShape(shape: Shape, fillUnknownDims: number): number[] {
  if (isOpenImage(shape)) return [shape![0]! < 0 ? 1 : shape![0]!, IMAGE_SIZE.height, IMAGE_SIZE.width, shape![3]!];
  return concreteShape(shape, fillUnknownDims);
}

/**
 * A seeded random input of `dtype`: uint8 and int8 over their whole range (pixels), other types as
 * randomTensor draws them (floats in [0, 1), int32 in [0, 10) so that indices stay in range).
 */
export function randomInput(dtype: DType, shape: readonly number[], random: () => number): TensorData {
  if (dtype !== 'uint8' && dtype !== 'int8') return randomTensor(dtype, shape, random);
  const size = sizeOfShape(shape);
  const data = dtype === 'uint8' ? new Uint8Array(size) : new Int8Array(size);
  const low = dtype === 'uint8' ? 0 : -128;
  for (let i = 0; i < size; i++) data[i] = low + Math.floor(random() * 256);
  return { dtype, shape, data };
}

/**
 * The validation inputs of one signature by its input keys (seeded, so runs repeat), and the
 * values of inputs frozen at export, which only the reference is fed.
 */
export function signatureInputs(signature: Signature, seed: number, fillUnknownDims: number): { inputs: Record<string, TensorData>; frozen: Record<string, TensorData> } {
  const random = seededRandom(seed);
  const inputs: Record<string, TensorData> = {};
  for (const [key, spec] of Object.entries(signature.inputs)) inputs[key] = randomInput(spec.dtype as DType, feedShape(spec.shape, fillUnknownDims), random);
  const frozen = Object.fromEntries(Object.entries(signature.frozenInputs ?? {}).map(([k, f]) => [k, frozenInputTensor(f)]));
  return { inputs, frozen };
}
