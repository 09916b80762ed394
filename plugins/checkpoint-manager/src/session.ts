import { coreServices, createContainer, type ExportOptions, type ExportPipeline, type Logger } from '@modelport/core';
import { loadConfig, Registry, type ModelportConfig } from '@modelport/registry';
import type { CheckpointManagerOptions } from './options.js';
import { checkpointsPlugin, PLUGIN_NAME } from './plugin.js';

/** The inversify container of an export session (typed through core, which owns the dependency). */
export type Container = ReturnType<typeof createContainer>;

/** What a host may hand a manager instead of letting it build its own session. */
export interface CheckpointServices {
  /** A container whose plugins are already applied (the CLI's, a training service's). */
  readonly container?: Container;
  readonly logger?: Logger;
}

export interface ExportSession {
  readonly pipeline: ExportPipeline;
  readonly logger: Logger;
  /** Export options from modelport.config.json, below the manager's own. */
  readonly exportDefaults: Partial<ExportOptions>;
}

/**
 * The pipeline checkpoints are exported with: the host's container as configured, or a new one
 * set up by the registry like the CLI does (the project's modelport.config.json, or the presets
 * and plugins of the options). Either way the checkpoints plugin is applied once.
 */
export async function openExportSession(options: CheckpointManagerOptions, services: CheckpointServices): Promise<ExportSession> {
  if (services.container) {
    const { host, pipeline, logger } = coreServices(services.container);
    if (!host.plugins().some((p) => p.name === PLUGIN_NAME)) await host.apply(checkpointsPlugin, {}, 'checkpoint manager');
    return { pipeline, logger: services.logger ?? logger, exportDefaults: {} };
  }
  const container = createContainer(services.logger ? { logger: services.logger } : {});
  const cwd = options.cwd ?? process.cwd();
  const registry = new Registry({ cwd, container });
  await registry.register(checkpointsPlugin);
  const plan = options.presets || options.plugins
    ? await registry.configure({ presets: options.presets ?? ['default'], ...(options.plugins ? { plugins: options.plugins } : {}) } satisfies ModelportConfig)
    : await registry.configure(await loadConfig({ cwd }));
  const { pipeline, logger } = coreServices(container);
  return { pipeline, logger, exportDefaults: plan.exportDefaults };
}
