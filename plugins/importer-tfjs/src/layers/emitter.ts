import type * as tf from '@tensorflow/tfjs';
import { GraphBuilder, GraphError, type AttrValue, type DType, type TensorRef } from '@modelport/core';
import type { LayerCall, LayerInfo, WeightValues } from './layer-call.js';

/** 'conv1/kernel:0' → 'kernel': the name a layer gave its weight, without scopes. */
function shortWeightName(variable: tf.LayerVariable): string {
  const full = variable.originalName ?? variable.name;
  return full.slice(full.lastIndexOf('/') + 1).replace(/:\d+$/, '');
}

/**
 * Adds layer calls to a GraphBuilder. Weights are keyed by layer, not by call, so a shared layer or
 * a nested model called twice emits its Consts once and every call reads them.
 */
export class LayerEmitter {
  private readonly layerConstants = new Map<string, TensorRef>();
  private readonly callCounts = new Map<string, number>();

  constructor(readonly builder: GraphBuilder) {}

  /** The scope of the next call of `layer` under `prefix`: "dense", then "dense_1" for a second call. */
  nextScope(layer: tf.layers.Layer, prefix: string): string {
    const key = `${prefix}\u0000${layer.id}`;
    const count = this.callCounts.get(key) ?? 0;
    this.callCounts.set(key, count + 1);
    return `${prefix}${layer.name}${count ? `_${count}` : ''}`;
  }

  call(info: LayerInfo, inputs: readonly TensorRef[], scope: string): LayerCall {
    return new EmittingLayerCall(this, info, inputs, scope);
  }

  /** A Const shared by every call of a layer, made by `make` the first time. */
  layerConstant(layer: tf.layers.Layer, key: string, make: () => TensorRef): TensorRef {
    const id = `${layer.id}\u0000${key}`;
    let ref = this.layerConstants.get(id);
    if (!ref) {
      ref = make();
      this.layerConstants.set(id, ref);
    }
    return ref;
  }
}

class EmittingLayerCall implements LayerCall {
  readonly layer: tf.layers.Layer;
  readonly className: string;
  readonly config: LayerInfo['config'];
  readonly inputShapes: LayerInfo['inputShapes'];
  readonly inputDTypes: LayerInfo['inputDTypes'];
  readonly outputShapes: LayerInfo['outputShapes'];

  constructor(private readonly emitter: LayerEmitter, info: LayerInfo, readonly inputs: readonly TensorRef[], readonly scope: string) {
    ({ layer: this.layer, className: this.className, config: this.config, inputShapes: this.inputShapes, inputDTypes: this.inputDTypes, outputShapes: this.outputShapes } = info);
  }

  private get builder(): GraphBuilder {
    return this.emitter.builder;
  }

  private name(suffix: string): string {
    return this.builder.uniqueName(`${this.scope}/${suffix}`);
  }

  op(name: string, op: string, inputs: readonly TensorRef[], attrs: Readonly<Record<string, AttrValue>> = {}): TensorRef {
    return this.builder.node(this.name(name), { op, inputs, attrs });
  }

  constant(name: string, dtype: DType, shape: readonly number[], values: readonly number[]): TensorRef {
    return this.builder.constant(this.name(name), dtype, shape, values);
  }

  private variable(name: string): tf.LayerVariable | undefined {
    return this.layer.weights.find((w) => shortWeightName(w) === name);
  }

  hasWeight(name: string): boolean {
    return this.variable(name) !== undefined;
  }

  weightValues(name: string): WeightValues {
    const v = this.variable(name);
    if (!v) {
      const has = this.layer.weights.map(shortWeightName).join(', ') || 'none';
      throw new GraphError(`layer "${this.layer.name}" (${this.className}) has no weight "${name}" (it has: ${has})`, { node: this.scope, op: this.className });
    }
    // A copy: the cpu backend hands out its own buffer, and the IR must not change under a training model.
    return { shape: [...v.shape] as number[], values: Float32Array.from(v.read().dataSync()) };
  }

  weight(name: string, shape?: readonly number[]): TensorRef {
    return this.emitter.layerConstant(this.layer, `${name}\u0000${shape ?? ''}`, () => {
      const w = this.weightValues(name);
      const dtype = this.variable(name)!.dtype === 'int32' ? 'int32' : 'float32';
      const values = dtype === 'int32' ? Int32Array.from(w.values) : w.values;
      return this.builder.constant(this.name(name), dtype, shape ?? w.shape, values);
    });
  }

  derivedWeight(name: string, compute: () => WeightValues): TensorRef {
    return this.emitter.layerConstant(this.layer, `derived\u0000${name}`, () => {
      const w = compute();
      return this.builder.constant(this.name(name), 'float32', w.shape, w.values);
    });
  }
}
