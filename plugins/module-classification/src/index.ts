// The public API of @modelport/module-classification.
import { exportModulePlugin } from '@modelport/core';
import { classificationModule } from './classification-module.js';
import { PLUGIN_NAME, PLUGIN_VERSION } from './options.js';

export { classificationModule };
export { MODULE_NAME, PLUGIN_NAME, type Activation, type ClassificationOptions, type ClassificationOutput } from './options.js';
export type { LabelsMetadata } from './labels.js';

/** The plugin: applied, it contributes the "classification" module to EXPORT_MODULES. */
export const moduleClassification = exportModulePlugin(classificationModule, { name: PLUGIN_NAME, version: PLUGIN_VERSION });
export default moduleClassification;
