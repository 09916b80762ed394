import { DEFAULT_SIGNATURE, GraphExecutor, ModelportError, type Logger, type Predictor, type TensorData } from '@modelport/core';
import { readSavedModel } from '@modelport/savedmodel';

/**
 * A Predictor over a SavedModel on disk (its directory or saved_model.pb): the SavedModel read
 * into the Graph IR and run by tfjs, every SignatureDef a signature.
 */
export async function loadSavedModelPredictor(file: string, logger: Logger): Promise<Predictor> {
  const { graph, pbFile } = await readSavedModel(file);
  const exec = await GraphExecutor.create(graph, logger);
  const keys = Object.keys(graph.signatures);
  const defaultKey = graph.signatures[DEFAULT_SIGNATURE] ? DEFAULT_SIGNATURE : keys[0]!;
  return {
    format: 'savedmodel',
    signatures: graph.signatures,
    async predict(inputs: Readonly<Record<string, TensorData>>, key = defaultKey) {
      const signature = graph.signatures[key];
      if (!signature) throw new ModelportError(`no signature "${key}"; the SavedModel has ${keys.join(', ')}`, { file: pbFile });
      for (const name of Object.keys(signature.inputs)) {
        if (!inputs[name]) throw new ModelportError(`input "${name}" of signature "${key}" is missing`, { file: pbFile });
      }
      return exec.runSignature(signature, inputs);
    },
    async dispose() {
      exec.dispose();
    },
  };
}
