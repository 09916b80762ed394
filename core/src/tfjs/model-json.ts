/** The JSON shapes of a tfjs model.json, as the tfjs converter writes and tf.loadGraphModel reads them. */

export interface TfjsWeightQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
  original_dtype?: string;
}

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: TfjsWeightQuantization;
}

export interface TfjsWeightGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

export interface TfjsTensorShapeJson {
  dim?: { size?: string | number }[];
  unknownRank?: boolean;
}

export interface TfjsNodeJson {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, Record<string, any>>;
  device?: string;
}

export interface TfjsSignatureTensorJson {
  name: string;
  dtype: string;
  tensorShape?: TfjsTensorShapeJson;
}

export interface TfjsSignatureJson {
  inputs?: Record<string, TfjsSignatureTensorJson>;
  outputs?: Record<string, TfjsSignatureTensorJson>;
  methodName?: string;
}

export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: any;
  weightsManifest: TfjsWeightGroup[];
  signature?: TfjsSignatureJson;
  userDefinedMetadata?: Record<string, unknown>;
  modelInitializer?: unknown;
}

export function isGraphModelJson(json: TfjsModelJson): boolean {
  return json.format === 'graph-model' || Array.isArray(json.modelTopology?.node);
}

export function isLayersModelJson(json: TfjsModelJson): boolean {
  return json.format === 'layers-model' || typeof json.modelTopology?.class_name === 'string' || typeof json.modelTopology?.model_config === 'object';
}
