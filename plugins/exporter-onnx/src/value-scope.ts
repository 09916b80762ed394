import type { TensorRef } from '@modelport/core';
import type { Value } from './value.js';

/**
 * IR tensor → ONNX value, per graph being built. A Loop body or If branch gets a child scope: its
 * own values (loop-carried inputs, switched tensors) first, then the enclosing graph's, which an
 * ONNX subgraph may read by name.
 */
export class ValueScope {
  private readonly own = new Map<TensorRef, Value>();

  constructor(private readonly parent?: ValueScope) {}

  get(ref: TensorRef): Value | undefined {
    return this.own.get(ref) ?? this.parent?.get(ref);
  }

  set(ref: TensorRef, value: Value): void {
    this.own.set(ref, value);
  }

  child(): ValueScope {
    return new ValueScope(this);
  }
}
