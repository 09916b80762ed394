import { bytesPerElement, sizeOfShape, type ConstantTensor, type Graph } from '@modelport/core';
import { assetsForm, labelsAsset, type AssetFile } from './assets.js';
import { assertTensorFlowCanLoad } from './check-loadable.js';
import { graphDefOf } from './graph-def.js';
import { lowerToTensorFlow } from './lower/index.js';
import { assertFloatInterface } from './refuse-integer-io.js';
import { encodeSavedModel, savedModelOf } from './saved-model.js';
import { signatureDefOf, signaturesOf } from './signature-def.js';
import { toVariables } from './variables/to-variables.js';

/** protobuf refuses messages past 2 GiB; the graph besides its constants is given this much room. */
export const FROZEN_LIMIT_BYTES = 2 ** 31 - 2 ** 26;

export interface SavedModelExportOptions {
  /** Weights as variables in a tensor bundle instead of Const nodes. */
  readonly variables: boolean;
  /** Files for assets/, already read. */
  readonly assets: readonly AssetFile[];
  /** A frozen graph whose constants pass this many bytes gets variables by itself. */
  readonly frozenLimitBytes?: number;
}

export interface SavedModelExport {
  readonly savedModelPb: Uint8Array;
  /** The variables' values by checkpoint key (absent: frozen). */
  readonly variables?: ReadonlyMap<string, ConstantTensor>;
  readonly assets: readonly AssetFile[];
  readonly notes: string[];
  readonly details: { readonly nodes: number; readonly ops: string[]; readonly weights: 'frozen' | 'variables'; readonly variables: number; readonly signatures: string[]; readonly assets: string[] };
}

/** Bytes the constants take encoded (strings by their length). */
export function constantBytes(graph: Graph): number {
  let n = 0;
  for (const c of graph.constants.values()) {
    n += c.dtype === 'string' ? (c.values as Uint8Array[]).reduce((s, b) => s + b.length, 0) : sizeOfShape(c.shape) * bytesPerElement(c.dtype);
  }
  return n;
}

const gb = (bytes: number) => (bytes / 2 ** 30).toFixed(2);

/**
 * The SavedModel of a graph, in memory: lowered to TensorFlow's ops, checked against its op
 * registry, weights frozen or as variables, signatures, assets. Nothing is written here.
 */
export function exportSavedModel(source: Graph, opts: SavedModelExportOptions): SavedModelExport {
  assertFloatInterface(source);
  const notes: string[] = [];
  const lowered = lowerToTensorFlow({ ...source, signatures: signaturesOf(source) });
  const weightBytes = constantBytes(lowered);
  const limit = opts.frozenLimitBytes ?? FROZEN_LIMIT_BYTES;
  const useVariables = opts.variables || weightBytes > limit;
  if (!opts.variables && useVariables) notes.push(`savedmodel: weights of ${gb(weightBytes)} GB written as variables (a frozen graph passes protobuf's 2 GB limit)`);
  const form = useVariables ? toVariables(lowered) : undefined;
  let graph = form?.graph ?? lowered;
  const labels = labelsAsset(source);
  const assets = [...opts.assets, ...(labels && !opts.assets.some((a) => a.name === labels.name) ? [labels] : [])];
  const assetForm = assetsForm(assets, new Set(graph.nodes.map((n) => n.name)));
  graph = { ...graph, nodes: [...graph.nodes, ...assetForm.nodes], constants: new Map([...graph.constants, ...assetForm.constants]) };
  const graphDef = graphDefOf(graph);
  assertTensorFlowCanLoad(graphDef);
  const signatureDefs = Object.fromEntries(Object.entries(graph.signatures).map(([k, s]) => [k, signatureDefOf(s)]));
  const collectionDef = { ...form?.collectionDef, ...assetForm.collectionDef };
  const savedModel = savedModelOf(graphDef, signatureDefs, {
    ...(form ? { saverDef: form.saverDef } : {}),
    ...(Object.keys(collectionDef).length ? { collectionDef } : {}),
    assetFileDef: assetForm.assetFileDef,
  });
  return {
    savedModelPb: encodeSavedModel(savedModel),
    ...(form ? { variables: form.tensors } : {}),
    assets, notes,
    details: {
      nodes: graphDef.node.length, ops: [...new Set(graphDef.node.map((n) => n.op))].sort(),
      weights: form ? 'variables' : 'frozen', variables: form?.tensors.size ?? 0,
      signatures: Object.keys(signatureDefs), assets: assets.map((a) => a.name),
    },
  };
}
