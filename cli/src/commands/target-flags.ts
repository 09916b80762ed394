import type { Command } from 'commander';
import { OptionsError } from '@modelport/core';

/** Flags that set one target's options (ExportOptions.targetOptions). */
export interface TargetFlags {
  shardSize?: string;
  savedmodelVariables?: boolean;
  targetOption?: [string, string, unknown][];
}

/** "tfhub.publisher=acme" → ['tfhub', 'publisher', 'acme']; a value that reads as JSON (true, 3, [..]) is taken as JSON. */
export function parseTargetOptionFlag(value: string): [string, string, unknown] {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)=(.*)$/s.exec(value);
  if (!match) throw new OptionsError(`--target-option "${value}": expected TARGET.OPTION=VALUE, e.g. tfhub.publisher=acme`);
  const [, target, key, raw] = match as unknown as [string, string, string, string];
  let parsed: unknown = raw;
  try { parsed = JSON.parse(raw); } catch { /* a plain string */ }
  return [target, key, parsed];
}

function collectTargetOption(value: string, previous: [string, string, unknown][] = []): [string, string, unknown][] {
  return [...previous, parseTargetOptionFlag(value)];
}

export function addTargetFlags(command: Command): Command {
  return command
    .option('--shard-size <bytes>', 'tfjs weight shard size in bytes (default 4194304)')
    .option('--savedmodel-variables', 'savedmodel: weights as variables in a tensor bundle (variables/), as fine-tuning and models past 2 GB need, instead of Const nodes')
    .option('--target-option <target.option=value>', 'one option of one target, e.g. tfhub.publisher=acme or tfhub.tflite=true (repeatable)', collectTargetOption);
}

/** The flags' target options over those of the config or preset: per target, flags win per key. */
export function targetOptionsFromFlags(
  flags: TargetFlags, defaults: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined,
): Record<string, Record<string, unknown>> | undefined {
  const set: [string, string, unknown][] = [
    ...(flags.shardSize ? [['tfjs', 'shardSizeBytes', Number(flags.shardSize)] as [string, string, unknown]] : []),
    ...(flags.savedmodelVariables ? [['savedmodel', 'variables', true] as [string, string, unknown]] : []),
    ...(flags.targetOption ?? []),
  ];
  if (!set.length) return undefined;
  const merged: Record<string, Record<string, unknown>> = Object.fromEntries(Object.entries(defaults ?? {}).map(([t, o]) => [t, { ...o }]));
  for (const [target, key, value] of set) merged[target] = { ...merged[target], [key]: value };
  return merged;
}
