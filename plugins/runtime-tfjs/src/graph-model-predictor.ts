import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  DEFAULT_SIGNATURE, dtypeFromTf, EXTRA_SIGNATURES_KEY, SIGNATURE_FILES_KEY, type SignatureFiles, shapeFromTfjsJson, type TfjsModelJson, type TfjsSignatureJson, initBackend, loadGraphModelFromMemory, ModelportError, normalizeTensorRef,
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

/** One model.json loaded in tfjs: its signatures and a runner over it. */
interface LoadedGraphModel {
  readonly json: TfjsModelJson;
  readonly signatures: Record<string, Signature>;
  readonly runner: TfjsModelRunner;
}

async function loadOne(file: string, logger: Logger): Promise<LoadedGraphModel> {
  const files = await readTfjsModelFiles(file);
  const specs = files.groups.flatMap((g) => g.group.weights) as tf.io.WeightsManifestEntry[];
  const bytes = new Uint8Array(Buffer.concat(files.groups.map((g) => g.bytes)));
  let model: tf.GraphModel;
  try {
    model = await loadGraphModelFromMemory(files.json, specs, bytes);
  } catch (e) {
    throw new ModelportError(`tf.loadGraphModel rejected it: ${(e as Error).message}`, { file }, { cause: e });
  }
  return { json: files.json, signatures: signaturesOf(model, files.json), runner: new TfjsModelRunner(model, logger, file) };
}

/** Where each signature runs: a runner and the signature as that runner's model.json names it. */
interface SignatureRoute {
  readonly runner: TfjsModelRunner;
  readonly signature: Signature;
  readonly file: string;
}

/**
 * A Predictor over a tfjs graph model on disk, run by tfjs (wasm by default, cpu for missing
 * kernels). A model.json that indexes other graph models (modelportSignatureFiles) serves every
 * signature of the index from its own model.json (there, its serving_default); all are loaded
 * here, at start, so a missing or broken file fails serving at once rather than on a request.
 */
export async function loadGraphModelPredictor(file: string, logger: Logger): Promise<Predictor> {
  await initBackend();
  const main = await loadOne(file, logger);
  const index = main.json.userDefinedMetadata?.[SIGNATURE_FILES_KEY] as SignatureFiles | undefined;
  const routes = new Map<string, SignatureRoute>();
  const runners = [main.runner];
  try {
    if (!index) {
      for (const [key, signature] of Object.entries(main.signatures)) routes.set(key, { runner: main.runner, signature, file });
    } else {
      for (const [key, entry] of Object.entries(index)) {
        const own = path.resolve(path.dirname(file), entry.file);
        const loaded = own === path.resolve(file) ? main : await loadOne(own, logger);
        if (loaded !== main) runners.push(loaded.runner);
        const signature = loaded.signatures[DEFAULT_SIGNATURE];
        if (!signature) throw new ModelportError(`the model.json of signature "${key}" has no signature`, { file: own });
        routes.set(key, { runner: loaded.runner, file: own, signature: { ...signature, ...(entry.stages ? { stages: entry.stages } : {}), ...(entry.moduleMetadata ? { moduleMetadata: entry.moduleMetadata } : {}) } });
      }
    }
  } catch (e) {
    runners.forEach((r) => r.dispose());
    throw e;
  }
  const signatures = Object.fromEntries([...routes].map(([k, r]) => [k, r.signature]));
  const defaultKey = routes.has(DEFAULT_SIGNATURE) ? DEFAULT_SIGNATURE : [...routes.keys()][0]!;
  return {
    format: 'tfjs',
    signatures,
    async predict(inputs: Readonly<Record<string, TensorData>>, key = defaultKey) {
      const route = routes.get(key);
      if (!route) throw new ModelportError(`no signature "${key}"; the model has ${[...routes.keys()].join(', ')}`, { file });
      const sig = route.signature;
      const feeds: Record<string, TensorData> = {};
      for (const [name, spec] of Object.entries(sig.inputs)) {
        const value = inputs[name];
        if (!value) throw new ModelportError(`input "${name}" of signature "${key}" is missing`, { file: route.file });
        feeds[parseTensorRef(spec.name).node] = value;
      }
      const keys = Object.keys(sig.outputs);
      const outputs = await route.runner.run(feeds, keys.map((k) => sig.outputs[k]!.name));
      return Object.fromEntries(keys.map((k, i) => [k, outputs[i]!]));
    },
    async dispose() {
      runners.forEach((r) => r.dispose());
    },
  };
}
