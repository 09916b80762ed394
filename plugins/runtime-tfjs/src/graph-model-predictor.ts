import * as tf from '@tensorflow/tfjs';
import {
  DEFAULT_SIGNATURE, dtypeFromTf, EXTRA_SIGNATURES_KEY, shapeFromTfjsJson, type TfjsModelJson, type TfjsSignatureJson, initBackend, loadGraphModelFromMemory, ModelportError, normalizeTensorRef,
  parseTensorRef, readTfjsModelFiles, TfjsModelRunner, type Logger, type Predictor, type Signature, type SignatureTensor, type TensorData,
} from '@modelport/core';

/** Signatures of a tfjs graph model: `signature` as serving_default, others from user metadata. */
function signaturesOf(model: tf.GraphModel, json: TfjsModelJson): Record<string, Signature> {
  const extra = (json.userDefinedMetadata?.[EXTRA_SIGNATURES_KEY] ?? {}) as Record<string, Signature>;
  const side = (infos: readonly { name: string; dtype: string; shape?: number[] }[]): Record<string, SignatureTensor> => Object.fromEntries(infos.map((i) => [
    i.name.replace(/:0$/, ''), { name: normalizeTensorRef(i.name), dtype: i.dtype, shape: i.shape ?? null }]));
  const sig = json.signature;
  const main: Signature = Object.keys(sig?.inputs ?? {}).length || Object.keys(sig?.outputs ?? {}).length
    ? readSignature(sig!)
    : { inputs: side(model.inputs), outputs: side(model.outputs) };
  return { ...extra, [DEFAULT_SIGNATURE]: main };
}

function readSignature(sig: TfjsSignatureJson): Signature {
  const map = (s: TfjsSignatureJson['inputs']) => Object.fromEntries(Object.entries(s ?? {}).map(([k, t]) => [k, {
    name: normalizeTensorRef(t.name), dtype: dtypeFromTf(t.dtype), shape: shapeFromTfjsJson(t.tensorShape),
  }]));
  return { inputs: map(sig.inputs), outputs: map(sig.outputs) };
}

/** A Predictor over a tfjs graph model on disk, run by tfjs (wasm by default, cpu for missing kernels). */
export async function loadGraphModelPredictor(file: string, logger: Logger): Promise<Predictor> {
  await initBackend();
  const files = await readTfjsModelFiles(file);
  const specs = files.groups.flatMap((g) => g.group.weights) as tf.io.WeightsManifestEntry[];
  const bytes = new Uint8Array(Buffer.concat(files.groups.map((g) => g.bytes)));
  let model: tf.GraphModel;
  try {
    model = await loadGraphModelFromMemory(files.json, specs, bytes);
  } catch (e) {
    throw new ModelportError(`tf.loadGraphModel rejected it: ${(e as Error).message}`, { file }, { cause: e });
  }
  const runner = new TfjsModelRunner(model, logger, file);
  const signatures = signaturesOf(model, files.json);
  return {
    format: 'tfjs',
    signatures,
    async predict(inputs: Readonly<Record<string, TensorData>>, key = DEFAULT_SIGNATURE) {
      const sig = signatures[key];
      if (!sig) throw new ModelportError(`no signature "${key}"; the model has ${Object.keys(signatures).join(', ')}`, { file });
      const feeds: Record<string, TensorData> = {};
      for (const [name, spec] of Object.entries(sig.inputs)) {
        const value = inputs[name];
        if (!value) throw new ModelportError(`input "${name}" of signature "${key}" is missing`, { file });
        feeds[parseTensorRef(spec.name).node] = value;
      }
      const keys = Object.keys(sig.outputs);
      const outputs = await runner.run(feeds, keys.map((k) => sig.outputs[k]!.name));
      return Object.fromEntries(keys.map((k, i) => [k, outputs[i]!]));
    },
    async dispose() {
      runner.dispose();
    },
  };
}
