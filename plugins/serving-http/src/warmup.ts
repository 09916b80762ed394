import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  concreteShape, DEFAULT_SIGNATURE, isKnownDType, randomTensor, seededRandom, type DType, type Predictor, type Signature, type TensorData,
} from '@modelport/core';
import { tensorFromJson } from './codecs/json-values.js';
import { flattenNested } from './codecs/nested.js';
import { ServingError } from './errors.js';
import type { WarmupOptions } from './options.js';
import { checkInputNames, checkInputs, describeShape, shapeFits } from './signature-check.js';
import { ownValue } from './own.js';

/** The warm-up file an export may carry beside export.json. */
export const WARMUP_FILE = 'warmup.json';

export interface WarmupSample {
  readonly signature: string;
  readonly inputs: Record<string, TensorData>;
  /** Where it came from: "warmup.json", "export.json", or "generated". */
  readonly origin: string;
  /** Generated with dimensions the signature leaves open: a failure may be the guess, not the model. */
  readonly guessed: boolean;
}

interface SampleJson {
  signature?: string;
  inputs?: Record<string, { shape?: number[]; dtype?: string; data?: unknown }>;
}

/**
 * The sample a version is warmed up with: `warmup.json` beside export.json, else export.json's
 * `warmup`, else (options.generate) one made from the signature, seeded so that it is the same
 * every time. Format: `{ "signature"?: name, "inputs": { name: { "shape", "dtype"?, "data" } } }`.
 */
export async function warmupSampleOf(
  dir: string, saved: unknown, signatures: Readonly<Record<string, Signature>>, options: WarmupOptions, maxElements: number,
): Promise<WarmupSample | undefined> {
  const file = path.join(dir, WARMUP_FILE);
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ServingError('FAILED_PRECONDITION', `${WARMUP_FILE} is not JSON: ${(e as Error).message}`, { file });
    }
    return parseSample(json, WARMUP_FILE, signatures, maxElements);
  }
  if (saved !== undefined) return parseSample(saved, 'export.json', signatures, maxElements);
  return options.generate ? generateSample(signatures, options.fillUnknownDims) : undefined;
}

function parseSample(json: unknown, origin: string, signatures: Readonly<Record<string, Signature>>, maxElements: number): WarmupSample {
  const sample = json as SampleJson;
  const fail = (why: string): never => { throw new ServingError('FAILED_PRECONDITION', `warm-up sample in ${origin}: ${why}`); };
  if (!sample || typeof sample !== 'object' || !sample.inputs || typeof sample.inputs !== 'object') fail('expected { "inputs": { name: { "shape", "dtype", "data" } } }');
  const signature = sample.signature ?? DEFAULT_SIGNATURE;
  const sig = ownValue(signatures, signature) ?? fail(`the model has no signature "${signature}"`);
  const inputs: Record<string, TensorData> = {};
  for (const [name, t] of Object.entries(sample.inputs!)) {
    const dtype = t.dtype ?? String(ownValue(sig.inputs, name)?.dtype ?? 'float32');
    const { shape: nested, values } = flattenNested(t.data, `input "${name}"`, maxElements);
    const shape = t.shape ?? nested;
    if (values.length !== shape.reduce((a, b) => a * b, 1)) fail(`input "${name}" has ${values.length} values for shape [${shape.join(', ')}]`);
    inputs[name] = tensorFromJson(dtype, shape, values, `warm-up input "${name}"`);
  }
  return { signature, inputs, origin, guessed: false };
}

function generateSample(signatures: Readonly<Record<string, Signature>>, fill: number): WarmupSample | undefined {
  const signature = signatures[DEFAULT_SIGNATURE] ? DEFAULT_SIGNATURE : Object.keys(signatures)[0];
  const sig = signature ? signatures[signature] : undefined;
  if (!sig || Object.values(sig.inputs).some((t) => !isKnownDType(String(t.dtype)))) return undefined;
  const random = seededRandom(1);
  let guessed = false;
  const inputs: Record<string, TensorData> = {};
  for (const [name, t] of Object.entries(sig.inputs)) {
    if (t.shape === null || t.shape.slice(1).some((d) => d < 0)) guessed = true;
    inputs[name] = randomTensor(t.dtype as DType, concreteShape(t.shape, fill), random);
  }
  return { signature: signature!, inputs, origin: 'generated', guessed };
}

const kind = (dtype: string) => (dtype.startsWith('float') ? 'float' : /int/.test(dtype) ? 'int' : dtype);

/**
 * Runs the sample through the version's predictor before it is AVAILABLE: the runtime compiles
 * and allocates on the first call, not on a client's. The same run checks the signature: the
 * sample must fit its inputs, and every declared output must come back with its type and shape.
 */
export async function replayWarmup(predictor: Predictor, sample: WarmupSample, iterations: number): Promise<void> {
  const sig = predictor.signatures[sample.signature];
  const fail = (why: string): never => { throw new ServingError('FAILED_PRECONDITION', `warm-up (${sample.origin} sample): ${why}`); };
  if (!sig) fail(`the runtime has no signature "${sample.signature}" (it has ${Object.keys(predictor.signatures).join(', ')})`);
  try {
    checkInputNames(Object.keys(sample.inputs), sig!);
    checkInputs(sig!, sample.signature, sample.inputs);
  } catch (e) {
    fail(`the sample does not fit signature "${sample.signature}": ${(e as Error).message}`);
  }
  let outputs: Record<string, TensorData> = {};
  for (let i = 0; i < iterations; i++) outputs = await predictor.predict(sample.inputs, sample.signature);
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(sig!.outputs)) {
    const t = outputs[name];
    if (!t) problems.push(`output "${name}" is missing`);
    else if (kind(t.dtype) !== kind(String(spec.dtype))) problems.push(`output "${name}" is ${t.dtype}, the signature says ${spec.dtype}`);
    else if (!shapeFits(spec.shape, t.shape)) problems.push(`output "${name}" has shape [${t.shape.join(', ')}], the signature says ${describeShape(spec.shape)}`);
  }
  if (problems.length) fail(`outputs disagree with signature "${sample.signature}": ${problems.join('; ')}`);
}
