import { createRequire } from 'node:module';
import { definePlugin, validateOptions, type JsonSchema } from '@modelport/core';
import { loadOnnxPredictor, type OnnxRuntimeOptions } from './onnx-predictor.js';

export const PLUGIN_NAME = '@modelport/runtime-onnx';
const require = createRequire(import.meta.url);
const VERSION: string = require('../../package.json').version;
export const optionsSchema: JsonSchema = require('../../options.schema.json');

/** Runs ONNX artifacts with onnxruntime-node: for validation after export and for serving. */
export const runtimeOnnx = definePlugin<OnnxRuntimeOptions>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    hooks.serve.for('onnx').tapPromise(PLUGIN_NAME, (request) => {
      const opts = validateOptions<OnnxRuntimeOptions>(optionsSchema, { ...options, ...request.options }, 'serve options', { plugin: PLUGIN_NAME });
      return loadOnnxPredictor(request.path, request.logger, opts);
    });
  },
});

export default runtimeOnnx;
export { loadOnnxPredictor, type OnnxRuntimeOptions } from './onnx-predictor.js';
export { toOrtTensor, fromOrtTensor } from './tensor-conversion.js';
