import { ModelLoadError } from '@modelport/core';
import { looksLikeTflite, readTflite, type TfliteModelInfo } from './read-tflite.js';
import { builtinOperatorName, tensorTypeName } from './tflite-names.js';

export interface TfliteTensorDescription {
  readonly dtype: string;
  /** As the file holds it; -1 where its shape_signature says the dimension is dynamic. */
  readonly shape: readonly number[];
  /** The source's shape when the export pinned it (modelport metadata), -1 for each dimension pinned. */
  readonly declaredShape?: readonly number[];
}

/** An input the export replaced by a constant: its dtype, shape and value. */
export interface FrozenInputDescription {
  /** The tensor the source fed. */
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

/** What `modelport inspect model.tflite` prints. */
export interface TfliteDescription {
  /** Operator counts by builtin name (custom ops by their custom code), over all subgraphs. */
  readonly ops: Readonly<Record<string, number>>;
  /** Tensors over all subgraphs. */
  readonly tensors: number;
  readonly signatures: Readonly<Record<string, {
    readonly inputs: Readonly<Record<string, TfliteTensorDescription>>;
    readonly outputs: Readonly<Record<string, TfliteTensorDescription>>;
    /** Inputs of the source made constants at export (--input-value), from the modelport metadata. */
    readonly frozenInputs?: Readonly<Record<string, FrozenInputDescription>>;
    /** The stages export modules composed it of, from the modelport metadata. */
    readonly stages?: readonly string[];
    /** What those modules left for callers, by module name, from the modelport metadata. */
    readonly moduleMetadata?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  }>>;
  /** File size in bytes. */
  readonly size: number;
  readonly schemaVersion: number;
  readonly description: string;
  readonly subgraphs: number;
  /** Bytes of weights. */
  readonly weightBytes: number;
  /** Names of the metadata entries. */
  readonly metadata: readonly string[];
}

/**
 * Reads a .tflite model's structure; bytes that are not one (cut short, another format) give a
 * ModelLoadError naming `file`.
 */
export function parseTflite(bytes: Uint8Array, file: string): TfliteModelInfo {
  if (!looksLikeTflite(bytes)) {
    throw new ModelLoadError(`not a TFLite model: ${bytes.byteLength < 8 ? `only ${bytes.byteLength} bytes` : 'no "TFL3" file identifier'} (expected a .tflite flatbuffer, schema 3)`, { file });
  }
  try {
    return readTflite(bytes);
  } catch (e) {
    throw new ModelLoadError(`the TFLite model is cut short or corrupt: ${(e as Error).message}`, { file }, { cause: e });
  }
}

/** What modelport's exporter recorded in the "modelport" metadata entry; {} for other producers. */
export interface ModelportMetadata {
  readonly producer?: string;
  readonly signatures?: Record<string, {
    inputs?: Record<string, { dtype?: string; shape?: number[] }>;
    outputs?: Record<string, { dtype?: string; shape?: number[]; sizedAtRunTime?: boolean }>;
    frozenInputs?: Record<string, FrozenInputDescription>;
    stages?: string[];
    moduleMetadata?: Record<string, Record<string, unknown>>;
  }>;
}

export function modelportMetadata(model: TfliteModelInfo): ModelportMetadata {
  const bytes = model.metadata.get('modelport');
  if (!bytes) return {};
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as ModelportMetadata;
  } catch {
    return {};
  }
}

export function describeTflite(bytes: Uint8Array, file = 'model.tflite'): TfliteDescription {
  const model = parseTflite(bytes, file);
  const ops: Record<string, number> = {};
  for (const g of model.subgraphs) {
    for (const code of g.operators) {
      const c = model.opCodes[code];
      const name = c ? c.custom ?? builtinOperatorName(c.builtin) : `opcode${code}`;
      ops[name] = (ops[name] ?? 0) + 1;
    }
  }
  const declared = modelportMetadata(model).signatures ?? {};
  const signatures: Record<string, TfliteDescription['signatures'][string]> = {};
  for (const s of model.signatures) {
    const g = model.subgraphs[s.subgraph];
    const tensor = (i: number, source?: { shape?: number[] }): TfliteTensorDescription => {
      const t = g?.tensors[i];
      if (!t) return { dtype: 'unknown', shape: [] };
      const shape = t.shapeSignature ?? t.shape;
      const declared = source?.shape;
      const pinned = declared !== undefined && (declared.length !== shape.length || declared.some((d, k) => d !== shape[k]));
      return { dtype: tensorTypeName(t.type), shape, ...(pinned ? { declaredShape: declared } : {}) };
    };
    signatures[s.key] = {
      inputs: Object.fromEntries(s.inputs.map((m) => [m.name, tensor(m.tensor, declared[s.key]?.inputs?.[m.name])])),
      outputs: Object.fromEntries(s.outputs.map((m) => [m.name, tensor(m.tensor, declared[s.key]?.outputs?.[m.name])])),
      ...(declared[s.key]?.frozenInputs ? { frozenInputs: declared[s.key]!.frozenInputs! } : {}),
      ...(declared[s.key]?.stages ? { stages: declared[s.key]!.stages! } : {}),
      ...(declared[s.key]?.moduleMetadata ? { moduleMetadata: declared[s.key]!.moduleMetadata! } : {}),
    };
  }
  return {
    ops, tensors: model.subgraphs.reduce((n, g) => n + g.tensors.length, 0), signatures, size: bytes.byteLength,
    schemaVersion: model.version, description: model.description, subgraphs: model.subgraphs.length,
    weightBytes: model.bufferBytes, metadata: [...model.metadata.keys()],
  };
}
