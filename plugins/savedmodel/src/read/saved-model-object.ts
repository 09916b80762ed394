import type { TfjsNodeJson, TfjsSignatureTensorJson, TfjsTensorShapeJson } from '@modelport/core';

// The SavedModel messages as plain objects (protobufjs toObject with int64 and enums as strings,
// bytes as base64): the same proto3 JSON shape a tfjs model.json's modelTopology has.

export interface NodeDefObject extends TfjsNodeJson {}

/** An OpDef's argument: one tensor, or a list sized by an attribute. */
export interface ArgDefObject {
  name: string;
  numberAttr?: string;
  typeListAttr?: string;
}

export interface OpDefObject {
  name: string;
  inputArg?: ArgDefObject[];
  outputArg?: ArgDefObject[];
  attr?: { name: string; defaultValue?: Record<string, any> }[];
}

export interface FunctionDefObject {
  signature?: OpDefObject;
  nodeDef?: NodeDefObject[];
  /** Output arg name → "node:out_arg:index" (or an input arg's name). */
  ret?: Record<string, string>;
}

export interface GraphDefObject {
  node?: NodeDefObject[];
  versions?: { producer?: number; minConsumer?: number };
  library?: { function?: FunctionDefObject[] };
}

export interface SignatureDefObject {
  inputs?: Record<string, TfjsSignatureTensorJson & { tensorShape?: TfjsTensorShapeJson }>;
  outputs?: Record<string, TfjsSignatureTensorJson & { tensorShape?: TfjsTensorShapeJson }>;
  methodName?: string;
}

export interface MetaGraphDefObject {
  metaInfoDef?: { strippedOpList?: { op?: OpDefObject[] }; tags?: string[]; tensorflowVersion?: string; tensorflowGitVersion?: string; metaGraphVersion?: string };
  graphDef?: GraphDefObject;
  saverDef?: { filenameTensorName?: string; restoreOpName?: string; version?: string };
  signatureDef?: Record<string, SignatureDefObject>;
  assetFileDef?: { filename?: string; tensorInfo?: { name?: string } }[];
}

export interface SavedModelObject {
  savedModelSchemaVersion?: string;
  metaGraphs?: MetaGraphDefObject[];
}
