import type * as tf from '@tensorflow/tfjs';
import { ModelportError } from '@modelport/core';
import { KNOWN_REFUSALS, LAYER_CONVERTERS } from './converters.js';
import { callsInOrder, isInputLayer, isNestedModel, layerInfo } from './topology.js';

export interface UnsupportedLayer {
  /** The layer's name, with the names of the models it is nested in ("encoder/lstm_1"). */
  readonly layer: string;
  readonly className: string;
  readonly reason?: string;
}

/** The model has layers the importer cannot convert; lists every one of them. */
export class UnsupportedLayersError extends ModelportError {
  readonly unsupported: readonly UnsupportedLayer[];

  constructor(unsupported: readonly UnsupportedLayer[]) {
    const list = unsupported.map((u) => `"${u.layer}" (${u.className}${u.reason ? `: ${u.reason}` : ''})`).join(', ');
    super(`${unsupported.length} layer(s) cannot be converted to graph ops: ${list}. Replace them, or export the model as a tfjs graph model with the TensorFlow converter`);
    this.unsupported = unsupported;
  }
}

/** Every layer the outputs depend on that has no converter or whose config its converter refuses. */
export function findUnsupportedLayers(model: tf.LayersModel, prefix = '', seen = new Set<tf.layers.Layer>()): UnsupportedLayer[] {
  const found: UnsupportedLayer[] = [];
  const reported = new Set<string>();
  for (const ref of callsInOrder(model)) {
    const { layer } = ref;
    if (isInputLayer(layer)) continue;
    if (isNestedModel(layer)) {
      if (!seen.has(layer)) { seen.add(layer); found.push(...findUnsupportedLayers(layer, `${prefix}${layer.name}/`, seen)); }
      continue;
    }
    const className = layer.getClassName();
    const converter = LAYER_CONVERTERS[className];
    const reason = converter ? converter.refuse?.(layerInfo(ref)) : KNOWN_REFUSALS[className];
    if (converter && reason === undefined) continue;
    const entry: UnsupportedLayer = { layer: `${prefix}${layer.name}`, className, ...(reason ? { reason } : {}) };
    const key = `${entry.layer}\u0000${reason}`;
    if (!reported.has(key)) { reported.add(key); found.push(entry); }
  }
  return found;
}
