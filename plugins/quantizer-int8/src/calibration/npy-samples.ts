import { promises as fs } from 'node:fs';
import path from 'node:path';
import { OptionsError, type TensorData } from '@modelport/core';
import { conformSample, lookupInput } from './inputs.js';
import { readNpy } from './npy.js';
import type { CalibrationInput, Sample, SampleSource } from './types.js';

async function readNpyFile(file: string): Promise<TensorData> {
  return readNpy(await fs.readFile(file), file);
}

/** A folder of .npy files, one sample each, for a model with one input. */
export function npyFileSource(dir: string, files: readonly string[], inputs: readonly CalibrationInput[]): SampleSource {
  if (inputs.length !== 1) {
    throw new OptionsError(`one .npy file per sample feeds a model with one input; this one has ${inputs.length} (${inputs.map((i) => i.name).join(', ')}): give a subfolder per sample holding NAME.npy for each input`, { file: dir });
  }
  const input = inputs[0]!;
  return {
    kind: 'npy',
    count: files.length,
    describe: (i) => files[i]!,
    async load(i) {
      const file = path.join(dir, files[i]!);
      return { [input.name]: conformSample(await readNpyFile(file), input, { file }) };
    },
  };
}

/** A folder with one subfolder per sample, each holding NAME.npy per input (signature name or node name). */
export function npyFolderSource(dir: string, folders: readonly string[], inputs: readonly CalibrationInput[]): SampleSource {
  return {
    kind: 'npy',
    count: folders.length,
    describe: (i) => folders[i]!,
    async load(i) {
      const folder = path.join(dir, folders[i]!);
      const names = (await fs.readdir(folder)).filter((f) => f.endsWith('.npy'));
      const byName = Object.fromEntries(names.map((f) => [f.slice(0, -'.npy'.length), f]));
      const missing = inputs.filter((input) => lookupInput(byName, input) === undefined);
      if (missing.length) {
        throw new OptionsError(`sample lacks input(s) ${missing.map((m) => `"${m.name}"`).join(', ')}: expected ${missing.map((m) => `${m.name}.npy`).join(', ')} (found ${names.join(', ') || 'no .npy file'})`, { file: folder });
      }
      const sample: Record<string, TensorData> = {};
      for (const input of inputs) {
        const file = path.join(folder, lookupInput(byName, input)!);
        sample[input.name] = conformSample(await readNpyFile(file), input, { file });
      }
      return sample as Sample;
    },
  };
}
