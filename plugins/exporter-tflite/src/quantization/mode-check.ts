import { OptionsError, QUANTIZATION_SUMMARY_KEY, type Graph, type QuantizeMode } from '@modelport/core';
import { annotationsOf } from './annotations.js';

/**
 * Refuses what TFLite cannot write for a --quantize mode, before anything is written: tfjs's
 * affine weight storage (uint8, uint16), and a mode no quantizer ran for (the file would silently
 * be float). A quantizer that ran and chose to leave everything float says so in its summary.
 */
export function assertQuantizationWritable(graph: Graph, mode: QuantizeMode | undefined, plugin: string): void {
  if (!mode) return;
  if (mode === 'uint8' || mode === 'uint16') {
    throw new OptionsError(`--quantize ${mode} is tfjs's weight storage; target tflite cannot write it (use float16, dynamic, int8 or int8-full)`, { plugin });
  }
  if (!annotationsOf(graph).any && graph.metadata[QUANTIZATION_SUMMARY_KEY] === undefined) {
    throw new OptionsError(`--quantize ${mode}: the graph carries no quantization (no quantizer plugin ran on it); target tflite will not write a float file instead`, { plugin });
  }
}
