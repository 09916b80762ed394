import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleLogger, coreServices, createContainer, initBackend, type ExportOptions, type ExportPipeline, type Hooks, type Logger, type PluginHost } from '@modelport/core';
import { loadConfig, Registry, type LoadedConfig, type OptionSources, type PlanOverrides } from '@modelport/registry';

/** The cli package's folder (dist/src/session.js → ../..): the plugins it ships resolve from here, wherever it is installed. */
export const CLI_PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Flags every command shares (see program.ts). */
export interface SessionFlags {
  readonly config?: string;
  readonly preset?: readonly string[];
  readonly plugin?: readonly string[];
  readonly verbose?: boolean;
  /** Presets when neither the project's config nor --preset names any (a command's own default). */
  readonly defaultPresets?: readonly string[];
}

export interface Session {
  /** The command's container: plugins' services and contributions. */
  readonly container: ReturnType<typeof createContainer>;
  readonly registry: Registry;
  readonly hooks: Hooks;
  readonly host: PluginHost;
  readonly pipeline: ExportPipeline;
  readonly logger: Logger;
  readonly config: LoadedConfig;
  /** The config's `export` defaults; command-line flags override them. */
  readonly exportDefaults: Partial<ExportOptions>;
  /** Which preset or config set each export default. */
  readonly exportSources: OptionSources;
  /** What --preset and --plugin change in the config's plan. */
  readonly overrides: PlanOverrides;
}

/** --preset replaces the config's presets (or a command's default ones), --plugin adds plugins. */
function planOverrides(flags: SessionFlags, config: LoadedConfig): PlanOverrides {
  const presets = flags.preset ?? (config.origin === 'default' ? flags.defaultPresets : undefined);
  return { ...(presets ? { presets } : {}), ...(flags.plugin ? { plugins: flags.plugin } : {}) };
}

/**
 * One container for the command: the project's modelport.config.json (or --config), with --preset
 * replacing its presets and --plugin adding plugins, resolved by the registry and applied.
 */
export async function openSession(flags: SessionFlags, options: { loadPlugins?: boolean } = {}): Promise<Session> {
  const logger = consoleLogger(flags.verbose ? 'debug' : 'warn');
  await initBackend(logger); // first, so a bad MODELPORT_BACKEND is reported before any work
  const container = createContainer({ logger });
  const config = await loadConfig({ cwd: process.cwd(), ...(flags.config ? { file: flags.config } : {}) });
  // The user's plugins come from the project (the config's folder, then the working directory);
  // the ones modelport ships from its own installation, so that it works from any folder.
  const registry = new Registry({
    cwd: process.cwd(), container, bundledWith: CLI_PACKAGE_DIR,
    ...(config.file ? { configDir: path.dirname(config.file) } : {}),
  });
  let exportDefaults: Partial<ExportOptions> = {};
  let exportSources: OptionSources = {};
  const overrides = planOverrides(flags, config);
  if (options.loadPlugins !== false) ({ exportDefaults, exportSources } = await registry.configure(config, overrides));
  const { hooks, host, pipeline } = coreServices(container);
  return { container, registry, hooks, host, pipeline, logger, config, exportDefaults, exportSources, overrides };
}
