// The public API of @modelport/registry; other packages import only from here.
export { Registry, type RegistryOptions } from './registry.js';
export {
  describeHidden, describeLocation, discoverPlugins, nodeModulesDirs, pluginSearchPath,
  type DiscoveredPlugin, type DiscoverOptions, type HiddenCopy,
} from './discover.js';
export { describeSearchPath, type PluginOrigin, type SearchPath, type SearchRoot } from './search-path.js';
export { KEYED_HOOK_OF_TYPE, PLUGIN_TYPES, type InstalledPackage, type PluginManifest, type PluginType } from './manifest.js';
export { checkCoreRange, type Compatibility } from './compat.js';
export { closeNames, nameCandidates, shortName, type NameKind } from './names.js';
export {
  CONFIG_FILE, CONFIG_SCHEMA, DEFAULT_CONFIG, loadConfig, readConfig, validateConfig,
  type ChoosableHook, type LoadedConfig, type ModelportConfig, type PluginItem, type PluginOptions,
} from './config.js';
export { expandPresets, readPresetFile, PRESET_SCHEMA, type ExpandedPresets, type PresetFile, type PresetPluginEntry } from './presets.js';
export { checkOptions, type OptionsCheck } from './check-options.js';
export { describeSource, type OptionSource, type OptionSources } from './option-sources.js';
export { isPackageName, isPackagePath } from './names.js';
export type { NamedAt } from './by-path.js';
export { planPlugins, type ChooseEntry, type PlannedPlugin, type PlanOverrides, type PluginPlan } from './plan.js';
export { describeReason, type PluginReason } from './reasons.js';
export { explainSession, formatExplanation, type ExplainedHook, type ExplainedPlugin, type Explanation } from './explain.js';
