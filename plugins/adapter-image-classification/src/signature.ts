import { ModelportError, type Signature } from '@modelport/core';

export function signatureOf(signatures: Readonly<Record<string, Signature>>, key: string): Signature {
  const sig = signatures[key];
  if (!sig) throw new ModelportError(`the model has no signature "${key}" (it has ${Object.keys(signatures).join(', ')})`);
  return sig;
}
