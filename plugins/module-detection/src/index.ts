// The public API of @modelport/module-detection.
import { exportModulePlugin } from '@modelport/core';
import { detectionModule } from './detection-module.js';
import { PLUGIN_NAME, PLUGIN_VERSION } from './options.js';

export { detectionModule } from './detection-module.js';
export { batchedNms, type NmsSettings, type Selection } from './batched-nms.js';
export { OPTIONS_SCHEMA, PLUGIN_NAME, type DetectionOptions } from './options.js';

/** The plugin: applied, it offers the "detection" module to signatures of exports. */
export const detection = exportModulePlugin(detectionModule, { name: PLUGIN_NAME, version: PLUGIN_VERSION });
export default detection;
