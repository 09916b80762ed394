// The public API of @modelport/module-image.
import { exportModulePlugin } from '@modelport/core';
import { imageModule } from './image-module.js';
import { PLUGIN_NAME, PLUGIN_VERSION } from './options.js';

export { imageModule };
export { letterboxSize, roundHalfEven } from './placement.js';
export type { ImageModuleOptions } from './options.js';
export { PLUGIN_NAME };

/** The plugin: applied, it offers the "image" module to exports (options come with each export). */
export const moduleImage = exportModulePlugin(imageModule, { name: PLUGIN_NAME, version: PLUGIN_VERSION });
export default moduleImage;
