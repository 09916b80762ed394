import path from 'node:path';
import {
  ConfigError, CORE_VERSION, coreServices, createContainer, HOOK_NAMES, KEYED_HOOKS,
  type HookName, type Hooks, type Logger, type Plugin, type PluginHost,
} from '@modelport/core';
import { loadConfig, validateConfig, type ChoosableHook, type LoadedConfig, type ModelportConfig, type PluginOptions } from './config.js';
import { appliedProblems, conflictError } from './conflicts.js';
import { discoverPlugins, pluginSearchPath, type DiscoveredPlugin, type DiscoverOptions } from './discover.js';
import { explainSession, type Explanation } from './explain.js';
import { checkPluginOptions, importPlugin } from './load.js';
import type { OptionSources } from './option-sources.js';
import { configLabel, planPlugins, type PlanOverrides, type PluginPlan } from './plan.js';
import { unselectedProviderHint } from './provider-hint.js';
import { describeReason } from './reasons.js';
import type { SearchPath } from './search-path.js';

/** The inversify container of a session (typed through core, which owns the dependency). */
export type Container = ReturnType<typeof createContainer>;

export interface RegistryOptions {
  /** The project folder: plugins resolve from its node_modules, its modelport.config.json is read. */
  readonly cwd?: string;
  /**
   * The folder of the config file when it is not `cwd` (--config elsewhere): its node_modules
   * are searched first. A config resolved from another folder sets it too.
   */
  readonly configDir?: string;
  /**
   * The package folder of a host that ships plugins (the CLI): its dependencies are found from
   * there after the project's packages, so the host works from any folder.
   */
  readonly bundledWith?: string;
  /** The session's container; a fresh core container when absent. */
  readonly container?: Container;
  /** Checked against plugins' `core` ranges; CORE_VERSION unless a host knows better. */
  readonly coreVersion?: string;
}

/**
 * The plugins of one session: finds them, checks them, resolves config and presets into a plan,
 * loads and applies the plan to the container's PluginHost, and explains who answers each hook.
 */
export class Registry {
  readonly cwd: string;
  readonly container: Container;
  readonly host: PluginHost;
  readonly hooks: Hooks;
  private readonly logger: Logger;
  private readonly coreVersion: string;
  private installed?: Promise<DiscoveredPlugin[]>;
  /** What discovery found, once it has: the "no plugin provides" hint reads it synchronously. */
  private installedNow?: DiscoveredPlugin[];
  private configDir: string | undefined;
  private readonly bundledWith: string | undefined;
  private readonly keys = new Map<HookName, Set<string>>();
  private readonly packages = new Map<string, DiscoveredPlugin>();
  private readonly chooseOrigins = new Map<string, string>();
  private readonly optionSources = new Map<string, OptionSources>();
  private readonly disabled: string[] = [];
  private configLabel = 'modelport.config.json';
  private configFile: string | undefined;

  constructor(options: RegistryOptions = {}) {
    this.cwd = path.resolve(options.cwd ?? process.cwd());
    this.container = options.container ?? createContainer();
    this.coreVersion = options.coreVersion ?? CORE_VERSION;
    this.configDir = options.configDir === undefined ? undefined : path.resolve(this.cwd, options.configDir);
    this.bundledWith = options.bundledWith;
    const { hooks, host, logger } = coreServices(this.container);
    this.hooks = hooks;
    this.host = host;
    this.logger = logger;
    this.host.setProviderHint((hook, key) => unselectedProviderHint(hook, key, {
      installed: this.installedNow, applied: new Set([...this.packages.values()].map((p) => p.name)),
      disabled: this.disabled, configLabel: this.configLabel,
    }));
    // tapable has no way to list a HookMap's keys; remembering them as they are made is the public way.
    for (const hook of HOOK_NAMES) {
      if (!KEYED_HOOKS.has(hook)) continue;
      const seen = this.keysOf(hook);
      (hooks[hook] as unknown as { intercept(i: { factory: (key: string, h: unknown) => unknown }): void })
        .intercept({ factory: (key, h) => { seen.add(key); return h; } });
    }
  }

  /**
   * Installed modelport packages with `compatible`, `reason` and where each was found, from
   * package.json files only: the project's (config folder, then cwd, and their parents) before
   * the ones bundled with the host.
   */
  discover(): Promise<DiscoveredPlugin[]> {
    this.installed ??= discoverPlugins({ ...this.discoverOptions(), coreVersion: this.coreVersion }).then((found) => (this.installedNow = found));
    return this.installed;
  }

  /** The node_modules folders discovery reads, in order; for messages that say where it looked. */
  searchPath(): Promise<SearchPath> {
    return pluginSearchPath(this.discoverOptions());
  }

  /**
   * Resolves a config (the project's modelport.config.json when none is given) and its presets
   * into a plan, without running plugin code. Throws on unknown names, incompatible plugins,
   * preset cycles, and keys that several plugins provide with no `choose`.
   */
  async resolve(source?: LoadedConfig | ModelportConfig, overrides?: PlanOverrides): Promise<PluginPlan> {
    const loaded = source === undefined ? await loadConfig({ cwd: this.cwd })
      : 'config' in source ? { ...source, config: validateConfig((source as LoadedConfig).config, (source as LoadedConfig).file) }
      : { config: validateConfig(source), origin: 'code' as const };
    this.configLabel = configLabel(loaded);
    this.configFile = loaded.file;
    // A config read from another folder brings that folder's node_modules into the search.
    const configDir = loaded.file ? path.dirname(loaded.file) : undefined;
    if (configDir && configDir !== this.cwd && configDir !== this.configDir) {
      this.configDir = configDir;
      this.installed = undefined;
    }
    const reasonOf = (name: string) => this.host.plugins().find((p) => p.name === name)?.reason ?? 'registered in code';
    return planPlugins({
      loaded, installed: await this.discover(), search: await this.searchPath(), coreVersion: this.coreVersion,
      ...(overrides ? { overrides } : {}),
      appliedProviders: (hook, key) => this.host.providers(hook, key).map((name) => ({ name, reason: reasonOf(name) })),
    });
  }

  /** Imports and applies each planned plugin in order, then applies `choose` and checks that every key has one answer. */
  async load(plan: PluginPlan): Promise<void> {
    const pluginNameOf = new Map<string, string>();
    for (const planned of plan.plugins) {
      const plugin = await importPlugin(planned.package, planned.options);
      const options = await checkPluginOptions(planned.package, plugin, planned.options, planned.optionSources);
      this.optionSources.set(plugin.name, withDefaults(planned.optionSources, options));
      if (plugin.name !== planned.name) this.logger.warn(`package ${planned.name} names its plugin ${plugin.name}; choose and explain use ${plugin.name}`);
      pluginNameOf.set(planned.name, plugin.name);
      this.packages.set(plugin.name, planned.package);
      await this.host.apply(plugin, options, describeReason(planned.reason));
      this.logger.debug(`applied ${plugin.name} ${plugin.version}: ${describeReason(planned.reason)}`);
    }
    this.disabled.push(...plan.disabled);
    for (const c of plan.choose) this.choose(c.hook, c.key, pluginNameOf.get(c.plugin) ?? c.plugin, c.origin);
    this.assertSettled();
  }

  /** resolve + load: the usual way a host sets up a session. */
  async configure(source?: LoadedConfig | ModelportConfig, overrides?: PlanOverrides): Promise<PluginPlan> {
    const plan = await this.resolve(source, overrides);
    await this.load(plan);
    return plan;
  }

  /**
   * Applies a plugin object written in the project itself (a bespoke exporter); it takes part in
   * conflicts and explain like an installed one. Register before `configure` to have conflicts
   * reported there; after it, core still refuses them at export time.
   */
  async register<O>(plugin: Plugin<O>, options: Partial<O> = {}): Promise<void> {
    await this.host.apply(plugin as Plugin<any>, options as PluginOptions, describeReason({ kind: 'code' }));
  }

  /** Makes `plugin` the one that answers `hook` for `key`; `origin` is quoted by explain. */
  choose(hook: ChoosableHook, key: string, plugin: string, origin = `choose.${hook}.${key} (set in code)`): void {
    this.host.choose(hook, key, plugin);
    this.chooseOrigins.set(`${hook}:${key}`, origin);
  }

  /**
   * Checks the applied plugins: every key of a keyed hook has one provider or a `choose` among
   * its providers, and every `choose` names a provider. All problems in one ConfigError.
   */
  assertSettled(): void {
    const { conflicts, misnamed } = appliedProblems(this.host, this.keys, this.chooseOrigins);
    if (conflicts.length) throw conflictError(conflicts, this.configLabel, this.configFile);
    if (misnamed.length) throw new ConfigError(misnamed.join('; '), this.configFile ? { file: this.configFile } : {});
  }

  /** For each hook and key, which plugin answers and why. */
  explain(): Explanation {
    return explainSession({
      host: this.host, hooks: this.hooks, keys: this.keys, chooseOrigins: this.chooseOrigins,
      packages: this.packages, disabled: this.disabled, optionSources: (plugin) => this.optionSourcesOf(plugin),
      container: this.container,
    });
  }

  /** Where each option of an applied plugin was set: the plan's sources, and "default" for what the schema filled in. */
  optionSourcesOf(plugin: string): OptionSources {
    return this.optionSources.get(plugin) ?? {};
  }

  private discoverOptions(): DiscoverOptions {
    return { cwd: this.cwd, ...(this.configDir ? { configDir: this.configDir } : {}), ...(this.bundledWith ? { bundledWith: this.bundledWith } : {}) };
  }

  private keysOf(hook: HookName): Set<string> {
    if (!this.keys.has(hook)) this.keys.set(hook, new Set());
    return this.keys.get(hook)!;
  }
}

function withDefaults(sources: OptionSources, options: PluginOptions): OptionSources {
  return { ...Object.fromEntries(Object.keys(options).map((key) => [key, { kind: 'default' as const }])), ...sources };
}
