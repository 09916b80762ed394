import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageType, TO_OBJECT_OPTIONS } from '@modelport/savedmodel';

/** test/fixtures of this package (SavedModels TensorFlow 2.21 wrote), from dist/test/support. */
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** A saved_model.pb decoded to a plain object (camelCase fields, enums by name, int64 as strings). */
export function decodeSavedModel(file: string): any {
  const type = messageType('SavedModel');
  return type.toObject(type.decode(readFileSync(file)), TO_OBJECT_OPTIONS);
}

/** The OpDefs TensorFlow put in the stripped_op_list of every fixture, by op name. */
export function fixtureOpDefs(): Map<string, any> {
  const files = [
    path.join(FIXTURES, 'tf1-frozen-cnn/saved_model/saved_model.pb'),
    path.join(FIXTURES, 'tf1-variables-mlp/saved_model/saved_model.pb'),
    ...readdirSync(path.join(FIXTURES, 'op-lists')).map((f) => path.join(FIXTURES, 'op-lists', f)),
  ];
  const ops = new Map<string, any>();
  for (const f of files) for (const op of decodeSavedModel(f).metaGraphs[0].metaInfoDef.strippedOpList.op) ops.set(op.name, op);
  return ops;
}
