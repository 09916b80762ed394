import type * as tf from '@tensorflow/tfjs';
import {
  DEFAULT_SIGNATURE, GraphBuilder, GraphError, ModelportError,
  type DType, type Graph, type SignatureTensor, type TensorRef,
} from '@modelport/core';
import { LAYER_CONVERTERS } from './converters.js';
import { LayerEmitter } from './emitter.js';
import type { SymbolicShape } from './layer-call.js';
import { callsInOrder, isInputLayer, isNestedModel, kerasNode, layerInfo, type LayerCallRef } from './topology.js';
import { findUnsupportedLayers, UnsupportedLayersError } from './unsupported.js';

/** What the model file said about its origin; a tf.LayersModel in memory no longer knows it. */
export interface LayersModelSource {
  readonly kerasVersion?: string;
  readonly backend?: string;
}

function irShape(shape: SymbolicShape): number[] {
  return shape.map((d) => (d === null ? -1 : d));
}

function irDType(dtype: string): DType {
  return dtype as DType; // tfjs dtypes (float32, int32, bool, string, complex64) are IR dtypes
}

/** Emits one call of one layer; a nested model is emitted op by op under its own name. */
function emitCall(emitter: LayerEmitter, ref: LayerCallRef, inputs: readonly TensorRef[], prefix: string): TensorRef[] {
  const scope = emitter.nextScope(ref.layer, prefix);
  if (isNestedModel(ref.layer)) return emitModel(emitter, ref.layer, inputs, `${scope}/`);
  const info = layerInfo(ref);
  const converter = LAYER_CONVERTERS[info.className];
  if (!converter) throw new UnsupportedLayersError([{ layer: scope, className: info.className }]);
  try {
    return converter.convert(emitter.call(info, inputs, scope));
  } catch (e) {
    if (e instanceof ModelportError) throw e;
    throw new GraphError(`layer "${scope}" (${info.className}) could not be converted: ${(e as Error).message}`, { node: scope, op: info.className }, { cause: e });
  }
}

/**
 * Emits a model's layer calls in dependency order, each reading the tensors its inbound node names.
 * `inputs` are bound to the model's input tensors; returns the tensors of its outputs.
 */
function emitModel(emitter: LayerEmitter, model: tf.LayersModel, inputs: readonly TensorRef[], prefix: string): TensorRef[] {
  const values = new Map<number, TensorRef>(); // SymbolicTensor id → graph tensor
  model.inputs.forEach((t, i) => values.set(t.id, inputs[i]!));
  const valueOf = (t: tf.SymbolicTensor): TensorRef => {
    const v = values.get(t.id);
    if (v === undefined) throw new GraphError(`tensor "${t.name}" of model "${model.name}" is used before it is computed (is it an input the model does not declare?)`, { node: `${prefix}${t.sourceLayer.name}` });
    return v;
  };
  for (const ref of callsInOrder(model)) {
    const node = kerasNode(ref);
    if (isInputLayer(ref.layer)) { node.outputTensors.forEach(valueOf); continue; }
    const outputs = emitCall(emitter, ref, node.inputTensors.map(valueOf), prefix);
    if (outputs.length !== node.outputTensors.length) {
      throw new GraphError(`layer "${prefix}${ref.layer.name}" gave ${outputs.length} output(s), Keras says ${node.outputTensors.length}`, { node: `${prefix}${ref.layer.name}` });
    }
    node.outputTensors.forEach((t, i) => values.set(t.id, outputs[i]!));
  }
  return model.outputs.map(valueOf);
}

/** Keys that are unique: a second "dense" becomes "dense_1". */
function uniqueKeys(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let key = name;
    for (let i = 1; used.has(key); i++) key = `${name}_${i}`;
    used.add(key);
    return key;
  });
}

/**
 * The Graph IR of a Keras model loaded by tfjs (tf.loadLayersModel, or built in code): TensorFlow
 * ops in NHWC, one Placeholder per model input (named after its input layer), weights as Consts
 * named after their layer ("dense_1/kernel"), outputs in model.outputs order, and a
 * serving_default signature keyed by input layer names and model.outputNames. Layers it cannot
 * convert are all reported at once, in an UnsupportedLayersError, before anything is emitted.
 */
export function graphFromLayersModel(model: tf.LayersModel, source: LayersModelSource = {}): Graph {
  const unsupported = findUnsupportedLayers(model);
  if (unsupported.length) throw new UnsupportedLayersError(unsupported);

  const builder = new GraphBuilder();
  // Placeholders take the input layers' names: tfjs suffixes tensor names ("image_1") with how many
  // inputs of that name the process has made, so those would change from run to run.
  const inputKeys = uniqueKeys(model.inputs.map((t) => t.sourceLayer.name));
  const inputSpecs = model.inputs.map((t, i): SignatureTensor =>
    ({ name: builder.input(inputKeys[i]!, irDType(t.dtype), irShape(t.shape)), dtype: t.dtype, shape: irShape(t.shape) }));
  const outputs = emitModel(new LayerEmitter(builder), model, inputSpecs.map((s) => s.name), '');

  // Sequential keeps its names on an inner model: fall back to the output layers' names.
  const outputNames = model.outputNames?.length === model.outputs.length ? model.outputNames : model.outputs.map((t) => t.sourceLayer.name);
  const outputKeys = uniqueKeys(outputNames);
  return builder
    .outputs(...outputs)
    .signature(DEFAULT_SIGNATURE, {
      inputs: Object.fromEntries(inputSpecs.map((s, i) => [inputKeys[i]!, s])),
      outputs: Object.fromEntries(model.outputs.map((t, i) => [outputKeys[i]!, { name: outputs[i]!, dtype: t.dtype, shape: irShape(t.shape) }])),
      methodName: 'tensorflow/serving/predict',
    })
    .meta({
      source: {
        format: 'tfjs-layers-model',
        className: model.getClassName(),
        ...(source.kerasVersion ? { kerasVersion: source.kerasVersion } : {}),
        ...(source.backend ? { backend: source.backend } : {}),
      },
    })
    .build();
}
