import './telemetry-off.js';
import { ARTIFACT_DESCRIBERS, contribute, definePlugin, readPluginPackage, validateOptions, type PluginPackage } from '@modelport/core';
import { onnxDescriber } from './onnx-describer.js';
import { loadOnnxPredictor, type OnnxRuntimeOptions } from './onnx-predictor.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME, optionsSchema };

/** Runs ONNX artifacts with onnxruntime-node: for validation after export and for serving; describes them for inspect. */
export const runtimeOnnx = definePlugin<OnnxRuntimeOptions>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options, container) {
    hooks.serve.for('onnx').tapPromise(PLUGIN_NAME, (request) => {
      const opts = validateOptions<OnnxRuntimeOptions>(optionsSchema, { ...options, ...request.options }, 'serve options', { plugin: PLUGIN_NAME });
      return loadOnnxPredictor(request.path, request.logger, opts);
    });
    contribute(container, ARTIFACT_DESCRIBERS, onnxDescriber);
  },
});

export default runtimeOnnx;
export { loadOnnxPredictor, type OnnxRuntimeOptions } from './onnx-predictor.js';
export { SIGNATURES_METADATA, signatureFilesOf } from './onnx-signature-files.js';
export { toOrtTensor, fromOrtTensor } from './tensor-conversion.js';
export { describeOnnx, onnxDescriber } from './onnx-describer.js';
