import { promises as fs } from 'node:fs';
import path from 'node:path';
import { coreServices, LoggerId, OptionsError, silentLogger, validateOptions, type Hooks, type Logger } from '@modelport/core';
import { collectAdapters, requireAdapter, adapterOptions } from './adapters.js';
import { buildApp } from './app.js';
import { ConfigSource } from './config-source.js';
import { loadVersion } from './loader.js';
import { ServingMetrics } from './metrics.js';
import { ModelManager } from './model-manager.js';
import { PLUGIN_VERSION, SERVE_OPTIONS_SCHEMA, type ServeOptions, type ServeSettings } from './options.js';

/** A running server. */
export interface ModelServer {
  /** Base URL, e.g. http://127.0.0.1:8501 */
  readonly url: string;
  readonly port: number;
  /** Scans the repository now (new versions, config changes) and resolves when the pass is done. */
  reload(): Promise<void>;
  /** Stops listening, lets in-flight requests finish, unloads every version. */
  close(): Promise<void>;
}

function hooksOf(options: ServeOptions): { hooks: Hooks; logger: Logger } {
  if (options.hooks) return { hooks: options.hooks, logger: options.logger ?? silentLogger };
  if (options.container) {
    const { hooks } = coreServices(options.container);
    return { hooks, logger: options.logger ?? options.container.get<Logger>(LoggerId) };
  }
  throw new OptionsError('startServer needs the hooks of a configured container: pass `container` (after Registry.configure) or `hooks`');
}

/**
 * Serves a model repository over HTTP: TF Serving's REST API and KServe's v2 protocol on one
 * port. Resolves once the first scan has loaded what it could (versions that failed are in
 * status) and the port is open; polls for new versions every `pollSeconds`.
 */
export async function startServer(options: ServeOptions): Promise<ModelServer> {
  const { container: _c, hooks: _h, logger: _l, adapters: extraAdapters, ...json } = options;
  const settings = validateOptions<ServeSettings>(SERVE_OPTIONS_SCHEMA, json, 'serve options');
  const { hooks, logger } = hooksOf(options);
  const repository = path.resolve(settings.repository);
  const stat = await fs.stat(repository).catch(() => undefined);
  if (!stat?.isDirectory()) throw new OptionsError(`the model repository "${repository}" is not a directory`, { file: repository });

  const adapters = collectAdapters(options.container, extraAdapters);
  const config = await ConfigSource.open(settings.configFile, settings.config);
  // Refuse unknown adapters and bad adapter options at start, not at the first load.
  for (const [model, m] of Object.entries(config.config.models)) {
    if (m.adapter) adapterOptions(requireAdapter(adapters, m.adapter.name, model), m.adapter.options, model);
  }

  const metrics = new ServingMetrics();
  const manager = new ModelManager({
    repository, config, metrics, logger, drainMs: settings.drainSeconds * 1000,
    load: (v, modelConfig) => loadVersion({
      hooks, logger, settings, adapters, configDir: () => config.dir,
      onBatch: (model, version, rows) => metrics.batchSize.observe({ model, version: String(version) }, rows),
    }, v, modelConfig),
  });
  await manager.reconcile();

  const app = buildApp({ manager, metrics, settings: { ...settings, repository }, logger, serverVersion: PLUGIN_VERSION });
  try {
    await app.listen({ host: settings.host, port: settings.port });
  } catch (e) {
    await manager.close();
    throw new OptionsError(`cannot listen on ${settings.host}:${settings.port}: ${(e as Error).message}`, {}, { cause: e });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  manager.poll(settings.pollSeconds);
  logger.info(`serving ${repository} at http://${host}:${port} (TF Serving REST /v1, KServe v2 /v2)`);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    reload: () => manager.reconcile(),
    close: () => (closing ??= (async () => {
      await app.close();
      await manager.close();
    })()),
  };
}
