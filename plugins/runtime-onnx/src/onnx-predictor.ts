import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SIGNATURE, InvalidInputError, ModelportError, type Logger, type Predictor, type Signature, type TensorData } from '@modelport/core';
import { openOnnxSession, type OnnxRuntimeOptions, type OnnxSession } from './onnx-session.js';
import { onnxMetadata, signatureFilesOf } from './onnx-signature-files.js';

export type { OnnxRuntimeOptions } from './onnx-session.js';

async function readOnnx(file: string): Promise<Uint8Array> {
  const bytes = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new ModelportError(e.code === 'ENOENT' ? 'no such ONNX file' : `cannot read: ${e.message}`, { file });
  });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A Predictor over an .onnx file run by onnxruntime-node on the CPU. A file of one signature is
 * served as serving_default, its inputs and outputs by name (the exporter names them after the
 * source signature's keys). A main file that indexes other files (modelport.signatures) serves
 * every signature of the index, each from its own file; all are opened here, at load, so a missing
 * or broken file fails serving at start rather than on some later request.
 */
export async function loadOnnxPredictor(file: string, logger: Logger, options: OnnxRuntimeOptions): Promise<Predictor> {
  const bytes = await readOnnx(file);
  // Bytes protobuf cannot read are left to onnxruntime, whose refusal says why the model cannot load.
  const metadata = (() => { try { return onnxMetadata(bytes, file); } catch { return new Map<string, string>(); } })();
  const index = signatureFilesOf(metadata, file);
  const sessions = new Map<string, OnnxSession>();
  const signatures: Record<string, Signature> = {};
  try {
    if (!index) {
      sessions.set(DEFAULT_SIGNATURE, await openOnnxSession(bytes, file, options));
    } else {
      for (const [key, entry] of Object.entries(index)) {
        const own = path.resolve(path.dirname(file), entry.file);
        const session = own === path.resolve(file) ? await openOnnxSession(bytes, file, options) : await openOnnxSession(await readOnnx(own), own, options);
        sessions.set(key, session);
      }
    }
  } catch (e) {
    await Promise.all([...sessions.values()].map((s) => s.release()));
    throw e;
  }
  for (const [key, session] of sessions) {
    const entry = index?.[key];
    signatures[key] = { ...session.signature, ...(entry?.stages ? { stages: entry.stages } : {}), ...(entry?.moduleMetadata ? { moduleMetadata: entry.moduleMetadata } : {}) };
  }
  const defaultKey = sessions.has(DEFAULT_SIGNATURE) ? DEFAULT_SIGNATURE : [...sessions.keys()][0]!;
  logger.debug(`onnx: loaded ${file} (${sessions.size} signature(s): ${[...sessions.keys()].join(', ')})`);
  return {
    format: 'onnx',
    signatures,
    async predict(feeds: Readonly<Record<string, TensorData>>, key = defaultKey) {
      const session = sessions.get(key);
      if (!session) throw new InvalidInputError(`no signature "${key}"; the model has ${[...sessions.keys()].join(', ')}`, { file });
      return session.run(feeds, key);
    },
    async dispose() {
      await Promise.all([...sessions.values()].map((s) => s.release()));
    },
  };
}
