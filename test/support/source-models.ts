import * as tf from '@tensorflow/tfjs';
import {
  defaultSignature, fromTfTensor, GraphExecutor, initBackend, loadTfjsGraphModel, onCpuBackend, parseTensorRef, toTfTensor,
  type Signature, type TensorData,
} from '@modelport/core';

/** A source model that artifacts are compared with: named inputs in, named outputs out, as its signature says. */
export interface SourceModel {
  readonly signature: Signature;
  /** Outputs by signature name, on tfjs's usual backend. */
  run(inputs: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>>;
  /** The same run on tfjs cpu: judgeOutput's second reference where the usual backend is uncertain. */
  runOnCpu(inputs: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>>;
  dispose(): void;
}

/** A tfjs graph model file as the validation step runs it: loaded into the Graph IR, run by GraphExecutor. */
export async function graphModelSource(file: string): Promise<SourceModel> {
  const graph = await loadTfjsGraphModel(file);
  const signature = defaultSignature(graph);
  const executor = await GraphExecutor.create(graph);
  const names = Object.keys(signature.outputs);
  const run = async (inputs: Readonly<Record<string, TensorData>>) => {
    const feeds = Object.fromEntries(Object.entries(signature.inputs).map(([name, spec]) => [parseTensorRef(spec.name).node, inputs[name]!]));
    const values = await executor.run(feeds, names.map((n) => signature.outputs[n]!.name));
    return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
  };
  return { signature, run, runOnCpu: (inputs) => onCpuBackend(() => run(inputs)), dispose: () => executor.dispose() };
}

/** A Keras layers model in memory, run by its own predict; its inputs and outputs are named by their layers, as the export names them. */
export async function layersModelSource(model: tf.LayersModel): Promise<SourceModel> {
  await initBackend();
  const { inputNames, outputNames } = model;
  const spec = (t: tf.SymbolicTensor) => ({ name: `${t.name}:0`, dtype: t.dtype, shape: t.shape.map((d) => d ?? -1) });
  const signature: Signature = {
    inputs: Object.fromEntries(inputNames.map((n, i) => [n, spec(model.inputs[i]!)])),
    outputs: Object.fromEntries(outputNames.map((n, i) => [n, spec(model.outputs[i]!)])),
  };
  const run = async (inputs: Readonly<Record<string, TensorData>>) => {
    const feeds = inputNames.map((n) => toTfTensor(inputs[n]!));
    const out = model.predict(feeds.length === 1 ? feeds[0]! : feeds);
    const list = Array.isArray(out) ? out : [out];
    try {
      return Object.fromEntries(await Promise.all(outputNames.map(async (n, i) => [n, await fromTfTensor(list[i]!)] as const)));
    } finally {
      tf.dispose([...feeds, ...list]);
    }
  };
  return { signature, run, runOnCpu: (inputs) => onCpuBackend(() => run(inputs)), dispose: () => {} };
}
