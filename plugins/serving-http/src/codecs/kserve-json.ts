import type { Signature, SignatureTensor, TensorData } from '@modelport/core';
import { ServingError } from '../errors.js';
import { checkInputNames, checkInputs } from '../signature-check.js';
import { decodeTensor } from './decode-tensor.js';
import { bytesToText, jsonFromTensor } from './json-values.js';
import { TensorBudget, type TensorLimits } from './tensor-budget.js';
import { hasOwnKey, ownValue } from '../own.js';

/** Open Inference Protocol v2 tensor types and the IR types they carry. */
const DATATYPE_TO_DTYPE: Readonly<Record<string, string>> = Object.freeze({
  BOOL: 'bool', UINT8: 'uint8', UINT16: 'uint16', UINT32: 'uint32', INT8: 'int8', INT16: 'int16',
  INT32: 'int32', INT64: 'int64', FP16: 'float16', FP32: 'float32', FP64: 'float64', BYTES: 'string',
});
const DTYPE_TO_DATATYPE: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(DATATYPE_TO_DTYPE).map(([k, v]) => [v, k])));

/** 'float32' → 'FP32'; a type the protocol lacks keeps its own name. */
export function datatypeOf(dtype: string): string {
  return ownValue(DTYPE_TO_DATATYPE, dtype) ?? dtype.toUpperCase();
}

export interface InferInput {
  readonly name: string;
  readonly shape: number[];
  readonly datatype: string;
  readonly data: unknown;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** The body of `POST /v2/models/…/infer` (already checked against INFER_BODY_SCHEMA). */
export interface InferBody {
  readonly id?: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly inputs: readonly InferInput[];
  readonly outputs?: readonly { readonly name: string; readonly parameters?: Readonly<Record<string, unknown>> }[];
}

export interface DecodedInfer {
  readonly inputs: Record<string, TensorData>;
  /** Outputs the client asked for; all when absent. */
  readonly requested?: readonly string[];
}

function decodeInput(input: InferInput, spec: SignatureTensor, budget: TensorBudget): TensorData {
  const where = `input "${input.name}"`;
  const want = datatypeOf(String(spec.dtype));
  if (input.datatype !== want) throw new ServingError('INVALID_ARGUMENT', `${where} has datatype ${input.datatype}, the model expects ${want}`);
  // MLServer's convention for binary BYTES in JSON: parameters.content_type "base64".
  const base64 = input.datatype === 'BYTES' && input.parameters?.content_type === 'base64';
  return decodeTensor(input.data, String(spec.dtype), where, budget, {
    // Flat data or nested as the declared shape, never deeper.
    maxRank: Math.max(1, input.shape.length),
    shape: input.shape,
    ...(base64 ? { leaf: (v: unknown) => (typeof v === 'string' ? { b64: v } : v) } : {}),
  });
}

export function decodeInferRequest(body: InferBody, sig: Signature, signatureName: string, limits: TensorLimits): DecodedInfer {
  const names = body.inputs.map((i) => i.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length) throw new ServingError('INVALID_ARGUMENT', `input "${twice[0]}" is given more than once`);
  checkInputNames(names, sig);
  const budget = new TensorBudget(limits);
  const inputs = Object.fromEntries(body.inputs.map((i) => [i.name, decodeInput(i, ownValue(sig.inputs, i.name)!, budget)]));
  checkInputs(sig, signatureName, inputs);
  const requested = body.outputs?.map((o) => o.name);
  const unknown = requested?.filter((n) => !hasOwnKey(sig.outputs, n)) ?? [];
  if (unknown.length) {
    throw new ServingError('INVALID_ARGUMENT', `unknown output ${unknown.map((n) => `"${n}"`).join(', ')}; the model's outputs: ${Object.keys(sig.outputs).join(', ')}`);
  }
  return { inputs, ...(requested ? { requested } : {}) };
}

export interface InferResponse {
  readonly model_name: string;
  readonly model_version: string;
  readonly id?: string;
  readonly outputs: { name: string; datatype: string; shape: number[]; data: unknown[]; parameters?: Record<string, unknown> }[];
}

export function encodeInferResponse(
  model: string, version: number, id: string | undefined, outputs: Readonly<Record<string, TensorData>>, sig: Signature, requested?: readonly string[],
): InferResponse {
  const order = requested ?? [...Object.keys(sig.outputs).filter((k) => hasOwnKey(outputs, k)), ...Object.keys(outputs).filter((k) => !hasOwnKey(sig.outputs, k))];
  return {
    model_name: model,
    model_version: String(version),
    ...(id !== undefined ? { id } : {}),
    outputs: order.filter((name) => ownValue(outputs, name)).map((name) => {
      const t = ownValue(outputs, name)!;
      // Bytes that are not text go out as base64, flagged as MLServer does.
      const binary = t.dtype === 'string' && (t.data as readonly unknown[]).some((v) => v instanceof Uint8Array && !isUtf8(v));
      const data = binary
        ? (t.data as readonly (string | Uint8Array)[]).map((v) => Buffer.from(v).toString('base64'))
        : jsonFromTensor(t, bytesToText);
      return { name, datatype: datatypeOf(t.dtype), shape: [...t.shape], data, ...(binary ? { parameters: { content_type: 'base64' } } : {}) };
    }),
  };
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A signature's tensors as v2 metadata lists them. */
export function tensorMetadata(tensors: Readonly<Record<string, SignatureTensor>>): { name: string; datatype: string; shape: number[] }[] {
  return Object.entries(tensors).map(([name, t]) => ({ name, datatype: datatypeOf(String(t.dtype)), shape: t.shape === null ? [-1] : [...t.shape] }));
}
