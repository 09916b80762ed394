import { DEFAULT_SIGNATURE, type Shape, type Signature, type SignatureTensor, type TensorData } from '@modelport/core';
import { ServingError } from './errors.js';
import { hasOwnKey, ownValue } from './own.js';

/** Whether `actual` fits a declared shape: same rank when known, equal where a dimension is fixed. */
export function shapeFits(declared: Shape, actual: readonly number[]): boolean {
  if (declared === null) return true;
  return declared.length === actual.length && declared.every((d, i) => d < 0 || d === actual[i]);
}

export function describeShape(shape: Shape): string {
  return shape === null ? '(unknown rank)' : `[${shape.map((d) => (d < 0 ? '?' : d)).join(', ')}]`;
}

/** serving_default, or the only signature when a model has one under another name (v2 has no signature names). */
export function defaultSignatureName(signatures: Readonly<Record<string, Signature>>): string {
  const keys = Object.keys(signatures);
  return keys.length === 1 && !hasOwnKey(signatures, DEFAULT_SIGNATURE) ? keys[0]! : DEFAULT_SIGNATURE;
}

/** The signature with that name, or a 400 that lists those the model has. */
export function signatureOf(signatures: Readonly<Record<string, Signature>>, name: string): Signature {
  const sig = ownValue(signatures, name);
  if (!sig) {
    throw new ServingError('INVALID_ARGUMENT', `Serving signature name: "${name}" not found in signature def; the model has ${Object.keys(signatures).map((k) => `"${k}"`).join(', ')}`);
  }
  return sig;
}

/** Refuses names that are not inputs of the signature and inputs that are missing, all in one message. */
export function checkInputNames(names: readonly string[], signature: Signature): void {
  const unknown = names.filter((n) => !hasOwnKey(signature.inputs, n));
  const missing = Object.keys(signature.inputs).filter((n) => !names.includes(n));
  const problems = [
    ...unknown.map((n) => `"${n}" is not an input of the signature`),
    ...missing.map((n) => `input "${n}" is missing`),
  ];
  if (problems.length) throw new ServingError('INVALID_ARGUMENT', `${problems.join('; ')} (the signature's inputs: ${Object.keys(signature.inputs).join(', ')})`);
}

/**
 * Checks a request's tensors against a signature before the runtime sees them, listing every
 * problem: missing and unknown inputs, wrong types, shapes that do not fit.
 */
export function checkInputs(signature: Signature, signatureName: string, inputs: Readonly<Record<string, TensorData>>): void {
  const problems: string[] = [];
  for (const name of Object.keys(signature.inputs)) if (!hasOwnKey(inputs, name)) problems.push(`input "${name}" is missing`);
  for (const [name, t] of Object.entries(inputs)) {
    const spec: SignatureTensor | undefined = ownValue(signature.inputs, name);
    if (!spec) {
      problems.push(`"${name}" is not an input of signature "${signatureName}" (inputs: ${Object.keys(signature.inputs).join(', ')})`);
      continue;
    }
    if (spec.dtype !== t.dtype) problems.push(`input "${name}" is ${t.dtype}, the signature wants ${spec.dtype}`);
    if (!shapeFits(spec.shape, t.shape)) problems.push(`input "${name}" has shape [${t.shape.join(', ')}], the signature wants ${describeShape(spec.shape)}`);
  }
  if (problems.length) throw new ServingError('INVALID_ARGUMENT', problems.join('; '));
}
