import { createRequire } from 'node:module';
import { ARTIFACT_DESCRIBERS, contribute, definePlugin, type JsonSchema } from '@modelport/core';
import { tfliteDescriber } from './tflite-describer.js';
import { loadTflitePredictor } from './tflite-predictor.js';

export const PLUGIN_NAME = '@modelport/runtime-tflite';
const require = createRequire(import.meta.url);
const VERSION: string = require('../../package.json').version;
const optionsSchema: JsonSchema = require('../../options.schema.json');

/** Runs .tflite artifacts with the TFLite runtime (LiteRT.js, wasm, one thread): validation and serving; describes them for inspect. */
export const runtimeTflite = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, _options, container) {
    hooks.serve.for('tflite').tapPromise(PLUGIN_NAME, (request) => loadTflitePredictor(request.path, request.logger));
    contribute(container, ARTIFACT_DESCRIBERS, tfliteDescriber);
  },
});

export default runtimeTflite;
export { loadTflitePredictor };
export { describeTflite, type FrozenInputDescription, type TfliteDescription, type TfliteTensorDescription } from './describe-tflite.js';
export { tfliteArtifactDescription, tfliteDescriber } from './tflite-describer.js';
