import { promises as fs } from 'node:fs';
import { Tensor, type CompiledModel, type LiteRt } from '@litertjs/core';
import { DEFAULT_SIGNATURE, InvalidInputError, ModelLoadError, ModelportError, type DType, type Logger, type Predictor, type TensorData } from '@modelport/core';
import { parseTflite } from './describe-tflite.js';
import { toEdgeValues } from './input-tensors.js';
import { liteRtInstance } from './litert-instance.js';
import { lastLines, oneLine } from './litert-messages.js';
import { signaturesOf, type SignatureIo } from './tflite-signatures.js';

/**
 * A Predictor over a .tflite file run by LiteRT.js (the TFLite runtime, XNNPACK on wasm, one
 * thread). Inputs are checked and converted here, errors the runtime only prints become exceptions,
 * and a model is compiled again if an Abort() forced a fresh runtime module.
 */
export async function loadTflitePredictor(file: string, logger: Logger): Promise<Predictor> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (e) {
    throw new ModelLoadError(`cannot read the model: ${(e as Error).message}`, { file }, { cause: e });
  }
  const model = parseTflite(bytes, file);
  const signatures = signaturesOf(model, file);
  if (signatures.size === 0) throw new ModelLoadError('the model has no SignatureDef; modelport serves models by signature', { file });
  // The module is one per process: its log lines go to the logger of the latest model loaded.
  liteRtInstance.logger = logger;

  let compiled: CompiledModel | undefined;
  let generation = -1;
  // Called inside an exclusive session: a model compiled in a module that has since aborted is recompiled in the new one.
  const ensureCompiled = async (liteRt: LiteRt): Promise<CompiledModel> => {
    if (!compiled || generation !== liteRtInstance.generation) {
      compiled = await liteRt.loadAndCompile(bytes, { accelerator: 'wasm', cpuOptions: { numThreads: 1 } });
      generation = liteRtInstance.generation;
    }
    return compiled;
  };
  try {
    await liteRtInstance.exclusive(ensureCompiled);
  } catch (e) {
    const lines = (e as { liteRtLines?: string[] }).liteRtLines ?? [];
    throw new ModelLoadError(`the TFLite runtime could not load the model: ${oneLine((e as Error).message)}${lines.length ? ` (${lastLines(lines)})` : ''}`, { file }, { cause: e });
  }

  return {
    format: 'tflite',
    signatures: Object.fromEntries([...signatures].map(([k, s]) => [k, s.signature])),
    async predict(inputs: Readonly<Record<string, TensorData>>, key = DEFAULT_SIGNATURE): Promise<Record<string, TensorData>> {
      const io = signatures.get(key) ?? (key === DEFAULT_SIGNATURE && signatures.size === 1 ? [...signatures.values()][0] : undefined);
      if (!io) throw new InvalidInputError(`no signature "${key}"; the model has ${[...signatures.keys()].join(', ')}`, { file });
      const unknown = Object.keys(inputs).filter((k) => !io.inputs.some((i) => i.key === k));
      if (unknown.length) throw new InvalidInputError(`unknown input(s) ${unknown.map((u) => `"${u}"`).join(', ')}; signature "${key}" takes ${io.inputs.map((i) => i.key).join(', ')}`, { file });
      const values = io.inputs.map((spec) => toEdgeValues(spec, inputs[spec.key], file));
      const signatureKey = signatures.has(key) ? key : [...signatures.keys()][0]!;
      let session;
      try {
        session = await liteRtInstance.exclusive(async (liteRt) => {
          const runner = await ensureCompiled(liteRt);
          const feeds: Record<string, Tensor> = {};
          let results: Record<string, Tensor> = {};
          try {
            io.inputs.forEach((spec, i) => { feeds[spec.key] = new Tensor(values[i] as Float32Array, [...spec.shape]); });
            results = await runner.run(signatureKey, feeds);
            return Object.fromEntries(Object.entries(results).map(([name, t]) => {
              const data = t.toTypedArray().slice();
              const boolean = io.boolOutputs.has(name);
              return [name, { dtype: (boolean ? 'bool' : t.type.dtype) as DType, shape: Array.from(t.type.layout.dimensions), data }];
            }));
          } finally {
            for (const t of [...Object.values(feeds), ...Object.values(results)]) t.delete();
          }
        });
      } catch (e) {
        const lines = (e as { liteRtLines?: string[] }).liteRtLines ?? [];
        throw new ModelportError(`the TFLite runtime failed on signature "${key}": ${oneLine((e as Error).message)}${lines.length ? ` (${lastLines(lines)})` : ''}${sizedByDataNote(io)}`, { file }, { cause: e });
      }
      // LiteRT prints kernel errors and resolves anyway, with garbage: what it printed decides.
      const errors = session.lines.filter((l) => /^ERROR/i.test(l.trim()));
      if (errors.length) throw new ModelportError(`the TFLite runtime reported an error on signature "${key}": ${errors.slice(0, 3).join(' | ')}${sizedByDataNote(io)}`, { file });
      return session.result;
    },
    async dispose() {
      const c = compiled;
      compiled = undefined;
      if (c && generation === liteRtInstance.generation) await liteRtInstance.exclusive(async () => c.delete()).catch(() => undefined);
    },
  };
}

/** A run-time failure the runtime cannot explain: an output the data sizes came out at another size than the export saw. */
function sizedByDataNote(io: SignatureIo): string {
  if (io.sizedAtRunTime.length === 0) return '';
  const outputs = io.sizedAtRunTime.map((k) => `"${k}" [${io.signature.outputs[k]?.shape?.join(', ') ?? ''}]`).join(', ');
  return `; outputs ${outputs} are sized by the data and the file holds the size the export saw: an input that gives them another size fails`;
}
