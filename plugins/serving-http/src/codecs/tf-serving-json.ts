import { DEFAULT_SIGNATURE, type Signature, type TensorData } from '@modelport/core';
import { ServingError } from '../errors.js';
import { checkInputNames, checkInputs, signatureOf } from '../signature-check.js';
import { bytesToB64, bytesToText, isB64Value, jsonFromTensor, tensorFromJson } from './json-values.js';
import { flattenNested, nestValues } from './nested.js';

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

function tensorOf(spec: Signature['inputs'][string], name: string, value: unknown, maxElements: number): TensorData {
  const where = `input "${name}"`;
  const { shape, values } = flattenNested(value, where, maxElements);
  return tensorFromJson(String(spec.dtype), shape, values, where);
}

/**
 * Row format: `instances` is a list, one entry per example; an entry is the value of the only
 * input, or an object keyed by input name. Each input is the stack of its entries (batch first).
 */
function decodeRows(instances: unknown[], sig: Signature, maxElements: number): Record<string, TensorData> {
  if (instances.length === 0) throw new ServingError('INVALID_ARGUMENT', '"instances" is empty');
  const names = Object.keys(sig.inputs);
  const named = instances.every(isNamedObject);
  if (!named) {
    if (instances.some(isNamedObject)) throw new ServingError('INVALID_ARGUMENT', 'instances mix objects keyed by input name with bare values');
    if (names.length !== 1) {
      throw new ServingError('INVALID_ARGUMENT', `the signature has ${names.length} inputs (${names.join(', ')}): each instance must be an object keyed by input name`);
    }
    return { [names[0]!]: tensorOf(sig.inputs[names[0]!]!, names[0]!, instances, maxElements) };
  }
  const keys = Object.keys(instances[0] as object).sort();
  instances.forEach((inst, i) => {
    const k = Object.keys(inst as object).sort();
    if (k.join('\0') !== keys.join('\0')) {
      throw new ServingError('INVALID_ARGUMENT', `instance ${i} has inputs ${k.join(', ')}, instance 0 has ${keys.join(', ')}: every instance names the same inputs`);
    }
  });
  checkInputNames(keys, sig);
  return Object.fromEntries(keys.map((name) => [name, tensorOf(sig.inputs[name]!, name, instances.map((inst) => (inst as Record<string, unknown>)[name]), maxElements)]));
}

/** Columnar format: `inputs` is the value of the only input, or an object keyed by input name; no batch axis is implied. */
function decodeColumns(inputs: unknown, sig: Signature, maxElements: number): Record<string, TensorData> {
  const names = Object.keys(sig.inputs);
  if (!isNamedObject(inputs)) {
    if (names.length !== 1) throw new ServingError('INVALID_ARGUMENT', `the signature has ${names.length} inputs (${names.join(', ')}): "inputs" must be an object keyed by input name`);
    return { [names[0]!]: tensorOf(sig.inputs[names[0]!]!, names[0]!, inputs, maxElements) };
  }
  checkInputNames(Object.keys(inputs), sig);
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, tensorOf(sig.inputs[name]!, name, value, maxElements)]));
}

export function decodePredictRequest(body: PredictBody, signatures: Readonly<Record<string, Signature>>, maxElements: number): DecodedPredict {
  const hasRows = body.instances !== undefined;
  const hasColumns = body.inputs !== undefined;
  if (hasRows === hasColumns) {
    throw new ServingError('INVALID_ARGUMENT', 'the request must have either "instances" (row format) or "inputs" (columnar format), not both or neither');
  }
  const signatureName = body.signature_name || DEFAULT_SIGNATURE;
  const sig = signatureOf(signatures, signatureName);
  const inputs = hasRows ? decodeRows(body.instances!, sig, maxElements) : decodeColumns(body.inputs, sig, maxElements);
  checkInputs(sig, signatureName, inputs);
  return { signatureName, format: hasRows ? 'row' : 'columnar', inputs };
}

// TF Serving's rule: string outputs whose name ends in "_bytes" are binary and go out as {"b64": …}.
function jsonOf(name: string, t: TensorData): unknown[] {
  return jsonFromTensor(t, name.endsWith('_bytes') ? bytesToB64 : bytesToText);
}

/** The outputs in the signature's order (a runtime may return them in any). */
function ordered(outputs: Readonly<Record<string, TensorData>>, sig: Signature): [string, TensorData][] {
  const known = Object.keys(sig.outputs).filter((k) => k in outputs);
  const extra = Object.keys(outputs).filter((k) => !(k in sig.outputs));
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
