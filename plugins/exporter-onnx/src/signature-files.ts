import path from 'node:path';
import { signatureFileEntry, signatureFileStem, signatureGraph, signatureKeysDefaultFirst, type Graph, type SignatureFiles } from '@modelport/core';

/** metadata_props key of the main file: JSON { signature key: { file, stages?, moduleMetadata? } }, its own signature included. */
export const SIGNATURES_METADATA = 'modelport.signatures';

/** One .onnx file to write: the signature it holds and that signature's graph alone. */
export interface OnnxSignatureFile {
  readonly key: string;
  /** Relative to the artifact folder. */
  readonly file: string;
  readonly graph: Graph;
}

/**
 * ONNX holds one signature per file: the default signature goes to `mainFile`, every other one to
 * `<key>.onnx` beside it, each pruned to the nodes its outputs need. A graph of one signature is
 * written whole, as before (no index in its metadata).
 */
export function planOnnxFiles(graph: Graph, mainFile: string): { files: OnnxSignatureFile[]; index?: SignatureFiles } {
  const keys = signatureKeysDefaultFirst(graph);
  if (keys.length <= 1) return { files: [{ key: keys[0]!, file: mainFile, graph }] };
  const dir = path.posix.dirname(mainFile);
  const reserved = new Set([path.posix.basename(mainFile, '.onnx')]);
  const files = keys.map((key, i) => {
    if (i === 0) return { key, file: mainFile, graph: signatureGraph(graph, key) };
    const stem = signatureFileStem(key, reserved);
    reserved.add(stem);
    return { key, file: path.posix.join(dir, `${stem}.onnx`), graph: signatureGraph(graph, key) };
  });
  const index = Object.fromEntries(files.map((f) => [f.key, signatureFileEntry(graph.signatures[f.key]!, path.posix.relative(dir, f.file))]));
  return { files, index };
}
