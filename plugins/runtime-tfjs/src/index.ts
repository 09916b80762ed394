import { createRequire } from 'node:module';
import { definePlugin, type JsonSchema } from '@modelport/core';
import { loadGraphModelPredictor } from './graph-model-predictor.js';

export const PLUGIN_NAME = '@modelport/runtime-tfjs';
const require = createRequire(import.meta.url);
const VERSION: string = require('../../package.json').version;
const optionsSchema: JsonSchema = require('../../options.schema.json');

/** Runs tfjs graph-model artifacts: for validation after export and for serving. */
export const runtimeTfjs = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks) {
    hooks.serve.for('tfjs').tapPromise(PLUGIN_NAME, (request) => loadGraphModelPredictor(request.path, request.logger));
  },
});

export default runtimeTfjs;
export { loadGraphModelPredictor };
