import { OptionsError, type QuantizeMode } from '@modelport/core';
import type { StorageRefusals } from './weight-storage.js';

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * One error for everything the graph's quantization asks that tfjs cannot write (it computes in
 * float and stores weights per tensor), listing every node and weight at once, before writing.
 */
export function assertTfjsCanStore(refusals: StorageRefusals, mode: QuantizeMode | undefined): void {
  const { int8Nodes, weights } = refusals;
  if (!int8Nodes.length && !weights.length) return;
  const parts: string[] = [];
  if (int8Nodes.length) parts.push(`${int8Nodes.length} int8 node(s) ${int8Nodes.map((n) => `"${n.name}" (${n.op})`).join(', ')}`);
  if (weights.length) parts.push(`${weights.length} weight(s) ${weights.map((w) => `"${w.name}" (${w.why})`).join(', ')}`);
  const asked = mode ? `--quantize ${mode}` : 'the graph\'s quantization';
  throw new OptionsError(`${asked}: target "tfjs" cannot write ${parts.join(' and ')}; tfjs computes in float and stores weights as float16, or uint8/uint16 per tensor (try --quantize float16 or uint8 for tfjs)`);
}
