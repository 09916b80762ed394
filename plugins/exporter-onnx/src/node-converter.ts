import { internalErrorAt, isInternal, parseTensorRef, type Node } from '@modelport/core';
import { nodeError, UnsupportedVariant, type ConversionContext, type OnnxOpTable } from './converter.js';
import type { OnnxGraphEmitter } from './graph-emitter.js';
import type { Int8Forms } from './quantize/int8-nodes.js';
import { isHandle } from './ops/tensor-array.js';
import type { Value } from './value.js';
import type { ValueScope } from './value-scope.js';

/**
 * Converts IR nodes one at a time through the op table, into whichever graph (main, Loop body,
 * If branch) is being built. Refusals are collected, not thrown, so that the exporter can list
 * every unsupported node at once; nodes downstream of a refused one are skipped.
 */
export class NodeConverter {
  readonly refused: { node: string; op: string }[] = [];
  readonly ops = new Set<string>();
  private readonly poisoned = new Set<string>();
  private readonly counted = new Set<string>();

  constructor(readonly table: OnnxOpTable, readonly int8?: Int8Forms) {}

  get converted(): number {
    return this.counted.size;
  }

  /** Records a node this converter cannot translate (control flow of an unsupported shape …). */
  refuse(node: Node, reason: string): void {
    this.refused.push({ node: node.name, op: `${node.op} (${reason})` });
    this.poisoned.add(node.name);
  }

  isPoisoned(ref: string): boolean {
    return this.poisoned.has(parseTensorRef(ref).node);
  }

  poison(name: string): void {
    this.poisoned.add(name);
  }

  /** Converts `node`, reading its inputs from `scope` and recording its outputs there. */
  convert(node: Node, emit: OnnxGraphEmitter, scope: ValueScope, table: OnnxOpTable = this.table): void {
    if (node.inputs.some((r) => this.isPoisoned(r))) { this.poisoned.add(node.name); return; }
    const inputs = node.inputs.map((r) => {
      const v = scope.get(r);
      if (!v) throw nodeError(node, `input "${r}" was not converted (a graph input missing from the signature?)`);
      return v;
    });
    if (inputs.some(isHandle) && !/^(TensorArray|TensorList)|^Identity$/.test(node.op)) {
      this.refuse(node, 'reads a TensorArray/TensorList handle as data');
      return;
    }
    const converter = table[node.op];
    if (!converter) { this.refuse(node, 'no ONNX translation'); return; }
    emit.prefix = node.name;
    try {
      const int8 = node.quantized === 'int8' ? this.int8 : undefined;
      const same = int8?.clampsNothing(node, emit, inputs[0]!);
      if (same) { scope.set(`${node.name}:0`, same); this.ops.add(node.op); this.counted.add(node.name); return; }
      const out = converter(contextFor(node, emit, int8 ? int8.inputsOf(node, emit, inputs) : inputs));
      const floats = Array.isArray(out) ? out : [out as Value];
      const list = int8 ? int8.outputsOf(node, emit, floats) : floats;
      list.forEach((v, i) => scope.set(`${node.name}:${i}`, v));
      this.ops.add(node.op);
      this.counted.add(node.name);
    } catch (e) {
      if (isInternal(e)) throw internalErrorAt(e, { node: node.name, op: node.op });
      if (!(e instanceof UnsupportedVariant)) throw e;
      this.refuse(node, e.reason);
    }
  }
}

function contextFor(node: Node, emit: OnnxGraphEmitter, inputs: readonly Value[]): ConversionContext {
  return {
    node, emit, opset: emit.opset, inputs,
    input(i) {
      const v = inputs[i];
      if (!v) throw nodeError(node, `needs at least ${i + 1} input(s), has ${inputs.length}`);
      return v;
    },
    known(i, what) {
      const v = this.input(i);
      if (!v.known) throw new UnsupportedVariant(`${what} (input ${i}) must be known at export time`);
      return v.known;
    },
    fail: (message) => nodeError(node, message),
  };
}
