import type { TfjsNodeJson, TfjsSignatureTensorJson, TfjsTensorShapeJson } from '@modelport/core';

// The SavedModel messages as plain objects (protobufjs toObject with int64 and enums as strings,
// bytes as base64): the same proto3 JSON shape a tfjs model.json's modelTopology has.

export interface NodeDefObject extends TfjsNodeJson {}

export interface FunctionDefObject {
  signature?: { name?: string };
  nodeDef?: NodeDefObject[];
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
  metaInfoDef?: { tags?: string[]; tensorflowVersion?: string; tensorflowGitVersion?: string; metaGraphVersion?: string };
  graphDef?: GraphDefObject;
  saverDef?: { filenameTensorName?: string; restoreOpName?: string; version?: string };
  signatureDef?: Record<string, SignatureDefObject>;
  assetFileDef?: { filename?: string; tensorInfo?: { name?: string } }[];
}

export interface SavedModelObject {
  savedModelSchemaVersion?: string;
  metaGraphs?: MetaGraphDefObject[];
}
