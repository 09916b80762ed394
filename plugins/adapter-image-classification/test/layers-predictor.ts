import * as tf from '@tensorflow/tfjs';
import { fromTfTensor, toTfTensor, type Predictor, type SignatureTensor } from '@modelport/core';

/** A Predictor over an in-memory layers model: the adapter's inner model, without an export. */
export function layersPredictor(model: tf.LayersModel): Predictor {
  const side = (names: string[], shapes: (number | null)[][]): Record<string, SignatureTensor> => Object.fromEntries(
    names.map((n, i) => [n.split('/')[0]!, { name: `${n}:0`, dtype: 'float32', shape: shapes[i]!.map((d) => d ?? -1) }]));
  const inputs = side(model.inputNames, model.inputs.map((t) => t.shape));
  const outputs = side(model.outputNames, model.outputs.map((t) => t.shape));
  return {
    format: 'tfjs-layers',
    signatures: { serving_default: { inputs, outputs } },
    async predict(feeds) {
      const x = Object.keys(inputs).map((n) => toTfTensor(feeds[n]!));
      const y = model.predict(x.length === 1 ? x[0]! : x);
      const list = Array.isArray(y) ? y : [y];
      const out = Object.fromEntries(await Promise.all(Object.keys(outputs).map(async (n, i) => [n, await fromTfTensor(list[i]!)] as const)));
      tf.dispose([...x, ...list]);
      return out;
    },
    async dispose() {},
  };
}
