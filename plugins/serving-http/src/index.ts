// The public API of @modelport/serving-http.
import { definePlugin } from '@modelport/core';
import { PLUGIN_NAME, PLUGIN_VERSION, SERVE_OPTIONS_SCHEMA } from './options.js';

export { startServer, type ModelServer } from './server.js';
export { SERVE_OPTIONS_SCHEMA, PLUGIN_NAME, type ServeOptions, type ServeSettings, type BatchingOptions, type Limits, type WarmupOptions } from './options.js';
export { MODEL_CONFIG_SCHEMA, parseModelsConfig, type ModelConfig, type ModelsConfig } from './model-config.js';
export { ServingAdapterId, type ServingAdapter, type AdapterContext, type AdapterContribution } from './adapters.js';
export { ServingError, type StatusCode } from './errors.js';
export { aspiredVersions, type VersionPolicy } from './version-policy.js';
export { WARMUP_FILE } from './warmup.js';
export type { VersionState } from './served-version.js';

/**
 * The plugin object, so that the registry can list the package and check its options. Serving is
 * a host of the `serve` hook, not a tap: apply does nothing; hosts call startServer.
 */
export const servingHttp = definePlugin({
  name: PLUGIN_NAME,
  version: PLUGIN_VERSION,
  optionsSchema: SERVE_OPTIONS_SCHEMA,
  apply() {},
});

export default servingHttp;
