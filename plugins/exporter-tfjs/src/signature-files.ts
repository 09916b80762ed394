import path from 'node:path';
import { DEFAULT_SIGNATURE, signatureFileEntry, signatureFileStem, signatureGraph, signatureKeysDefaultFirst, type Graph, type SignatureFiles } from '@modelport/core';

/** One graph model to write: the signature it holds, its folder, and that signature's graph alone. */
export interface TfjsSignatureFolder {
  readonly key: string;
  /** Folder relative to the artifact folder; its model.json holds the signature as serving_default. */
  readonly directory: string;
  readonly graph: Graph;
}

/**
 * A tfjs graph model holds one signature per model.json: the default signature goes to
 * `directory/model.json`, every other one to `directory/<key>/model.json` with its own shards,
 * each pruned to the nodes its outputs need and stored as the file's serving_default. A graph of
 * one signature is written whole, as before (no index in its metadata).
 */
export function planTfjsFolders(graph: Graph, directory: string): { folders: TfjsSignatureFolder[]; index?: SignatureFiles } {
  const keys = signatureKeysDefaultFirst(graph);
  if (keys.length <= 1) return { folders: [{ key: keys[0]!, directory, graph }] };
  const reserved = new Set<string>();
  const folders = keys.map((key, i) => {
    const graphOf = signatureGraph(graph, key, DEFAULT_SIGNATURE);
    if (i === 0) return { key, directory, graph: graphOf };
    const stem = signatureFileStem(key, reserved);
    reserved.add(stem);
    return { key, directory: path.posix.join(directory, stem), graph: graphOf };
  });
  const index = Object.fromEntries(folders.map((f) => [f.key, signatureFileEntry(graph.signatures[f.key]!, path.posix.join(path.posix.relative(directory, f.directory), 'model.json'))]));
  return { folders, index };
}
