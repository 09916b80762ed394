import path from 'node:path';
import { ConfigError, type ExportOptions } from '@modelport/core';
import { pluginItemParts, type ChoosableHook, type LoadedConfig, type PluginItem, type PluginOptions } from './config.js';
import { conflictError, manifestConflicts } from './conflicts.js';
import type { DiscoveredPlugin } from './discover.js';
import { findInstalled, type NamedAt } from './lookup.js';
import { nameCandidates } from './names.js';
import { expandPresets, type PresetPluginEntry } from './presets.js';
import type { OptionSource, OptionSources } from './option-sources.js';
import type { SearchPath } from './search-path.js';
import type { PluginReason, PresetOrigin } from './reasons.js';

/** A plugin the session will load, with its merged options and why it is there. */
export interface PlannedPlugin {
  readonly name: string;
  readonly options: PluginOptions;
  readonly reason: PluginReason;
  readonly package: DiscoveredPlugin;
  /** Where each option key was set: the last preset, config or flag that set it. */
  readonly optionSources: OptionSources;
}

/** A `choose` entry: which plugin answers `hook` for `key`, and who said so. */
export interface ChooseEntry {
  readonly hook: ChoosableHook;
  readonly key: string;
  readonly plugin: string;
  /** "choose.writeArtifact.tfjs in modelport.config.json" */
  readonly origin: string;
}

/** What the registry will do, resolved from config and presets before any plugin code runs. */
export interface PluginPlan {
  /** In the order they will be applied. */
  readonly plugins: readonly PlannedPlugin[];
  /** Plugins a preset brought in and the config disabled with `false`. */
  readonly disabled: readonly string[];
  readonly choose: readonly ChooseEntry[];
  /** The presets' `export` overridden key by key by the config's; command-line flags override both. */
  readonly exportDefaults: Partial<ExportOptions>;
  /** Which preset or config set each export default. */
  readonly exportSources: OptionSources;
  readonly file?: string;
}

/** Command-line overrides: presets replace the config's, plugins come after the config's. */
export interface PlanOverrides {
  readonly presets?: readonly string[];
  readonly plugins?: readonly PluginItem[];
}

export interface PlanInput {
  readonly loaded: LoadedConfig;
  readonly overrides?: PlanOverrides;
  readonly installed: readonly DiscoveredPlugin[];
  /** Where the installed packages were looked for; quoted when a name is not found. */
  readonly search: SearchPath;
  /** Checked against plugins' `core` ranges when they are named by path (discovery checked the others). */
  readonly coreVersion?: string;
  /** Plugins already applied (registered in code) for a key: they take part in conflicts. */
  readonly appliedProviders?: (hook: ChoosableHook, key: string) => readonly { name: string; reason: string }[];
}

interface Named { readonly name: string; readonly options: PluginOptions | false; readonly reason: PluginReason; readonly at: NamedAt }

/** The label configs are quoted by in reasons and messages. */
export function configLabel(loaded: LoadedConfig): string {
  if (loaded.file) return path.basename(loaded.file);
  return loaded.origin === 'default' ? 'the default config' : 'code config';
}

/**
 * Resolves config and presets into an ordered list of plugins with options, reading package.json
 * and preset files only.
 * - Order of application: the presets' plugins, presets in their order, each preset's `extends`
 *   before its own plugins; then the plugins the config adds, then --plugin ones. A plugin keeps
 *   the first place it gets, so a config that only changes a preset plugin's options leaves it
 *   where the preset put it.
 * - Options: later wins, key by key, in the order presets (as expanded) → config plugins → --plugin,
 *   so what the user writes beats what a preset says; `false` disables the plugin.
 */
export async function planPlugins(input: PlanInput): Promise<PluginPlan> {
  const { loaded, overrides = {}, installed, search } = input;
  const label = configLabel(loaded);
  // Paths in a config file are relative to its folder; on the command line, to the working directory.
  const configAt: NamedAt = loaded.file
    ? { label, file: loaded.file, base: path.dirname(loaded.file), baseLabel: `the folder of ${label}, ${path.dirname(loaded.file)}` }
    : { label, base: search.cwd, baseLabel: `the working directory, ${search.cwd}` };
  const flagAt = (label: string): NamedAt => ({ label, base: search.cwd, baseLabel: `the working directory, ${search.cwd}` });
  const presetOrigin: PresetOrigin = overrides.presets ? 'cli' : loaded.origin === 'default' ? 'default' : 'config';
  const presetNames = overrides.presets ?? loaded.config.presets ?? [];
  const presetAt: NamedAt = overrides.presets ? flagAt('the command line (--preset)') : { ...configAt, label: `${label} presets` };

  const presets = await expandPresets(presetNames, presetAt, (name, at) => findInstalled(name, 'preset', installed, search, at, input.coreVersion));
  const named: Named[] = [
    ...presets.plugins.map((e): Named => ({ name: e.name, options: e.options, reason: { kind: 'preset', chain: e.chain, origin: presetOrigin, file: e.file }, at: presetEntryAt(e) })),
    ...(loaded.config.plugins ?? []).map((item): Named => ({ ...pluginItemParts(item), reason: { kind: 'config', label, ...(loaded.file ? { file: loaded.file } : {}) }, at: { ...configAt, label: `${label} plugins` } })),
    ...(overrides.plugins ?? []).map((item): Named => ({ ...pluginItemParts(item), reason: { kind: 'cli' }, at: flagAt('the command line (--plugin)') })),
  ];

  const packages = await findAll(named, installed, search, input.coreVersion);
  const merged = mergeByPackage(named, packages);
  const plugins = merged.filter((m) => m.options !== false) as PlannedPlugin[];
  const disabled = merged.filter((m) => m.options === false).map((m) => m.name);
  const choose = chooseEntries(loaded, plugins, label);
  const conflicts = manifestConflicts(plugins, choose, input.appliedProviders);
  if (conflicts.length) throw conflictError(conflicts, label, loaded.file);
  const configExport = loaded.config.export ?? {};
  const configSource: OptionSource = { kind: 'config', label, ...(loaded.file ? { file: loaded.file } : {}) };
  const exportSources = { ...presets.exportSources, ...Object.fromEntries(Object.keys(configExport).map((key) => [key, configSource])) };
  return {
    plugins, disabled, choose, exportDefaults: { ...presets.exportDefaults, ...configExport }, exportSources,
    ...(loaded.file ? { file: loaded.file } : {}),
  };
}

/** Finds every named package; all problems are reported at once. */
async function findAll(named: readonly Named[], installed: readonly DiscoveredPlugin[], search: SearchPath, coreVersion?: string): Promise<DiscoveredPlugin[]> {
  const results = await Promise.allSettled(named.map((n) => findInstalled(n.name, 'plugin', installed, search, n.at, coreVersion)));
  const problems = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  // A name written in two places fails twice in the same words.
  const unique = problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i);
  if (unique.length === 1) throw unique[0];
  if (unique.length > 1) {
    throw new ConfigError(`${unique.length} configured plugins cannot be used: ${unique.map((p, i) => `(${i + 1}) ${p.message}`).join(' ')}`, {}, { cause: unique[0] });
  }
  return results.map((r) => (r as PromiseFulfilledResult<DiscoveredPlugin>).value);
}

/** Where a preset names a plugin: its file, and its package folder, which paths are relative to. */
function presetEntryAt(e: PresetPluginEntry): NamedAt {
  const preset = e.chain[e.chain.length - 1]!;
  return { label: `preset ${preset}`, file: e.file, base: e.packageDir, baseLabel: `the folder of preset ${preset}, ${e.packageDir}` };
}

interface Merged { name: string; options: PluginOptions | false; reason: PluginReason; package: DiscoveredPlugin; optionSources: Record<string, OptionSource> }

/**
 * One entry per package, at the first place it is named (a Map keeps insertion order); options
 * merged key by key, later wins, each key remembering who set it; the reason is the first place's.
 */
function mergeByPackage(named: readonly Named[], packages: readonly DiscoveredPlugin[]): Merged[] {
  const byName = new Map<string, Merged>();
  named.forEach((n, i) => {
    const pkg = packages[i]!;
    const previous = byName.get(pkg.name);
    const before = previous && previous.options !== false ? previous : undefined;
    const options = n.options === false ? false : { ...before?.options, ...n.options };
    const setHere = n.options === false ? {} : Object.fromEntries(Object.keys(n.options).map((key) => [key, optionSourceOf(n.reason)]));
    const optionSources = n.options === false ? {} : { ...before?.optionSources, ...setHere };
    byName.set(pkg.name, { name: pkg.name, options, reason: previous?.reason ?? n.reason, package: pkg, optionSources });
  });
  return [...byName.values()];
}

function optionSourceOf(reason: PluginReason): OptionSource {
  switch (reason.kind) {
    case 'preset': return { kind: 'preset', preset: reason.chain[reason.chain.length - 1]!, file: reason.file };
    case 'config': return { kind: 'config', label: reason.label, ...(reason.file ? { file: reason.file } : {}) };
    case 'cli': return { kind: 'flag', flag: '--plugin' };
    case 'code': return { kind: 'code' };
  }
}

/** `choose` values may be short names too; they are matched against the planned plugins. */
function chooseEntries(loaded: LoadedConfig, plugins: readonly PlannedPlugin[], label: string): ChooseEntry[] {
  const entries: ChooseEntry[] = [];
  for (const [hook, keys] of Object.entries(loaded.config.choose ?? {}) as [ChoosableHook, Record<string, string>][]) {
    for (const [key, written] of Object.entries(keys)) {
      const planned = plugins.find((p) => p.name === written) ?? plugins.find((p) => nameCandidates(written, 'plugin').includes(p.name));
      entries.push({ hook, key, plugin: planned?.name ?? written, origin: `choose.${hook}.${key} in ${label}` });
    }
  }
  return entries;
}
