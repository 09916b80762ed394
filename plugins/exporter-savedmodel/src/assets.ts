import { OptionsError, type Graph, type Node, type ConstantTensor } from '@modelport/core';
import { messageType } from '@modelport/savedmodel';
import { constNode, stringTensor } from './variables/ir-nodes.js';

/** One file for assets/: its name there and its bytes. */
export interface AssetFile { readonly name: string; readonly bytes: Uint8Array }

export interface AssetsForm {
  readonly nodes: Node[];
  readonly constants: ReadonlyMap<string, ConstantTensor>;
  readonly assetFileDef: Record<string, unknown>[];
  readonly collectionDef: Record<string, Record<string, unknown>>;
}

/**
 * The labels an output module kept (the classification module's moduleMetadata.classification.labels;
 * another module's `labels` otherwise), as assets/labels.txt, one per line.
 */
export function labelsAsset(graph: Graph): AssetFile | undefined {
  const kept = Object.values(graph.signatures).flatMap((s) => {
    const m = s.moduleMetadata ?? {};
    return [m.classification?.labels, ...Object.values(m).map((x) => x.labels)];
  });
  const labels = kept.find((l): l is unknown[] => Array.isArray(l) && l.length > 0);
  return labels ? { name: 'labels.txt', bytes: Buffer.from(`${labels.map(String).join('\n')}\n`) } : undefined;
}

/** An asset's name in assets/: a plain file name, no folder. */
export function checkAssetName(name: string): void {
  if (!name || name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
    throw new OptionsError(`targetOptions.savedmodel.assets: "${name}" is not a file name (assets/ holds plain files)`);
  }
}

/**
 * Per asset a Const string node holding its file name (TensorFlow's loader feeds the asset's path
 * there), its AssetFileDef, and the collections a TF1 builder writes: "saved_model_assets"
 * (AssetFileDef in Any) and "asset_filepaths" (the tensors).
 */
export function assetsForm(files: readonly AssetFile[], taken: ReadonlySet<string>): AssetsForm {
  const nodes: Node[] = [];
  const constants = new Map<string, ConstantTensor>();
  const defs: Record<string, unknown>[] = [];
  const AssetFileDef = messageType('AssetFileDef');
  for (const f of files) {
    let name = `asset_path/${f.name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    for (let i = 1; taken.has(name) || constants.has(name); i++) name = `asset_path/${f.name.replace(/[^A-Za-z0-9_.-]/g, '_')}_${i}`;
    const c = constNode(name, stringTensor([f.name]));
    nodes.push(c.node); constants.set(name, c.value);
    defs.push({ tensorInfo: { name: `${name}:0`, dtype: 'DT_STRING', tensorShape: {} }, filename: f.name });
  }
  if (!defs.length) return { nodes, constants, assetFileDef: [], collectionDef: {} };
  return {
    nodes, constants, assetFileDef: defs,
    collectionDef: {
      saved_model_assets: { anyList: { value: defs.map((d) => ({ typeUrl: 'type.googleapis.com/tensorflow.AssetFileDef', value: AssetFileDef.encode(AssetFileDef.fromObject(d)).finish() })) } },
      asset_filepaths: { nodeList: { value: defs.map((d) => (d.tensorInfo as { name: string }).name) } },
    },
  };
}
