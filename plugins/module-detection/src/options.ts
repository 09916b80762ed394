import { OPTIONS_SCHEMA as ADAPTER_SCHEMA, type DetectionOptions } from '@modelport/adapter-detection';
import { readPluginPackage, type JsonSchema } from '@modelport/core';

const pkg = readPluginPackage(import.meta.url);
export const PLUGIN_NAME = pkg.name;
export const PLUGIN_VERSION = pkg.version;
export const MODULE_NAME = 'detection';

/**
 * The detection adapter's schema, so one options file means the same at serve and export time.
 * Its serving-only options (signature, input, size, channels, scale, mean, std, maxImagePixels)
 * are accepted and ignored here: in an exported graph the image module owns them.
 */
export const OPTIONS_SCHEMA: JsonSchema = ADAPTER_SCHEMA;

export type { DetectionOptions };
