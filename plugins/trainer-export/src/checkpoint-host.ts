import { createContainer, type Logger } from '@modelport/core';
import { CheckpointManager, type CheckpointManagerInput, type CheckpointServices } from '@modelport/checkpoint-manager';
import { loadConfig, Registry, type PluginItem } from '@modelport/registry';

/** Where a training script's export plugins come from. */
export interface CheckpointHostOptions {
  /** Where plugins and modelport.config.json are looked up; default: process.cwd(). */
  readonly cwd?: string;
  /** Presets of the session; given with or without `plugins`, they replace the config's ("default" when only plugins are given). */
  readonly presets?: readonly string[];
  /** Plugins of the session, as in modelport.config.json. */
  readonly plugins?: readonly PluginItem[];
  readonly logger?: Logger;
}

/**
 * The services a CheckpointManager exports with, set up as the CLI does: a container configured by
 * the registry from the project's modelport.config.json (or the presets and plugins given).
 */
export async function checkpointServices(options: CheckpointHostOptions = {}): Promise<CheckpointServices> {
  const container = createContainer(options.logger ? { logger: options.logger } : {});
  const cwd = options.cwd ?? process.cwd();
  const registry = new Registry({ cwd, container });
  const plan = options.presets || options.plugins
    ? await registry.configure({ presets: options.presets ?? ['default'], ...(options.plugins ? { plugins: options.plugins } : {}) })
    : await registry.configure(await loadConfig({ cwd }));
  return { container, exportDefaults: plan.exportDefaults, ...(options.logger ? { logger: options.logger } : {}) };
}

/** A CheckpointManager with the project's export session: what a training script usually wants. */
export async function openCheckpointManager(input: CheckpointManagerInput, host: CheckpointHostOptions = {}): Promise<CheckpointManager> {
  return new CheckpointManager(input, await checkpointServices(host));
}
