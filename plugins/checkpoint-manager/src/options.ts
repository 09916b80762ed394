import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OptionsError, validateOptions, type ExportOptions, type JsonSchema } from '@modelport/core';
import { PLUGIN_NAME } from './plugin.js';
import type { KeepBest, RetentionPolicy } from './retention.js';
import type { Versioning } from './versioning.js';

export const OPTIONS_SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../options.schema.json');
export const optionsSchema: JsonSchema = createRequire(import.meta.url)(OPTIONS_SCHEMA_FILE) as JsonSchema;

/** Export options a manager passes through; it sets targets, out, modelName and version itself. */
export type PassedExportOptions = Partial<Omit<ExportOptions, 'targets' | 'out' | 'modelName' | 'version'>>;

/** Options of a CheckpointManager after validation (defaults filled in); options.schema.json is the contract. */
export interface CheckpointManagerOptions extends RetentionPolicy {
  readonly directory: string;
  readonly model: string;
  readonly targets: readonly string[];
  readonly layersCopy: boolean;
  readonly versioning: Versioning;
  readonly keepBest?: KeepBest;
  readonly export: PassedExportOptions;
  readonly lock: { readonly staleMs: number; readonly timeoutMs: number };
}

/** What a caller writes: required `directory`, everything else optional. */
export type CheckpointManagerInput = Pick<CheckpointManagerOptions, 'directory'> & Partial<Omit<CheckpointManagerOptions, 'directory' | 'keepBest' | 'lock'>> & {
  readonly keepBest?: Partial<KeepBest> & { readonly metric: string };
  readonly lock?: Partial<CheckpointManagerOptions['lock']>;
};

const MANAGED_EXPORT_OPTIONS = ['targets', 'out', 'modelName', 'version'];

/** Validates against options.schema.json; the OptionsError names each bad key and the plugin. */
export function validateManagerOptions(input: CheckpointManagerInput): CheckpointManagerOptions {
  const where = { plugin: PLUGIN_NAME, file: OPTIONS_SCHEMA_FILE };
  const options = validateOptions<CheckpointManagerOptions>(optionsSchema, input, 'checkpoint manager options', where);
  const managed = Object.keys(options.export).filter((k) => MANAGED_EXPORT_OPTIONS.includes(k));
  if (managed.length) {
    throw new OptionsError(`invalid checkpoint manager options: ${managed.map((k) => `"export.${k}"`).join(', ')} is set by the manager (targets: "targets", out/modelName: "directory"/"model", version: "versioning"); remove it`, where);
  }
  return options;
}

export function retentionPolicyOf(options: RetentionPolicy): RetentionPolicy {
  return {
    ...(options.maxToKeep !== undefined ? { maxToKeep: options.maxToKeep } : {}),
    ...(options.keepCheckpointEveryNHours !== undefined ? { keepCheckpointEveryNHours: options.keepCheckpointEveryNHours } : {}),
    ...(options.keepBest ? { keepBest: options.keepBest } : {}),
  };
}
