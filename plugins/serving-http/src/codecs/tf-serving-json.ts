import { DEFAULT_SIGNATURE, type Signature, type TensorData } from '@modelport/core';
import { ServingError } from '../errors.js';
import { checkInputNames, checkInputs, signatureOf } from '../signature-check.js';
import { bytesToB64, bytesToText, isB64Value, jsonFromTensor } from './json-values.js';
import { decodeTensor } from './decode-tensor.js';
import { MAX_NESTING, nestValues } from './nested.js';
import { TensorBudget, type TensorLimits } from './tensor-budget.js';
import { hasOwnKey, ownValue } from '../own.js';

/** The body of `POST /v1/models/…:predict` (already checked against PREDICT_BODY_SCHEMA). */
export interface PredictBody {
  readonly signature_name?: string;
  readonly instances?: unknown[];
  readonly inputs?: unknown;
}

export interface DecodedPredict {
  readonly signatureName: string;
  readonly format: 'row' | 'columnar';
  readonly inputs: Record<string, TensorData>;
}

const isNamedObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isB64Value(v);

function tensorOf(spec: Signature['inputs'][string], name: string, value: unknown, budget: TensorBudget): TensorData {
  return decodeTensor(value, String(spec.dtype), `input "${name}"`, budget, { maxRank: spec.shape?.length ?? MAX_NESTING });
}

/**
 * Row format: `instances` is a list, one entry per example; an entry is the value of the only
 * input, or an object keyed by input name. Each input is the stack of its entries (batch first).
 */
function decodeRows(instances: unknown[], sig: Signature, budget: TensorBudget): Record<string, TensorData> {
  if (instances.length === 0) throw new ServingError('INVALID_ARGUMENT', '"instances" is empty');
  const names = Object.keys(sig.inputs);
  const named = instances.every(isNamedObject);
  if (!named) {
    if (instances.some(isNamedObject)) throw new ServingError('INVALID_ARGUMENT', 'instances mix objects keyed by input name with bare values');
    if (names.length !== 1) {
      throw new ServingError('INVALID_ARGUMENT', `the signature has ${names.length} inputs (${names.join(', ')}): each instance must be an object keyed by input name`);
    }
    return { [names[0]!]: tensorOf(sig.inputs[names[0]!]!, names[0]!, instances, budget) };
  }
  const keys = Object.keys(instances[0] as object).sort();
  instances.forEach((inst, i) => {
    const k = Object.keys(inst as object).sort();
    if (k.join('\0') !== keys.join('\0')) {
      throw new ServingError('INVALID_ARGUMENT', `instance ${i} has inputs ${k.join(', ')}, instance 0 has ${keys.join(', ')}: every instance names the same inputs`);
    }
  });
  checkInputNames(keys, sig);
  return Object.fromEntries(keys.map((name) => [name, tensorOf(ownValue(sig.inputs, name)!, name, instances.map((inst) => (inst as Record<string, unknown>)[name]), budget)]));
}

/** Columnar format: `inputs` is the value of the only input, or an object keyed by input name; no batch axis is implied. */
function decodeColumns(inputs: unknown, sig: Signature, budget: TensorBudget): Record<string, TensorData> {
  const names = Object.keys(sig.inputs);
  if (!isNamedObject(inputs)) {
    if (names.length !== 1) throw new ServingError('INVALID_ARGUMENT', `the signature has ${names.length} inputs (${names.join(', ')}): "inputs" must be an object keyed by input name`);
    return { [names[0]!]: tensorOf(sig.inputs[names[0]!]!, names[0]!, inputs, budget) };
  }
  checkInputNames(Object.keys(inputs), sig);
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, tensorOf(ownValue(sig.inputs, name)!, name, value, budget)]));
}

export function decodePredictRequest(body: PredictBody, signatures: Readonly<Record<string, Signature>>, limits: TensorLimits): DecodedPredict {
  const hasRows = body.instances !== undefined;
  const hasColumns = body.inputs !== undefined;
  if (hasRows === hasColumns) {
    throw new ServingError('INVALID_ARGUMENT', 'the request must have either "instances" (row format) or "inputs" (columnar format), not both or neither');
  }
  const signatureName = body.signature_name || DEFAULT_SIGNATURE;
  const sig = signatureOf(signatures, signatureName);
  const budget = new TensorBudget(limits);
  const inputs = hasRows ? decodeRows(body.instances!, sig, budget) : decodeColumns(body.inputs, sig, budget);
  checkInputs(sig, signatureName, inputs);
  return { signatureName, format: hasRows ? 'row' : 'columnar', inputs };
}

// TF Serving's rule: string outputs whose name ends in "_bytes" are binary and go out as {"b64": …}.
function jsonOf(name: string, t: TensorData): unknown[] {
  return jsonFromTensor(t, name.endsWith('_bytes') ? bytesToB64 : bytesToText);
}

/** The outputs in the signature's order (a runtime may return them in any). */
function ordered(outputs: Readonly<Record<string, TensorData>>, sig: Signature): [string, TensorData][] {
  const known = Object.keys(sig.outputs).filter((k) => hasOwnKey(outputs, k));
  const extra = Object.keys(outputs).filter((k) => !hasOwnKey(sig.outputs, k));
  return [...known, ...extra].map((k) => [k, outputs[k]!]);
}

/** `{"predictions": […]}`: one entry per example, the value of the only output or an object by output name. */
export function encodeRows(outputs: Readonly<Record<string, TensorData>>, sig: Signature): { predictions: unknown[] } {
  const entries = ordered(outputs, sig);
  const batch = entries[0]?.[1].shape[0];
  for (const [name, t] of entries) {
    if (t.shape.length === 0 || t.shape[0] !== batch) {
      throw new ServingError('INVALID_ARGUMENT', `output "${name}" has shape [${t.shape.join(', ')}], which has no batch dimension of size ${batch}: ask in columnar format ("inputs") instead`);
    }
  }
  const rows = entries.map(([name, t]) => {
    const values = jsonOf(name, t);
    const inner = t.shape.slice(1);
    const stride = inner.reduce((a, b) => a * b, 1);
    return Array.from({ length: batch ?? 0 }, (_, i) => nestValues(values, inner, i * stride));
  });
  const predictions = Array.from({ length: batch ?? 0 }, (_, i) => (entries.length === 1
    ? rows[0]![i]
    : Object.fromEntries(entries.map(([name], j) => [name, rows[j]![i]]))));
  return { predictions };
}

/** `{"outputs": …}`: the only output's value, or an object by output name. */
export function encodeColumns(outputs: Readonly<Record<string, TensorData>>, sig: Signature): { outputs: unknown } {
  const entries = ordered(outputs, sig).map(([name, t]) => [name, nestValues(jsonOf(name, t), t.shape)] as const);
  return { outputs: entries.length === 1 ? entries[0]![1] : Object.fromEntries(entries) };
}
