import { promises as fs } from 'node:fs';
import * as ort from 'onnxruntime-node';
import {
  DEFAULT_SIGNATURE, InvalidInputError, ModelportError, type Logger, type Predictor, type Signature, type SignatureTensor, type TensorData,
} from '@modelport/core';
import { fromOrtTensor, toOrtTensor } from './tensor-conversion.js';

export interface OnnxRuntimeOptions {
  readonly intraOpNumThreads: number;
  readonly allowSpinning?: boolean;
  readonly graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
}

const ORT_TO_DTYPE: Readonly<Record<string, string>> = { float16: 'float16', uint64: 'int64' };

function signatureTensor(m: ort.InferenceSession.ValueMetadata): SignatureTensor {
  if (!m.isTensor) return { name: m.name, dtype: 'unknown', shape: null };
  const shape = m.shape.length === 0 ? [] : m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1));
  return { name: m.name, dtype: ORT_TO_DTYPE[m.type] ?? m.type, shape };
}

/**
 * A Predictor over an .onnx file run by onnxruntime-node on the CPU. Its one signature,
 * serving_default, is the model's inputs and outputs by name: the exporter names them after the
 * source signature's keys, so callers use the same names as for the source.
 */
export async function loadOnnxPredictor(file: string, logger: Logger, options: OnnxRuntimeOptions): Promise<Predictor> {
  const bytes = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new ModelportError(e.code === 'ENOENT' ? 'no such ONNX file' : `cannot read: ${e.message}`, { file });
  });
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: options.graphOptimizationLevel,
      ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
      // Spinning worker threads would take the cores Node's own thread needs (a server parses JSON there).
      ...(options.allowSpinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } }),
      logSeverityLevel: 4, // fatal only: errors reach the caller as exceptions, a library prints nothing
    });
  } catch (e) {
    const reason = (e as Error).message.split('\n')[0];
    throw new ModelportError(`onnxruntime cannot load this model (not an ONNX file, truncated, or invalid): ${reason}`, { file }, { cause: e });
  }
  const inputs = Object.fromEntries(session.inputMetadata.map((m) => [m.name, signatureTensor(m)]));
  const outputs = Object.fromEntries(session.outputMetadata.map((m) => [m.name, signatureTensor(m)]));
  const signature: Signature = { inputs, outputs };
  const declared = new Map(session.inputMetadata.flatMap((m) => (m.isTensor ? [[m.name, m.type as string] as const] : [])));
  logger.debug(`onnx: loaded ${file} (${session.inputNames.length} inputs, ${session.outputNames.length} outputs)`);
  return {
    format: 'onnx',
    signatures: { [DEFAULT_SIGNATURE]: signature },
    async predict(feeds: Readonly<Record<string, TensorData>>, key = DEFAULT_SIGNATURE) {
      if (key !== DEFAULT_SIGNATURE) throw new InvalidInputError(`no signature "${key}"; an ONNX model has only ${DEFAULT_SIGNATURE}`, { file });
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, spec] of Object.entries(inputs)) {
        const value = feeds[name];
        if (!value) throw new InvalidInputError(`input "${name}" is missing; the model takes ${Object.keys(inputs).join(', ')}`, { file });
        ortFeeds[name] = toOrtTensor(value, declared.get(name) ?? spec.dtype, name, file);
      }
      let results: ort.InferenceSession.OnnxValueMapType;
      try {
        results = await session.run(ortFeeds);
      } catch (e) {
        throw new ModelportError(`onnxruntime failed to run the model: ${(e as Error).message.split('\n')[0]}`, { file }, { cause: e });
      }
      return Object.fromEntries(session.outputNames.map((n) => [n, fromOrtTensor(results[n] as ort.Tensor)]));
    },
    async dispose() {
      await session.release();
    },
  };
}
