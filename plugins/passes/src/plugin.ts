import { createRequire } from 'node:module';
import { definePlugin, type JsonSchema } from '@modelport/core';
import { runPasses, type PassesOptions } from './run-passes.js';

export const PLUGIN_NAME = '@modelport/passes';
const require = createRequire(import.meta.url);
const VERSION: string = require('../../package.json').version;
export const optionsSchema: JsonSchema = require('../../options.schema.json');

/**
 * The built-in graph passes on `transformGraph`: Identity/NoOp removal, dead-code pruning and
 * constant folding, in that order, pruning again after folding.
 */
export const passesPlugin = definePlugin<PassesOptions>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    hooks.transformGraph.tapPromise(PLUGIN_NAME, (graph, ctx) => runPasses(graph, options, ctx));
  },
});
