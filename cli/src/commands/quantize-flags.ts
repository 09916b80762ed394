import type { Command } from 'commander';
import { OptionsError, parseAccuracyTarget, QUANTIZE_MODES, type ExportOptions } from '@modelport/core';

/** The command-line flags of quantization, as commander parses them. */
export interface QuantizeFlags {
  quantize?: string;
  quantizeWeights?: string[];
  ioType?: string;
  calibrationData?: string;
  calibration?: string;
  calibrationSteps?: string;
  calibrationNormalize?: string;
  calibrationPercentile?: string;
  keepFloat?: string[];
  accuracyTarget?: string;
  quantizeReport?: string;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** "1/255" or "0.5" → a number; anything else is an error naming the flag. */
function parseNumber(text: string, flag: string): number {
  const parts = text.trim().split('/');
  const n = parts.length === 2 ? Number(parts[0]) / Number(parts[1]) : parts.length === 1 ? Number(parts[0]) : NaN;
  if (!Number.isFinite(n) || text.trim() === '') throw new OptionsError(`${flag} "${text}": not a number (write e.g. 1/255 or 0.5)`);
  return n;
}

export function addQuantizeFlags(command: Command): Command {
  return command
    .option('--quantize <mode>', `quantize: ${QUANTIZE_MODES.join(', ')} (docs/formats/quantization.md)`)
    .option('--quantize-weights <names>', 'only quantize these weights (comma-separated, * globs)', collect)
    .option('--io-type <type>', 'int8-full: integer type of the model\'s inputs and outputs, int8 or uint8 (default uint8)')
    .option('--calibration-data <path>', 'calibration samples: a folder of images (png, jpg) or .npy files, or a JSON file like --inputs')
    .option('--calibration <source>', '"random" calibrates int8 on seeded noise (only for trying the mode out)')
    .option('--calibration-steps <n>', 'samples that set the ranges (default 100; all if fewer)')
    .option('--calibration-normalize <scale,offset>', 'image pixels p become p×scale+offset (default 1/255,0)')
    .option('--calibration-percentile <p>', 'ranges from the p-th percentile of |values| instead of min/max, e.g. 99.99')
    .option('--keep-float <nodes>', 'keep these nodes float (comma-separated, * globs; repeatable)', collect)
    .option('--accuracy-target <metric=value>', 'keep the worst layers float until cosine=V or top1=V against the float model holds')
    .option('--quantize-report <file>', 'write the per-layer quantization error report (JSON) to this file');
}

/** The export options the quantization flags set; each malformed value is an error naming its flag. */
export function quantizeOptions(flags: QuantizeFlags): Partial<ExportOptions> {
  const out: Record<string, unknown> = {};
  if (flags.quantize !== undefined) {
    if (!(QUANTIZE_MODES as readonly string[]).includes(flags.quantize)) throw new OptionsError(`--quantize "${flags.quantize}": not a mode; the modes are ${QUANTIZE_MODES.join(', ')}`);
    out.quantize = flags.quantize;
  }
  if (flags.quantizeWeights) out.quantizeWeights = flags.quantizeWeights;
  if (flags.ioType !== undefined) {
    if (flags.ioType !== 'int8' && flags.ioType !== 'uint8') throw new OptionsError(`--io-type "${flags.ioType}": write int8 or uint8`);
    out.ioType = flags.ioType;
  }
  if (flags.calibrationData !== undefined) out.calibrationData = flags.calibrationData;
  if (flags.calibration !== undefined) {
    if (flags.calibration !== 'random') throw new OptionsError(`--calibration "${flags.calibration}": the only source it takes is "random"; give samples with --calibration-data PATH`);
    out.calibration = 'random';
  }
  if (flags.calibrationSteps !== undefined) {
    const n = Number(flags.calibrationSteps);
    if (!Number.isInteger(n) || n < 1) throw new OptionsError(`--calibration-steps "${flags.calibrationSteps}": a whole number ≥ 1`);
    out.calibrationSteps = n;
  }
  if (flags.calibrationNormalize !== undefined) {
    const parts = flags.calibrationNormalize.split(',');
    if (parts.length !== 2) throw new OptionsError(`--calibration-normalize "${flags.calibrationNormalize}": write SCALE,OFFSET, e.g. 1/127.5,-1`);
    out.calibrationNormalize = parts.map((p) => parseNumber(p, '--calibration-normalize'));
  }
  if (flags.calibrationPercentile !== undefined) out.calibrationPercentile = parseNumber(flags.calibrationPercentile, '--calibration-percentile');
  if (flags.keepFloat) out.keepFloat = flags.keepFloat;
  if (flags.accuracyTarget !== undefined) {
    try {
      out.accuracyTarget = parseAccuracyTarget(flags.accuracyTarget);
    } catch (e) {
      throw new OptionsError(`--accuracy-target: ${(e as Error).message}`);
    }
  }
  if (flags.quantizeReport !== undefined) out.quantizeReport = flags.quantizeReport;
  return out as Partial<ExportOptions>;
}
