import { readPluginPackage, type PluginPackage } from '@modelport/core';

const pkg = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export const PLUGIN_NAME = pkg.name;
export const PLUGIN_VERSION = pkg.version;
export const OPTIONS_SCHEMA = pkg.optionsSchema;
export const MODULE_NAME = 'image';

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
