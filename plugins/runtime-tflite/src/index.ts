import { createRequire } from 'node:module';
import { definePlugin, type JsonSchema } from '@modelport/core';
import { loadTflitePredictor } from './tflite-predictor.js';

export const PLUGIN_NAME = '@modelport/runtime-tflite';
const require = createRequire(import.meta.url);
const VERSION: string = require('../../package.json').version;
const optionsSchema: JsonSchema = require('../../options.schema.json');

/** Runs .tflite artifacts with the TFLite runtime (LiteRT.js, wasm, one thread): validation and serving. */
export const runtimeTflite = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks) {
    hooks.serve.for('tflite').tapPromise(PLUGIN_NAME, (request) => loadTflitePredictor(request.path, request.logger));
  },
});

export default runtimeTflite;
export { loadTflitePredictor };
export { describeTflite, type FrozenInputDescription, type TfliteDescription, type TfliteTensorDescription } from './describe-tflite.js';
