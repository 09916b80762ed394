// The public API of @modelport/serving-http.
import { contribute, definePlugin } from '@modelport/core';
import { BUILT_IN_PROTOCOLS } from './builtin-protocols.js';
import { PLUGIN_NAME, PLUGIN_VERSION, SERVE_OPTIONS_SCHEMA } from './options.js';
import { SERVING_PROTOCOLS } from './protocols.js';

export { startServer, type ModelServer } from './server.js';
export { SERVE_OPTIONS_SCHEMA, PLUGIN_NAME, type ServeOptions, type ServeSettings, type BatchingOptions, type Limits, type WarmupOptions } from './options.js';
export { MODEL_CONFIG_SCHEMA, parseModelsConfig, type ModelConfig, type ModelsConfig } from './model-config.js';
export { SERVING_ADAPTERS, ServingAdapterId, type ServingAdapter, type AdapterContext, type AdapterContribution } from './adapters.js';
export { ServingError, toServingError, httpStatusOf, type StatusCode } from './errors.js';
export { aspiredVersions, type VersionPolicy } from './version-policy.js';
export { WARMUP_FILE } from './warmup.js';
export type { VersionState, ServedVersion } from './served-version.js';

// What a protocol of its own package (gRPC, a raw socket) needs: the point, the context it is
// given, the inference path with versions and batching, request labels, name checks.
export { SERVING_PROTOCOLS, type ServingProtocol, type ProtocolListener, type ServedProtocol } from './protocols.js';
export { TF_SERVING_REST, KSERVE_V2, PROMETHEUS_METRICS, BUILT_IN_PROTOCOLS } from './builtin-protocols.js';
export { labelRequest, type ServingContext } from './routes/context.js';
export { runInference, acquireVersion, predictOn, type InferenceRequest, type InferenceResult } from './inference.js';
export type { ModelManager, VersionSelector, VersionStatus } from './model-manager.js';
export type { ServingMetrics, RequestLabels } from './metrics.js';
export { checkModelName, checkLabel, parseVersion, isModelName } from './model-names.js';
export { checkInputs, defaultSignatureName, signatureOf } from './signature-check.js';

/**
 * The plugin object. Serving is a host of the `serve` hook, not a tap: hosts call startServer.
 * Applied, it contributes its protocols (TF Serving REST, KServe v2, metrics), so that explain
 * lists them next to the protocols other plugins add.
 */
export const servingHttp = definePlugin({
  name: PLUGIN_NAME,
  version: PLUGIN_VERSION,
  optionsSchema: SERVE_OPTIONS_SCHEMA,
  apply(_hooks, _options, container) {
    for (const protocol of BUILT_IN_PROTOCOLS) contribute(container, SERVING_PROTOCOLS, protocol);
  },
});

export default servingHttp;
