import { dtypeToTf, type Signature, type SignatureTensor } from '@modelport/core';

/** TF Serving's JSON of a TensorInfo: dtype enum name, TensorShapeProto with int64 sizes as strings. */
function tensorInfo(t: SignatureTensor) {
  return {
    dtype: dtypeToTf(String(t.dtype)),
    tensor_shape: t.shape === null
      ? { dim: [], unknown_rank: true }
      : { dim: t.shape.map((d) => ({ size: String(d), name: '' })), unknown_rank: false },
    name: t.name,
  };
}

/** `GET …/metadata`: the signature_def map as TF Serving prints a SignatureDefMap. */
export function signatureDefMetadata(model: string, version: number, signatures: Readonly<Record<string, Signature>>) {
  const defs = Object.fromEntries(Object.entries(signatures).map(([key, sig]) => [key, {
    inputs: Object.fromEntries(Object.entries(sig.inputs).map(([n, t]) => [n, tensorInfo(t)])),
    outputs: Object.fromEntries(Object.entries(sig.outputs).map(([n, t]) => [n, tensorInfo(t)])),
    method_name: sig.methodName ?? 'tensorflow/serving/predict',
  }]));
  return {
    model_spec: { name: model, signature_name: '', version: String(version) },
    metadata: { signature_def: { signature_def: defs } },
  };
}
