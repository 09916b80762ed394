import type * as tf from '@tensorflow/tfjs';
import type { AttrValue, DType, TensorRef } from '@modelport/core';

/** A Keras shape as tfjs gives it: `null` for a dimension unknown until run time (the batch, at least). */
export type SymbolicShape = readonly (number | null)[];

/** A layer's config as `layer.getConfig()` returns it (camelCase keys, as tfjs normalises Keras configs). */
export type LayerConfig = Readonly<Record<string, unknown>>;

/** What is known of one call of a layer before anything is emitted: enough to refuse it early. */
export interface LayerInfo {
  readonly layer: tf.layers.Layer;
  readonly className: string;
  readonly config: LayerConfig;
  readonly inputShapes: readonly SymbolicShape[];
  readonly inputDTypes: readonly string[];
  readonly outputShapes: readonly SymbolicShape[];
}

/** The values of a weight (or of a constant derived from weights), copied out of tfjs. */
export interface WeightValues {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * One call of a layer, as a converter sees it: its inputs in the graph being built and the means
 * to add nodes named after the layer ("dense_1/MatMul").
 */
export interface LayerCall extends LayerInfo {
  readonly inputs: readonly TensorRef[];
  /** The node-name prefix of this call: the layer name, with the nesting path and a call suffix. */
  readonly scope: string;
  /** Adds the op `<scope>/<name>` (made unique) and returns its first output. */
  op(name: string, op: string, inputs: readonly TensorRef[], attrs?: Readonly<Record<string, AttrValue>>): TensorRef;
  /** Whether the layer holds the weight (`kernel`, `bias`, `gamma` …). */
  hasWeight(name: string): boolean;
  /** The weight's values; throws a GraphError naming the layer when it has none of that name. */
  weightValues(name: string): WeightValues;
  /**
   * A Const of the weight, emitted once per layer however often the layer is called. `shape` views
   * the same values with another shape (a Conv1D kernel as a 1×k Conv2D kernel).
   */
  weight(name: string, shape?: readonly number[]): TensorRef;
  /** A Const computed from the layer's weights (folded BatchNorm scale), also emitted once per layer. */
  derivedWeight(name: string, compute: () => WeightValues): TensorRef;
  /** A Const private to this call: axes, shapes, scalars. */
  constant(name: string, dtype: DType, shape: readonly number[], values: readonly number[]): TensorRef;
}

/** Converts one Keras layer class to TensorFlow ops. */
export interface LayerConverter {
  /** Why this layer, as configured, cannot be converted; undefined when it can. */
  readonly refuse?: (info: LayerInfo) => string | undefined;
  /** Emits the layer's ops and returns its outputs in order. */
  readonly convert: (call: LayerCall) => TensorRef[];
}

export type LayerConverterTable = Readonly<Record<string, LayerConverter>>;
