import { readFileSync } from 'node:fs';
import { readPluginPackage, type JsonSchema, type PluginPackage } from '@modelport/core';

const pkg = readPluginPackage(import.meta.url) as PluginPackage;
export const PLUGIN_NAME = pkg.name;
export const PLUGIN_VERSION = pkg.version;
export const MODULE_NAME = 'image';

/**
 * The module's options schema, read here rather than named in the manifest: the manifest's schema
 * checks plugin options, and this plugin takes none (module options come with each export).
 */
export const OPTIONS_SCHEMA = JSON.parse(readFileSync(new URL('../../options.schema.json', import.meta.url), 'utf8')) as JsonSchema;

/** The image module's options: the image-classification adapter's vocabulary plus what only a graph needs. */
export interface ImageModuleOptions {
  readonly input?: string;
  readonly size?: readonly [number, number];
  readonly channels?: 1 | 3;
  readonly scale?: 'unit' | 'symmetric' | 'raw';
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
  readonly inputType?: 'image_tensor' | 'float_image';
  readonly inputSize?: readonly [number, number];
  readonly batch?: number;
  readonly keepAspectRatio?: boolean;
  readonly channelOrder?: 'rgb' | 'bgr';
}
