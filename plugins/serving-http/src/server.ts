import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError, coreServices, LoggerId, ModelportError, OptionsError, silentLogger, validateOptions, type Hooks, type Logger } from '@modelport/core';
import { collectAdapters, requireAdapter, adapterOptions } from './adapters.js';
import { buildApp } from './app.js';
import { BUILT_IN_PROTOCOLS } from './builtin-protocols.js';
import { ConfigSource } from './config-source.js';
import { loadVersion } from './loader.js';
import { ServingMetrics } from './metrics.js';
import { ModelManager } from './model-manager.js';
import { PLUGIN_NAME, PLUGIN_VERSION, SERVE_OPTIONS_SCHEMA, type ServeOptions, type ServeSettings } from './options.js';
import { collectProtocols, type ProtocolListener, type ServedProtocol } from './protocols.js';
import type { ServingContext } from './routes/context.js';

/** A running server. */
export interface ModelServer {
  /** Base URL, e.g. http://127.0.0.1:8501 */
  readonly url: string;
  readonly port: number;
  /** The protocols it speaks, in the order they were contributed, with where each is reached. */
  readonly protocols: readonly ServedProtocol[];
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

/** Runs each protocol's own listener; if one fails, those already started are closed again. */
async function startListeners(protocols: ReturnType<typeof collectProtocols>, ctx: ServingContext): Promise<Map<string, ProtocolListener>> {
  const listeners = new Map<string, ProtocolListener>();
  for (const c of protocols) {
    if (!c.value.listen) continue;
    try {
      listeners.set(c.value.name, await c.value.listen(ctx));
    } catch (e) {
      await Promise.allSettled([...listeners.values()].map((l) => l.close()));
      if (e instanceof ModelportError) throw e;
      throw new ConfigError(`protocol "${c.value.name}" could not start its listener: ${(e as Error).message}`, { plugin: c.plugin }, { cause: e });
    }
  }
  return listeners;
}

/**
 * Serves a model repository: TF Serving's REST API and KServe's v2 protocol on one HTTP port,
 * and every protocol plugins contribute to SERVING_PROTOCOLS. Resolves once the first scan has
 * loaded what it could (versions that failed are in status) and the ports are open; polls for new
 * versions every `pollSeconds`.
 */
export async function startServer(options: ServeOptions): Promise<ModelServer> {
  const { container: _c, hooks: _h, logger: _l, adapters: extraAdapters, protocols: extraProtocols, ...json } = options;
  const settings = validateOptions<ServeSettings>(SERVE_OPTIONS_SCHEMA, json, 'serve options');
  const { hooks, logger } = hooksOf(options);
  const repository = path.resolve(settings.repository);
  const stat = await fs.stat(repository).catch(() => undefined);
  if (!stat?.isDirectory()) throw new OptionsError(`the model repository "${repository}" is not a directory`, { file: repository });

  const protocols = collectProtocols(BUILT_IN_PROTOCOLS.map((value) => ({ plugin: PLUGIN_NAME, value })), options.container, extraProtocols);
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
  const ctx: ServingContext = { manager, metrics, settings: { ...settings, repository }, logger, serverVersion: PLUGIN_VERSION };
  const app = buildApp(ctx, protocols);
  try {
    // Route clashes and protocols that fail to register surface here, before any model is loaded.
    await app.ready();
  } catch (e) {
    await app.close().catch(() => undefined);
    await manager.close();
    throw e;
  }
  await manager.reconcile();
  try {
    await app.listen({ host: settings.host, port: settings.port });
  } catch (e) {
    await app.close().catch(() => undefined);
    await manager.close();
    throw new OptionsError(`cannot listen on ${settings.host}:${settings.port}: ${(e as Error).message}`, {}, { cause: e });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = `http://${host}:${port}`;
  let listeners: Map<string, ProtocolListener>;
  try {
    listeners = await startListeners(protocols, ctx);
  } catch (e) {
    await app.close();
    await manager.close();
    throw e;
  }
  const served: ServedProtocol[] = protocols.map((c) => ({
    name: c.value.name, description: c.value.description, plugin: c.plugin, address: listeners.get(c.value.name)?.address ?? url,
  }));
  manager.poll(settings.pollSeconds);
  logger.info(`serving ${repository} at ${url}: ${served.map((p) => p.description).join(', ')}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    protocols: served,
    reload: () => manager.reconcile(),
    close: () => (closing ??= (async () => {
      await Promise.allSettled([...listeners.values()].map((l) => l.close()));
      await app.close();
      await manager.close();
    })()),
  };
}
