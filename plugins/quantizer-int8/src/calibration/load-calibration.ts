import { promises as fs } from 'node:fs';
import { OptionsError, type ExportOptions, type Graph, type Logger } from '@modelport/core';
import { folderSource } from './folder-samples.js';
import { DEFAULT_NORMALIZE } from './image-samples.js';
import { calibrationInputs } from './inputs.js';
import { jsonSource } from './json-samples.js';
import { RANDOM_SAMPLES, randomSource } from './random-samples.js';
import { selectSamples } from './select-samples.js';
import type { CalibrationSet, Sample, SampleSource } from './types.js';

export const DEFAULT_CALIBRATION_STEPS = 100;

type CalibrationOptions = Pick<ExportOptions, 'quantize' | 'calibrationData' | 'calibration' | 'calibrationSteps' | 'calibrationNormalize' | 'seed'>;

async function openSource(graph: Graph, options: CalibrationOptions): Promise<SampleSource> {
  const inputs = calibrationInputs(graph);
  const file = options.calibrationData;
  if (options.calibration === 'random') {
    if (file) throw new OptionsError(`--calibration random and --calibration-data "${file}" were both given: calibrate on data or on noise, not both`);
    // Noise never runs out: enough for the steps and the samples held out beside them.
    return randomSource(inputs, 2 * (options.calibrationSteps ?? RANDOM_SAMPLES) + 2, options.seed ?? 1);
  }
  if (!file) {
    throw new OptionsError(`--quantize ${options.quantize} calibrates activation ranges on real inputs: give --calibration-data (a folder of images or .npy files, or a JSON file), or --calibration random to calibrate on noise`);
  }
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) throw new OptionsError('calibration data not found', { file });
  return stat.isDirectory() ? folderSource(file, inputs, options.calibrationNormalize ?? DEFAULT_NORMALIZE) : jsonSource(file, inputs);
}

/**
 * Reads the calibration samples the options name, keyed by signature input name: up to
 * calibrationSteps (default 100) to set the ranges, and every 5th apart to measure accuracy.
 */
export async function loadCalibration(graph: Graph, options: CalibrationOptions, logger: Logger): Promise<CalibrationSet> {
  const source = await openSource(graph, options);
  const steps = options.calibrationSteps ?? (source.kind === 'random' ? RANDOM_SAMPLES : DEFAULT_CALIBRATION_STEPS);
  const { calibrate, heldOut } = selectSamples(source.count, steps);
  const total = calibrate.length + heldOut.length;
  const every = Math.max(1, Math.round(total / 10));
  let read = 0;
  const loadAll = async (indexes: readonly number[]): Promise<Sample[]> => {
    const out: Sample[] = [];
    for (const i of indexes) {
      out.push(await source.load(i));
      if (++read % every === 0 || read === total) logger.info(`calibration: read ${read}/${total} samples (${source.describe(i)})`);
    }
    return out;
  };
  const samples = await loadAll(calibrate);
  const held = await loadAll(heldOut);
  return {
    source: source.kind === 'random' ? 'random' : 'data', kind: source.kind,
    ...(options.calibrationData ? { path: options.calibrationData } : {}),
    samples, heldOut: held,
  };
}
