import path from 'node:path';
import { ConfigError, type JsonSchema } from '@modelport/core';
import { checkOptions } from './check-options.js';
import type { ExportOptions } from '@modelport/core';
import { exportDefaultsSchema, pluginItemParts, type PluginItem, type PluginOptions } from './config.js';
import type { OptionSource } from './option-sources.js';
import type { DiscoveredPlugin } from './discover.js';
import type { NamedAt } from './lookup.js';
import { readManifestJson } from './manifest.js';

/** The JSON file a preset package's `modelport.preset` names. */
export interface PresetFile {
  readonly description?: string;
  /** Presets applied before this one's plugins. */
  readonly extends?: readonly string[];
  readonly plugins: readonly PluginItem[];
  /** Export defaults (targets…); the config's `export` and then command-line flags override them. */
  readonly export?: Partial<ExportOptions>;
}

export const PRESET_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['plugins'],
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    extends: { type: 'array', items: { type: 'string', minLength: 1 } },
    plugins: {
      type: 'array',
      items: { type: ['string', 'array'], minLength: 1, minItems: 1, maxItems: 2, items: [{ type: 'string', minLength: 1 }, { type: ['object', 'boolean'] }] },
    },
    export: exportDefaultsSchema(),
  },
});

/** What presets add up to: their plugins in order, and their export defaults with the preset that set each key. */
export interface ExpandedPresets {
  readonly plugins: readonly PresetPluginEntry[];
  readonly exportDefaults: Partial<ExportOptions>;
  readonly exportSources: Readonly<Record<string, OptionSource>>;
}

/** A plugin as one preset names it, with the preset chain that led to it (outermost first). */
export interface PresetPluginEntry {
  readonly name: string;
  readonly options: PluginOptions | false;
  readonly chain: readonly string[];
  /** The preset file that names it. */
  readonly file: string;
  /** The folder of the preset package; paths in the preset are relative to it. */
  readonly packageDir: string;
}

/** Finds the installed preset package for a name; errors name where the name was written. */
export type PresetFinder = (name: string, at: NamedAt) => Promise<DiscoveredPlugin>;

export async function readPresetFile(pkg: DiscoveredPlugin): Promise<{ preset: PresetFile; file: string }> {
  const file = path.resolve(pkg.dir, pkg.manifest?.preset ?? 'preset.json');
  const value = await readManifestJson(pkg, file, 'preset file');
  return { preset: checkOptions<PresetFile>(PRESET_SCHEMA, value, { what: 'preset file', plugin: pkg.name, sources: {}, file }), file };
}

/**
 * Flattens presets depth first: a preset's `extends` (in order) come before its own plugins, so
 * that what it says itself is later and wins. A preset reached twice (diamond) counts once, at its
 * first place; reaching a preset that is still being expanded is a cycle, and an error naming it.
 */
export async function expandPresets(names: readonly string[], at: NamedAt, findPreset: PresetFinder): Promise<ExpandedPresets> {
  const entries: PresetPluginEntry[] = [];
  const exportDefaults: Record<string, unknown> = {};
  const exportSources: Record<string, OptionSource> = {};
  const done = new Set<string>();
  const stack: string[] = [];
  const expand = async (name: string, namedAt: NamedAt): Promise<void> => {
    const pkg = await findPreset(name, namedAt);
    if (stack.includes(pkg.name)) {
      const cycle = [...stack.slice(stack.indexOf(pkg.name)), pkg.name];
      throw new ConfigError(`presets extend each other in a cycle: ${cycle.join(' extends ')}; remove one of these "extends"`, { plugin: pkg.name, ...(namedAt.file ? { file: namedAt.file } : {}) });
    }
    if (done.has(pkg.name)) return;
    stack.push(pkg.name);
    const { preset, file } = await readPresetFile(pkg);
    const base = { file, base: pkg.dir, baseLabel: `the folder of preset ${pkg.name}, ${pkg.dir}` };
    for (const inner of preset.extends ?? []) await expand(inner, { label: `preset ${pkg.name} extends`, ...base });
    for (const item of preset.plugins) entries.push({ ...pluginItemParts(item), chain: [...stack], file, packageDir: pkg.dir });
    for (const [key, value] of Object.entries(preset.export ?? {})) {
      exportDefaults[key] = value;
      exportSources[key] = { kind: 'preset', preset: pkg.name, file };
    }
    stack.pop();
    done.add(pkg.name);
  };
  for (const name of names) await expand(name, at);
  return { plugins: entries, exportDefaults: exportDefaults as Partial<ExportOptions>, exportSources };
}
