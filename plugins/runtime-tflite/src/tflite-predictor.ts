import { promises as fs } from 'node:fs';
import { Tensor, type CompiledModel } from '@litertjs/core';
import {
  DEFAULT_SIGNATURE, ModelLoadError, ModelportError, type DType, type Logger, type Predictor, type Signature, type SignatureTensor, type TensorData,
} from '@modelport/core';
import { modelportMetadata, parseTflite } from './describe-tflite.js';
import { toEdgeValues, type EdgeDType, type InputSpec } from './input-tensors.js';
import { liteRtInstance } from './litert-instance.js';
import type { TfliteModelInfo } from './read-tflite.js';
import { tensorTypeName } from './tflite-names.js';

interface SignatureIo {
  readonly signature: Signature;
  readonly inputs: readonly InputSpec[];
  /** Outputs the source declared bool: the file holds them as uint8. */
  readonly boolOutputs: ReadonlySet<string>;
}

/** Core signatures of the file: names and static shapes from the SignatureDefs, source dtypes and -1 batches from metadata. */
function signaturesOf(model: TfliteModelInfo, file: string): Map<string, SignatureIo> {
  const source = modelportMetadata(model).signatures ?? {};
  const out = new Map<string, SignatureIo>();
  for (const s of model.signatures) {
    const g = model.subgraphs[s.subgraph];
    if (!g) throw new ModelLoadError(`signature "${s.key}" names subgraph ${s.subgraph}, the model has ${model.subgraphs.length}`, { file });
    const declared = source[s.key];
    const side = (maps: typeof s.inputs, which: 'inputs' | 'outputs'): Record<string, SignatureTensor> => Object.fromEntries(maps.map((m) => {
      const t = g.tensors[m.tensor];
      const from = declared?.[which]?.[m.name];
      return [m.name, { name: t?.name ?? m.name, dtype: from?.dtype ?? tensorTypeName(t?.type ?? 0), shape: from?.shape ?? t?.shapeSignature ?? t?.shape ?? null }];
    }));
    const inputs: InputSpec[] = s.inputs.map((m) => {
      const t = g.tensors[m.tensor];
      const dtype = tensorTypeName(t?.type ?? -1);
      if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'uint8') throw new ModelLoadError(`input "${m.name}" is ${dtype}; LiteRT.js only takes float32, int32 and uint8 inputs`, { file });
      return { key: m.name, dtype: dtype as EdgeDType, shape: t?.shape ?? [] };
    });
    const boolOutputs = new Set(s.outputs.filter((m) => declared?.outputs?.[m.name]?.dtype === 'bool').map((m) => m.name));
    out.set(s.key, { signature: { inputs: side(s.inputs, 'inputs'), outputs: side(s.outputs, 'outputs') }, inputs, boolOutputs });
  }
  return out;
}

function oneLine(text: string): string {
  return text.split('\n').map((l) => l.replace(/^[\s└]+/, '').trim()).filter(Boolean).join(' ');
}

/** The lines of LiteRT's output that explain a failure, on one line. */
function lastLines(lines: readonly string[]): string {
  const flat = lines.flatMap((l) => l.split('\n')).map((l) => l.replace(/^[\s└]+/, '').trim()).filter((l) => l && !/^(INFO|WARNING):/.test(l));
  const errors = flat.filter((l) => /error|abort|fail/i.test(l));
  return (errors.length ? errors : flat).slice(-3).join(' | ');
}

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
  liteRtInstance.logger = logger;

  let compiled: CompiledModel | undefined;
  let generation = -1;
  const compile = async (): Promise<CompiledModel> => {
    if (compiled && generation === liteRtInstance.generation) return compiled;
    try {
      const session = await liteRtInstance.exclusive((liteRt) => liteRt.loadAndCompile(bytes, { accelerator: 'wasm', cpuOptions: { numThreads: 1 } }));
      compiled = session.result;
      generation = liteRtInstance.generation;
      return compiled;
    } catch (e) {
      const lines = (e as { liteRtLines?: string[] }).liteRtLines ?? [];
      throw new ModelLoadError(`the TFLite runtime could not load the model: ${oneLine((e as Error).message)}${lines.length ? ` (${lastLines(lines)})` : ''}`, { file }, { cause: e });
    }
  };
  await compile();

  return {
    format: 'tflite',
    signatures: Object.fromEntries([...signatures].map(([k, s]) => [k, s.signature])),
    async predict(inputs: Readonly<Record<string, TensorData>>, key = DEFAULT_SIGNATURE): Promise<Record<string, TensorData>> {
      const io = signatures.get(key) ?? (key === DEFAULT_SIGNATURE && signatures.size === 1 ? [...signatures.values()][0] : undefined);
      if (!io) throw new ModelportError(`no signature "${key}"; the model has ${[...signatures.keys()].join(', ')}`, { file });
      const unknown = Object.keys(inputs).filter((k) => !io.inputs.some((i) => i.key === k));
      if (unknown.length) throw new ModelportError(`unknown input(s) ${unknown.map((u) => `"${u}"`).join(', ')}; signature "${key}" takes ${io.inputs.map((i) => i.key).join(', ')}`, { file });
      const values = io.inputs.map((spec) => toEdgeValues(spec, inputs[spec.key], file));
      const runner = await compile();
      const signatureKey = signatures.has(key) ? key : [...signatures.keys()][0]!;
      let session;
      try {
        session = await liteRtInstance.exclusive(async () => {
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
        throw new ModelportError(`the TFLite runtime failed on signature "${key}": ${oneLine((e as Error).message)}${lines.length ? ` (${lastLines(lines)})` : ''}`, { file }, { cause: e });
      }
      // LiteRT prints kernel errors and resolves anyway, with garbage: what it printed decides.
      const errors = session.lines.filter((l) => /^ERROR/i.test(l.trim()));
      if (errors.length) throw new ModelportError(`the TFLite runtime reported an error on signature "${key}": ${errors.slice(0, 3).join(' | ')}`, { file });
      return session.result;
    },
    async dispose() {
      const c = compiled;
      compiled = undefined;
      if (c && generation === liteRtInstance.generation) await liteRtInstance.exclusive(async () => c.delete()).catch(() => undefined);
    },
  };
}
