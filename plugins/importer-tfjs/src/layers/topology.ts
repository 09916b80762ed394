import type * as tf from '@tensorflow/tfjs';
import type { LayerInfo } from './layer-call.js';

/** One call of a layer in a model: the layer and the index of the inbound node that call made. */
export interface LayerCallRef {
  readonly layer: tf.layers.Layer;
  readonly nodeIndex: number;
}

type KerasNode = tf.layers.Layer['inboundNodes'][number];

export function kerasNode(ref: LayerCallRef): KerasNode {
  const node = ref.layer.inboundNodes[ref.nodeIndex];
  if (!node) throw new Error(`layer "${ref.layer.name}" has no inbound node ${ref.nodeIndex}`);
  return node;
}

export function isInputLayer(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === 'InputLayer';
}

/** A Sequential or functional model used as a layer of another model. */
export function isNestedModel(layer: tf.layers.Layer): layer is tf.LayersModel {
  const l = layer as unknown as { layers?: unknown; inputs?: unknown; outputs?: unknown };
  return Array.isArray(l.layers) && Array.isArray(l.inputs) && Array.isArray(l.outputs);
}

function key(ref: LayerCallRef): string {
  return `${ref.layer.id}:${ref.nodeIndex}`;
}

/**
 * The layer calls the model's outputs depend on, producers first. Follows each output tensor back
 * through the inbound node that made it (`inputTensors[i]` is `inboundLayers[i]`'s node
 * `nodeIndices[i]`, output `tensorIndices[i]`), so a layer called twice appears twice and layers
 * that feed no output are left out. Iterative: deep models would overflow recursion.
 */
export function callsInOrder(model: tf.LayersModel): LayerCallRef[] {
  const done = new Set<string>();
  const order: LayerCallRef[] = [];
  const refOf = (t: tf.SymbolicTensor): LayerCallRef => ({ layer: t.sourceLayer as tf.layers.Layer, nodeIndex: t.nodeIndex });
  const stack = [...model.outputs].reverse().map((t) => ({ ref: refOf(t), expanded: false }));
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (done.has(key(top.ref))) { stack.pop(); continue; }
    if (!top.expanded) {
      top.expanded = true;
      // An InputLayer's node lists its own output as input: it has no producer to visit.
      const producers = isInputLayer(top.ref.layer) ? [] : kerasNode(top.ref).inputTensors;
      for (const t of [...producers].reverse()) {
        const ref = refOf(t);
        if (!done.has(key(ref))) stack.push({ ref, expanded: false });
      }
    } else {
      done.add(key(top.ref));
      order.push(top.ref);
      stack.pop();
    }
  }
  return order;
}

/** What a converter may look at before emitting: class, config, and the shapes of this call. */
export function layerInfo(ref: LayerCallRef): LayerInfo {
  const node = kerasNode(ref);
  return {
    layer: ref.layer,
    className: ref.layer.getClassName(),
    config: ref.layer.getConfig() as LayerInfo['config'],
    inputShapes: node.inputTensors.map((t) => t.shape),
    inputDTypes: node.inputTensors.map((t) => t.dtype),
    outputShapes: node.outputTensors.map((t) => t.shape),
  };
}
