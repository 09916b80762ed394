import { concreteShape, sizeOfShape, type Signature } from '@modelport/core';

/**
 * Input values validation generates at most (64 MB of float32), all inputs together. The source and
 * every runtime each hold the inputs and activations several times over, so memory grows with this.
 */
export const MAX_VALIDATION_VALUES = 2 ** 24;

/**
 * Why a signature's inputs are too large to validate (`--input-shape 100000,32,32,3`), or undefined.
 * A pinned batch is fixed in the artifacts, so a smaller batch cannot be fed to them instead.
 */
export function oversizedInputs(signature: Signature, fillUnknownDims: number): string | undefined {
  const sizes = Object.entries(signature.inputs).map(([name, t]) => [name, concreteShape(t.shape, fillUnknownDims)] as const);
  const total = sizes.reduce((n, [, shape]) => n + sizeOfShape(shape), 0);
  if (total <= MAX_VALIDATION_VALUES) return undefined;
  const list = sizes.map(([name, shape]) => `${name} [${shape}]`).join(', ');
  return `validation skipped: the inputs (${list}) hold ${total} values, past the bound of ${MAX_VALIDATION_VALUES} that keeps validation's memory bounded; a pinned batch is fixed in the artifacts, so validate with a smaller --input-shape batch or give --inputs`;
}
