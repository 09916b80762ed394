import type { Container } from 'inversify';
import type { Hooks } from './hooks.js';
import type { JsonSchema } from './options.js';

/**
 * A modelport plugin: a plain object with a name, a version and `apply`, which taps hooks. Taps are
 * named after the plugin (`hooks.writeArtifact.for('onnx').tapPromise(PLUGIN_NAME, …)`).
 * `optionsSchema` is checked with ajv before `apply` runs.
 */
export interface Plugin<Options = Record<string, unknown>> {
  readonly name: string;
  readonly version: string;
  readonly optionsSchema?: JsonSchema;
  apply(hooks: Hooks, options: Options, container: Container): void | Promise<void>;
}

/** Identity with types: `export default definePlugin({ name, version, apply })`. */
export function definePlugin<Options = Record<string, unknown>>(plugin: Plugin<Options>): Plugin<Options> {
  return plugin;
}

/** A plugin factory module's default export may be the plugin or a function returning it. */
export type PluginModule = Plugin<any> | ((...args: unknown[]) => Plugin<any>);
