import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModelLoadError } from '@modelport/core';
import { protobufDecodeFailure } from '@modelport/core';
import { messageType } from '../proto/messages.js';
import type { SavedModelObject } from './saved-model-object.js';

export const SAVED_MODEL_PB = 'saved_model.pb';

/** Where a SavedModel lives: its directory and its saved_model.pb. */
export interface SavedModelLocation {
  readonly dir: string;
  readonly pbFile: string;
}

/** A SavedModel directory, or its saved_model.pb, as the directory and the .pb file. */
export async function locateSavedModel(pathToDirOrPb: string): Promise<SavedModelLocation> {
  const stat = await fs.stat(pathToDirOrPb).catch(() => undefined);
  if (!stat) throw new ModelLoadError('no such file or directory', { file: pathToDirOrPb });
  if (stat.isDirectory()) {
    const pbFile = path.join(pathToDirOrPb, SAVED_MODEL_PB);
    if (!(await fs.stat(pbFile).catch(() => undefined))?.isFile()) {
      throw new ModelLoadError(`the directory holds no ${SAVED_MODEL_PB}, so it is not a SavedModel (saved_model.pbtxt is not read)`, { file: pathToDirOrPb });
    }
    return { dir: pathToDirOrPb, pbFile };
  }
  return { dir: path.dirname(pathToDirOrPb), pbFile: pathToDirOrPb };
}

/** How the messages become plain objects: the proto3 JSON shape of a tfjs model.json (bytes as base64). */
const AS_JSON_SHAPE = { longs: String, enums: String, bytes: String, defaults: false, arrays: false } as const;

/**
 * saved_model.pb decoded and checked: a schema version of 1 and at least one MetaGraphDef with a
 * GraphDef. protobufjs's own errors on foreign or cut bytes become one
 * ModelLoadError naming the file and, in words, where the bytes go wrong.
 */
export async function decodeSavedModel(pbFile: string): Promise<SavedModelObject> {
  const bytes = await fs.readFile(pbFile);
  if (!bytes.byteLength) throw new ModelLoadError('the file is empty, not a SavedModel', { file: pbFile });
  const type = messageType('SavedModel');
  let object: SavedModelObject;
  try {
    object = type.toObject(type.decode(bytes), AS_JSON_SHAPE) as SavedModelObject;
  } catch (e) {
    throw new ModelLoadError(`not a SavedModel protobuf, or cut short: ${protobufDecodeFailure(e, bytes.byteLength)}; was the file copied whole?`, { file: pbFile }, { cause: e });
  }
  const version = object.savedModelSchemaVersion;
  if (version === undefined) throw new ModelLoadError('has no saved_model_schema_version: not a SavedModel protobuf', { file: pbFile });
  if (version !== '1') throw new ModelLoadError(`saved_model_schema_version is ${version}, not 1: a SavedModel this reader does not know`, { file: pbFile });
  const metaGraphs = object.metaGraphs ?? [];
  if (!metaGraphs.length) throw new ModelLoadError('the SavedModel holds no MetaGraphDef', { file: pbFile });
  if (!metaGraphs.some((m) => m.graphDef?.node?.length)) throw new ModelLoadError('no MetaGraphDef of the SavedModel holds a GraphDef with nodes', { file: pbFile });
  return object;
}
