import { coreServices, OptionsError, type createContainer, type ExportOptions, type ExportPipeline, type Logger } from '@modelport/core';
import { checkpointsPlugin, PLUGIN_NAME } from './plugin.js';

/** The inversify container of an export session (typed through core, which owns the dependency). */
export type Container = ReturnType<typeof createContainer>;

/**
 * What the host running a manager (a training script, trainer-export, a service) hands it: a
 * container whose plugins are applied, as its registry configured them. The manager loads no
 * plugins itself.
 */
export interface CheckpointServices {
  /** Needed to save; listing, pruning, restoring and watching need none. */
  readonly container?: Container;
  /** Export options the host's configuration sets (modelport.config.json's `export`), below the manager's own. */
  readonly exportDefaults?: Partial<ExportOptions>;
  readonly logger?: Logger;
}

export interface ExportSession {
  readonly pipeline: ExportPipeline;
  readonly logger: Logger;
  readonly exportDefaults: Partial<ExportOptions>;
}

/** The host's pipeline, with the checkpoints plugin applied once. */
export async function openExportSession(services: CheckpointServices, directory: string): Promise<ExportSession> {
  if (!services.container) {
    throw new OptionsError(
      `cannot save to "${directory}": the manager has no export session. Pass one: new CheckpointManager(options, { container }) with a container whose plugins are applied `
      + '(openCheckpointManager in @modelport/trainer-export builds it from modelport.config.json)',
      { plugin: PLUGIN_NAME },
    );
  }
  const { host, pipeline, logger } = coreServices(services.container);
  if (!host.plugins().some((p) => p.name === PLUGIN_NAME)) await host.apply(checkpointsPlugin, {}, 'checkpoint manager');
  return { pipeline, logger: services.logger ?? logger, exportDefaults: services.exportDefaults ?? {} };
}
