import { dtypeFromTf, ModelLoadError, normalizeTensorRef, parseTensorRef, shapeFromTfjsJson, type Signature, type SignatureTensor } from '@modelport/core';
import type { SignatureDefObject } from './saved-model-object.js';

/** SignatureDefs TensorFlow adds for itself (the TF2 init op), not for callers. */
const isInternalSignature = (key: string) => key.startsWith('__saved_model');

/**
 * The MetaGraphDef's SignatureDefs as IR signatures: TensorInfo "x:0" → TensorRef, dtypes by IR
 * name, shapes with -1 kept. Every tensor must name a node of the graph.
 */
export function signaturesFromDefs(defs: Readonly<Record<string, SignatureDefObject>>, nodeNames: ReadonlySet<string>, file: string): Record<string, Signature> {
  const signatures: Record<string, Signature> = {};
  for (const [key, def] of Object.entries(defs)) {
    if (isInternalSignature(key)) continue;
    const side = (tensors: SignatureDefObject['inputs'], kind: string): Record<string, SignatureTensor> =>
      Object.fromEntries(Object.entries(tensors ?? {}).map(([name, info]) => {
        if (!info.name) throw new ModelLoadError(`signature "${key}" ${kind} "${name}" is not a dense tensor (sparse and composite tensors are not read)`, { file });
        const ref = normalizeTensorRef(info.name);
        if (!nodeNames.has(parseTensorRef(ref).node)) {
          throw new ModelLoadError(`signature "${key}" ${kind} "${name}" names tensor "${info.name}", but the graph has no node "${parseTensorRef(ref).node}"`, { file });
        }
        return [name, { name: ref, dtype: dtypeFromTf(info.dtype ?? 'DT_INVALID'), shape: shapeFromTfjsJson(info.tensorShape ?? { unknownRank: true }) }];
      }));
    signatures[key] = { inputs: side(def.inputs, 'input'), outputs: side(def.outputs, 'output'), ...(def.methodName ? { methodName: def.methodName } : {}) };
  }
  return signatures;
}
