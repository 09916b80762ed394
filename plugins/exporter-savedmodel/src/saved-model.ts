import { messageType } from '@modelport/savedmodel';
import type { GraphDefObject } from './graph-def.js';
import { TF_OPS } from './op-registry.js';

/** The one tag TensorFlow Serving, the TF1 loader and tf.saved_model.load look for by default. */
export const SERVE_TAG = 'serve';

/** What a MetaGraphDef holds besides the graph and its signatures (variables, assets). */
export interface MetaGraphExtras {
  readonly saverDef?: Record<string, unknown>;
  readonly collectionDef?: Record<string, Record<string, unknown>>;
  readonly assetFileDef?: Record<string, unknown>[];
}

/** The OpDefs of every op in the graph, by name, as TensorFlow writes meta_info_def.stripped_op_list. */
export function strippedOpList(graphDef: GraphDefObject): { op: unknown[] } {
  const ops = [...new Set(graphDef.node.map((n) => n.op))].sort();
  return { op: ops.map((op) => TF_OPS.get(op)!) };
}

/** The SavedModel message object: one MetaGraphDef tagged "serve". */
export function savedModelOf(graphDef: GraphDefObject, signatureDefs: Record<string, unknown>, extras: MetaGraphExtras = {}): Record<string, unknown> {
  return {
    savedModelSchemaVersion: 1,
    metaGraphs: [{
      metaInfoDef: { strippedOpList: strippedOpList(graphDef), tags: [SERVE_TAG] },
      graphDef,
      ...(extras.saverDef ? { saverDef: extras.saverDef } : {}),
      ...(extras.collectionDef ? { collectionDef: extras.collectionDef } : {}),
      signatureDef: signatureDefs,
      ...(extras.assetFileDef?.length ? { assetFileDef: extras.assetFileDef } : {}),
    }],
  };
}

/** saved_model.pb's bytes. */
export function encodeSavedModel(savedModel: Record<string, unknown>): Uint8Array {
  const type = messageType('SavedModel');
  return type.encode(type.fromObject(savedModel)).finish();
}
