import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OptionsError, validateOptions, type JsonSchema } from '@modelport/core';
import type { MetricMode } from '@modelport/checkpoint-manager';

export const PACKAGE_NAME = '@modelport/trainer-export';
export const OPTIONS_SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../options.schema.json');
export const optionsSchema: JsonSchema = createRequire(import.meta.url)(OPTIONS_SCHEMA_FILE) as JsonSchema;

/** Options of the callback after validation; options.schema.json is the contract. */
export interface TrainerExportOptions {
  readonly everyEpochs?: number;
  readonly atEnd: boolean;
  readonly monitor?: string;
  readonly mode: MetricMode;
  readonly minDelta: number;
  readonly bestFile: string;
  readonly onError: 'throw' | 'warn';
}

export type TrainerExportInput = Partial<TrainerExportOptions>;

/** Validates like every plugin's options; also refuses a configuration that would never export. */
export function validateTrainerOptions(input: TrainerExportInput): TrainerExportOptions {
  const where = { plugin: PACKAGE_NAME, file: OPTIONS_SCHEMA_FILE };
  const options = validateOptions<TrainerExportOptions>(optionsSchema, input, 'trainer export options', where);
  if (!options.everyEpochs && !options.monitor && !options.atEnd) {
    throw new OptionsError('invalid trainer export options: nothing would ever be exported; set "everyEpochs", "monitor" or "atEnd"', where);
  }
  return options;
}
