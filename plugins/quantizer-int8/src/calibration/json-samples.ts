import { promises as fs } from 'node:fs';
import { OptionsError, sizeOfShape, type DType, type TensorData } from '@modelport/core';
import { conformSample, lookupInput } from './inputs.js';
import type { CalibrationInput, Sample, SampleSource } from './types.js';

interface JsonTensor {
  readonly shape?: unknown;
  readonly dtype?: unknown;
  readonly data?: unknown;
}

const JSON_DTYPES: readonly string[] = ['float32', 'int32', 'uint8', 'bool'];

function tensorOf(given: JsonTensor, input: CalibrationInput, file: string, at: string): TensorData {
  if (!Array.isArray(given.shape) || !Array.isArray(given.data)) {
    throw new OptionsError(`${at}input "${input.name}" is not { shape, dtype?, data }`, { file });
  }
  const dtype = (given.dtype ?? input.dtype) as DType;
  if (typeof dtype !== 'string' || !JSON_DTYPES.includes(dtype) && !dtype.startsWith('float')) {
    throw new OptionsError(`${at}input "${input.name}": dtype "${String(given.dtype)}" is not one of ${JSON_DTYPES.join(', ')}`, { file });
  }
  const shape = given.shape as number[];
  if (sizeOfShape(shape) !== given.data.length) {
    throw new OptionsError(`${at}input "${input.name}": shape [${shape}] needs ${sizeOfShape(shape)} values, data has ${given.data.length}`, { file });
  }
  const data = dtype.startsWith('float') ? Float32Array.from(given.data as number[]) : Int32Array.from(given.data as number[]);
  return conformSample({ dtype: dtype.startsWith('float') ? 'float32' : dtype, shape, data }, input, { file });
}

/**
 * A JSON file of samples as validation inputs are given: `{ "<input>": { shape, dtype?, data } }`
 * for one sample, or an array of such objects for several.
 */
export async function jsonSource(file: string, inputs: readonly CalibrationInput[]): Promise<SampleSource> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new OptionsError(`calibration data cannot be read: ${(e as Error).message}`, { file });
  }
  const entries = Array.isArray(json) ? json : [json];
  if (entries.length === 0) throw new OptionsError('calibration data holds no sample (an empty array)', { file });
  if (entries.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) {
    throw new OptionsError('calibration data is not { "<input>": { shape, data } } nor an array of them', { file });
  }
  const several = Array.isArray(json);
  return {
    kind: 'json',
    count: entries.length,
    describe: (i) => (several ? `sample ${i}` : 'the sample'),
    async load(i) {
      const at = several ? `sample ${i}: ` : '';
      const given = entries[i] as Record<string, JsonTensor>;
      const missing = inputs.filter((input) => lookupInput(given, input) === undefined);
      if (missing.length) {
        throw new OptionsError(`${at}input(s) ${missing.map((m) => `"${m.name}"`).join(', ')} missing (the signature's inputs are ${inputs.map((x) => x.name).join(', ')})`, { file });
      }
      return Object.fromEntries(inputs.map((input) => [input.name, tensorOf(lookupInput(given, input)!, input, file, at)])) as Sample;
    },
  };
}
