import './telemetry-off.js';
import * as ort from 'onnxruntime-node';
import { DEFAULT_SIGNATURE, InvalidInputError, ModelportError, type Signature, type SignatureTensor, type TensorData } from '@modelport/core';
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

/** One .onnx file in onnxruntime: its inputs and outputs as a signature, and a run by their names. */
export interface OnnxSession {
  readonly signature: Signature;
  run(feeds: Readonly<Record<string, TensorData>>, key: string): Promise<Record<string, TensorData>>;
  release(): Promise<void>;
}

/** Opens the model bytes of `file` in an onnxruntime CPU session. */
export async function openOnnxSession(bytes: Uint8Array, file: string, options: OnnxRuntimeOptions): Promise<OnnxSession> {
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
  const declared = new Map(session.inputMetadata.flatMap((m) => (m.isTensor ? [[m.name, m.type as string] as const] : [])));
  return {
    signature: { inputs, outputs },
    async run(feeds, key) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, spec] of Object.entries(inputs)) {
        const value = feeds[name];
        if (!value) throw new InvalidInputError(`input "${name}" is missing; ${key === DEFAULT_SIGNATURE ? 'the model' : `signature "${key}"`} takes ${Object.keys(inputs).join(', ')}`, { file });
        ortFeeds[name] = toOrtTensor(value, declared.get(name) ?? spec.dtype, name, file);
      }
      let results: ort.InferenceSession.OnnxValueMapType;
      try {
        results = await session.run(ortFeeds);
      } catch (e) {
        throw new ModelportError(`onnxruntime failed to run signature "${key}": ${(e as Error).message.split('\n')[0]}`, { file }, { cause: e });
      }
      return Object.fromEntries(session.outputNames.map((n) => [n, fromOrtTensor(results[n] as ort.Tensor)]));
    },
    release: () => session.release(),
  };
}
