import type { TypedArray } from '@modelport/core';
import { BuiltinOperator, type BuiltinOperatorName } from './op-facts.js';
import { BUILTIN_OPERATOR_NAMES } from './schema/enums.js';
import type { MetadataSpec, ModelSpec, OperatorCodeSpec, SignatureDefSpec, SubGraphSpec } from './schema/model-spec.js';
import { bytesOf } from './tflite-dtype.js';

/**
 * The parts of a .tflite model that its subgraphs share: buffers (weights, deduplicated by key so
 * that signatures sharing a weight share its bytes) and the operator code table.
 */
export class TfliteModelBuilder {
  private readonly buffers: (Uint8Array | undefined)[] = [undefined]; // 0: the empty sentinel
  private readonly bufferKeys = new Map<string, number>();
  private readonly codes: OperatorCodeSpec[] = [];
  private readonly codeIndex = new Map<number, number>();
  private readonly subgraphs: SubGraphSpec[] = [];

  /** Distinct float16 and int8 weight buffers written (for the export summary). */
  float16Buffers = 0;
  int8Buffers = 0;

  /** A buffer holding `values`; the same key returns the same buffer. */
  buffer(values: TypedArray, key?: string): number {
    const known = key === undefined ? undefined : this.bufferKeys.get(key);
    if (known !== undefined) return known;
    if (values instanceof Uint16Array) this.float16Buffers++;
    if (values instanceof Int8Array) this.int8Buffers++;
    const bytes = bytesOf(values);
    this.buffers.push(bytes.byteLength ? bytes : undefined);
    const index = this.buffers.length - 1;
    if (key !== undefined) this.bufferKeys.set(key, index);
    return index;
  }

  /** A buffer of raw bytes (metadata). */
  rawBuffer(bytes: Uint8Array): number {
    this.buffers.push(bytes);
    return this.buffers.length - 1;
  }

  /** The op code of `op`, at the highest version any of its uses needs (one code per op). */
  opcodeIndex(op: BuiltinOperatorName, version: number): number {
    const code = BuiltinOperator[op];
    let index = this.codeIndex.get(code);
    if (index === undefined) {
      index = this.codes.length;
      this.codes.push({ builtinCode: code, version });
      this.codeIndex.set(code, index);
    } else if (this.codes[index]!.version < version) {
      this.codes[index] = { builtinCode: code, version };
    }
    return index;
  }

  /** Adds a finished subgraph; returns its index. */
  addSubGraph(subgraph: SubGraphSpec): number {
    this.subgraphs.push(subgraph);
    return this.subgraphs.length - 1;
  }

  /** Builtin op names used, in code table order. */
  get operatorNames(): string[] {
    return this.codes.map((c) => BUILTIN_OPERATOR_NAMES.get(c.builtinCode)!);
  }

  build(description: string, metadata: readonly MetadataSpec[], signatureDefs: readonly SignatureDefSpec[]): ModelSpec {
    return { description, operatorCodes: this.codes, subgraphs: this.subgraphs, buffers: this.buffers, metadata, signatureDefs };
  }
}
