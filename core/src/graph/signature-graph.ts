import { GraphError } from '../errors.js';
import { dataAndControlAncestors } from './query.js';
import { DEFAULT_SIGNATURE, type ConstantTensor, type Graph, type Signature } from './types.js';

/** The key of the signature a format holding one signature per file keeps in its usual file: serving_default, else the first. */
export function defaultSignatureKey(graph: Graph): string {
  const keys = Object.keys(graph.signatures);
  return graph.signatures[DEFAULT_SIGNATURE] ? DEFAULT_SIGNATURE : keys[0] ?? DEFAULT_SIGNATURE;
}

/** Signature keys with the default one first: the order files are written in. */
export function signatureKeysDefaultFirst(graph: Graph): string[] {
  const main = defaultSignatureKey(graph);
  return [main, ...Object.keys(graph.signatures).filter((k) => k !== main)];
}

/**
 * The graph of one signature only: the nodes its outputs depend on (by data or control, so a loop's
 * frames stay whole), their weights and Placeholders, and that signature alone. A format that holds
 * one signature per file writes each from this, so no file carries another signature's copy of the model.
 */
export function signatureGraph(graph: Graph, key: string, as: string = key): Graph {
  const signature = graph.signatures[key];
  if (!signature) throw new GraphError(`no signature "${key}"; the graph has ${Object.keys(graph.signatures).join(', ') || 'none'}`);
  const outputs = Object.values(signature.outputs).map((t) => t.name);
  const needed = dataAndControlAncestors(graph, outputs);
  const constants = new Map<string, ConstantTensor>();
  for (const [k, v] of graph.constants) if (needed.has(k)) constants.set(k, v);
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => needed.has(n.name)),
    constants,
    inputs: graph.inputs.filter((n) => needed.has(n)),
    outputs,
    signatures: { [as]: signature } as Record<string, Signature>,
  };
}

/** Where one signature of a multi-file artifact lives, and what its stages left. */
export interface SignatureFileEntry {
  /** Path relative to the folder of the file that records it. */
  readonly file: string;
  readonly stages?: readonly string[];
  readonly moduleMetadata?: Signature['moduleMetadata'];
}

/** What a format's main file records of every signature (its own included) so a runtime given only that file finds the others. */
export type SignatureFiles = Readonly<Record<string, SignatureFileEntry>>;

/** A file name for a signature key: characters outside [A-Za-z0-9_.-] become "_", and a name taken by `reserved` is prefixed. */
export function signatureFileStem(key: string, reserved: ReadonlySet<string>): string {
  const stem = key.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_');
  return reserved.has(stem) ? `signature-${stem}` : stem;
}

/** The entry of one signature: its file and, when composed from modules, its stages and their metadata. */
export function signatureFileEntry(signature: Signature, file: string): SignatureFileEntry {
  return {
    file,
    ...(signature.stages ? { stages: signature.stages } : {}),
    ...(signature.moduleMetadata ? { moduleMetadata: signature.moduleMetadata } : {}),
  };
}
