import { promises as fs } from 'node:fs';
import {
  concreteShape, fsErrorMeaning, jsonSyntaxProblem, OptionsError, parseTensorRef, randomTensor, seededRandom, sizeOfShape, type DType, type Signature, type TensorData,
} from '@modelport/core';

/**
 * Validation inputs by signature input name: random by the signature (seeded, so runs repeat),
 * or read from a JSON file `{ "<input>": { "shape": [..], "dtype"?: "float32", "data": [..] } }`
 * where `<input>` is the signature's input name or the input node's name.
 */
export async function validationInputs(signature: Signature, seed: number, fillUnknownDims: number, file?: string): Promise<Record<string, TensorData>> {
  if (file) return readInputsFile(file, signature);
  const random = seededRandom(seed);
  const out: Record<string, TensorData> = {};
  for (const [name, spec] of Object.entries(signature.inputs)) {
    out[name] = randomTensor(spec.dtype as DType, concreteShape(spec.shape, fillUnknownDims), random);
  }
  return out;
}

async function readInputsFile(file: string, signature: Signature): Promise<Record<string, TensorData>> {
  let json: Record<string, { shape?: number[]; dtype?: DType; data?: number[] }>;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code ? fsErrorMeaning(code) : `not JSON (${jsonSyntaxProblem(e)}); --inputs takes { "<input>": { "shape": [...], "data": [...] } }`;
    throw new OptionsError(`validation inputs (--inputs) cannot be read: ${why}`, { file });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new OptionsError('validation inputs (--inputs) must be a JSON object { "<input>": { "shape": [...], "data": [...] } }', { file });
  const out: Record<string, TensorData> = {};
  for (const [name, spec] of Object.entries(signature.inputs)) {
    // As --input-shape does: the signature's key, or the input node's name with or without ":0".
    const node = parseTensorRef(spec.name).node;
    const given = json[name] ?? json[node] ?? json[`${node}:0`];
    if (!given || !Array.isArray(given.shape) || !Array.isArray(given.data)) {
      throw new OptionsError(`validation inputs lack "${name}" as { shape, data } (the signature's inputs are ${Object.keys(signature.inputs).join(', ')})`, { file });
    }
    const dtype = (given.dtype ?? spec.dtype) as DType;
    if (sizeOfShape(given.shape) !== given.data.length) throw new OptionsError(`input "${name}": shape [${given.shape}] needs ${sizeOfShape(given.shape)} values, data has ${given.data.length}`, { file });
    const data = dtype === 'int32' ? Int32Array.from(given.data) : dtype === 'bool' ? Uint8Array.from(given.data) : Float32Array.from(given.data);
    out[name] = { dtype, shape: given.shape, data };
  }
  return out;
}
