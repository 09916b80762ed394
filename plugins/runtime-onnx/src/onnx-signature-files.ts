import { ModelLoadError, type SignatureFiles } from '@modelport/core';
import { decodeOnnxModel } from './decode-onnx-model.js';

/** metadata_props key under which modelport's ONNX exporter indexes the files of a multi-signature artifact. */
export const SIGNATURES_METADATA = 'modelport.signatures';

/** The metadata_props of a ModelProto, by key. */
export function onnxMetadata(bytes: Uint8Array, file: string): Map<string, string> {
  const model = decodeOnnxModel(bytes, file);
  return new Map((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
}

/** The signature index of a main .onnx file, or undefined for a file that holds its one signature alone. */
export function signatureFilesOf(metadata: ReadonlyMap<string, string>, file: string): SignatureFiles | undefined {
  const text = metadata.get(SIGNATURES_METADATA);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as SignatureFiles;
  } catch (e) {
    throw new ModelLoadError(`metadata "${SIGNATURES_METADATA}" is not JSON: ${(e as Error).message}`, { file });
  }
}
