import type { LayerConfig } from './layer-call.js';

// Typed readers for layer configs. tfjs keeps what Keras wrote, so a size may be a number or a list.

export function configNumber(config: LayerConfig, key: string, fallback: number): number {
  const v = config[key];
  return typeof v === 'number' ? v : fallback;
}

export function configOptionalNumber(config: LayerConfig, key: string): number | undefined {
  const v = config[key];
  return typeof v === 'number' ? v : undefined;
}

export function configString(config: LayerConfig, key: string, fallback: string): string {
  const v = config[key];
  return typeof v === 'string' ? v : fallback;
}

export function configBool(config: LayerConfig, key: string, fallback: boolean): boolean {
  const v = config[key];
  return typeof v === 'boolean' ? v : fallback;
}

/** A per-dimension size: `3` → [3, 3] for `rank` 2; `[2, 3]` stays. */
export function configTuple(config: LayerConfig, key: string, rank: number, fallback: number): number[] {
  const v = config[key];
  if (typeof v === 'number') return Array<number>(rank).fill(v);
  if (Array.isArray(v) && v.length === rank && v.every((d) => typeof d === 'number')) return v as number[];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return Array<number>(rank).fill(v[0]);
  return Array<number>(rank).fill(fallback);
}

export function configNumbers(config: LayerConfig, key: string): number[] | undefined {
  const v = config[key];
  if (typeof v === 'number') return [v];
  return Array.isArray(v) && v.every((d) => typeof d === 'number') ? (v as number[]) : undefined;
}

export function isChannelsFirst(config: LayerConfig): boolean {
  return config.dataFormat === 'channelsFirst' || config.dataFormat === 'channels_first';
}

/** Keras padding 'same' | 'valid' as TensorFlow's attribute. */
export function tfPadding(config: LayerConfig): 'SAME' | 'VALID' {
  return configString(config, 'padding', 'valid').toLowerCase() === 'same' ? 'SAME' : 'VALID';
}

/** An axis that may be negative, made positive for a tensor of `rank`. */
export function positiveAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
