import type { QuantizationSummary } from '@modelport/core';
import type { AnnotatedWeights, WeightMode } from './annotate-weights.js';

/** What the quantizer did, for graph.metadata (export.json's "quantization"). */
export function weightSummary(mode: WeightMode, plugin: string, done: AnnotatedWeights): QuantizationSummary {
  return { mode, plugin, weights: { quantized: done.quantized, kept: done.kept } };
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The summary line: "12 weights stored as float16 (3 kept: not float32 or not selected)". */
export function weightNote(mode: WeightMode, done: AnnotatedWeights): string {
  const kept = done.kept ? ` (${count(done.kept, 'weight')} kept: not float32 or not selected)` : '';
  return `${count(done.quantized, 'weight')} stored as ${mode}${kept}`;
}
