import 'reflect-metadata';
import { Container, ContainerModule } from 'inversify';
import { ArtifactStore, ArtifactStoreId } from './artifacts.js';
import { applyCoreTaps } from './core-taps.js';
import { createHooks, HooksId, type Hooks } from './hooks.js';
import { LoggerId, silentLogger, type Logger } from './logger.js';
import { ExportPipeline, ExportPipelineId } from './pipeline.js';
import { PluginHost, PluginHostId } from './plugin-host.js';
import { ContainerId } from './container-id.js';

export interface CoreContainerOptions {
  readonly logger?: Logger;
}

/** The core bindings: hooks, plugin host, artifact store, export pipeline, logger. */
export function coreModule(options: CoreContainerOptions = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Logger>(LoggerId).toConstantValue(options.logger ?? silentLogger);
    const hooks = createHooks();
    applyCoreTaps(hooks);
    bind<Hooks>(HooksId).toConstantValue(hooks);
    bind<ArtifactStore>(ArtifactStoreId).toConstantValue(new ArtifactStore());
    bind<PluginHost>(PluginHostId).toResolvedValue((hooks: Hooks, container: Container) => new PluginHost(hooks, container), [HooksId, ContainerId]).inSingletonScope();
    bind<ExportPipeline>(ExportPipelineId).to(ExportPipeline).inSingletonScope();
  });
}

export { ContainerId } from './container-id.js';

/** A container with the core module loaded. Each export session gets its own (hooks are per container). */
export function createContainer(options: CoreContainerOptions = {}): Container {
  const container = new Container();
  container.bind<Container>(ContainerId).toConstantValue(container);
  container.load(coreModule(options));
  return container;
}

/** The services a host usually needs, resolved from a container. */
export function coreServices(container: Container): { hooks: Hooks; host: PluginHost; pipeline: ExportPipeline; logger: Logger } {
  return {
    hooks: container.get<Hooks>(HooksId),
    host: container.get<PluginHost>(PluginHostId),
    pipeline: container.get<ExportPipeline>(ExportPipelineId),
    logger: container.get<Logger>(LoggerId),
  };
}
