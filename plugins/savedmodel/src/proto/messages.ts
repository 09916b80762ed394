import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** The package's proto/tensorflow.proto: TensorFlow's messages with TensorFlow's field numbers. */
const PROTO_FILE = fileURLToPath(new URL('../../../proto/tensorflow.proto', import.meta.url));

let root: protobuf.Root | undefined;

/** The parsed TensorFlow messages (loaded once, on first use). */
export function tensorflowProto(): protobuf.Root {
  root ??= protobuf.loadSync(PROTO_FILE);
  return root;
}

/** One TensorFlow message type by its name in package tensorflow ("SavedModel", "BundleEntryProto", "MetaGraphDef.MetaInfoDef"). */
export function messageType(name: string): protobuf.Type {
  return tensorflowProto().lookupType(`tensorflow.${name}`);
}

/**
 * How messages become plain objects here: camelCase fields (protobufjs's default, as tfjs
 * model.json spells them), int64 as decimal strings, enums by name, bytes as Uint8Array.
 */
export const TO_OBJECT_OPTIONS: protobuf.IConversionOptions = { longs: String, enums: String, bytes: Uint8Array, defaults: false, arrays: false };
