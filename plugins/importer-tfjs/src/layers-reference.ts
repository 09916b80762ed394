import * as tf from '@tensorflow/tfjs';
import { DEFAULT_SIGNATURE, fromTfTensor, ModelportError, toTfTensor, type Predictor, type Signature, type TensorData } from '@modelport/core';

/**
 * The source layers model run by tfjs's own predict, keyed like the converted graph's signature
 * (input layer names in, output names out): what validation compares the artifacts with.
 * `owned` models (loaded from a file here) are disposed with the predictor; a caller's are not.
 */
export function layersModelReference(model: tf.LayersModel, signature: Signature, owned: boolean): Predictor {
  return {
    format: 'tfjs-layers-model',
    signatures: { [DEFAULT_SIGNATURE]: signature },
    async predict(inputs: Readonly<Record<string, TensorData>>) {
      const names = Object.keys(signature.inputs);
      const missing = names.filter((n) => !inputs[n]);
      if (missing.length) throw new ModelportError(`the layers model needs input(s) ${missing.join(', ')}`);
      const feeds = names.map((n) => toTfTensor(inputs[n]!));
      try {
        const out = model.predict(feeds.length === 1 ? feeds[0]! : feeds);
        const list = Array.isArray(out) ? out : [out];
        const keys = Object.keys(signature.outputs);
        const values = await Promise.all(list.map(fromTfTensor));
        tf.dispose(list);
        return Object.fromEntries(keys.map((k, i) => [k, values[i]!]));
      } finally {
        tf.dispose(feeds);
      }
    },
    async dispose() {
      if (owned) model.dispose();
    },
  };
}
