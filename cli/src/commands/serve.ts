import type { Command } from 'commander';
import { OptionsError } from '@modelport/core';
import { startServer, type ServedProtocol } from '@modelport/serving-http';
import { openSession, type SessionFlags } from '../session.js';
import { announceStopsOnSignal } from '../supervisor-messages.js';

interface ServeFlags {
  port?: string;
  restApiPort?: string;
  host: string;
  pollSeconds?: string;
  batching?: boolean;
  maxBatchSize?: string;
  batchTimeoutMs?: string;
  modelConfigFile?: string;
  restApiTimeoutMs?: string;
  warmup: boolean;
}

function portOf(flags: ServeFlags): number {
  if (flags.port && flags.restApiPort && flags.port !== flags.restApiPort) {
    throw new OptionsError(`--port ${flags.port} and --rest-api-port ${flags.restApiPort} disagree: they name the same port`);
  }
  return Number(flags.port ?? flags.restApiPort ?? 8501);
}

/** "KServe v2 /v2" for routes on the server's URL; a protocol with a listener of its own says where. */
function describeProtocol(protocol: ServedProtocol, url: string): string {
  return protocol.address === url ? protocol.description : `${protocol.description} at ${protocol.address}`;
}

/** `modelport serve`: a model repository over TF Serving REST, KServe v2 and contributed protocols, until SIGINT/SIGTERM. */
export function registerServe(program: Command): void {
  program.command('serve')
    .description('serve a model repository (<repository>/<model>/<version>/) over TF Serving REST, KServe v2 and the protocols plugins add')
    .argument('<repository>', 'the model repository the exporters write')
    .option('--port <n>', 'HTTP port for both protocols (default 8501)')
    .option('--rest-api-port <n>', 'the same, by TF Serving\'s name')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--poll-seconds <s>', 'how often to look for new versions (0: only at start)')
    .option('--batching', 'dynamic batching for every model')
    .option('--max-batch-size <n>', 'with --batching: most rows per batch')
    .option('--batch-timeout-ms <ms>', 'with --batching: longest wait for a batch to fill')
    .option('--model-config-file <file>', 'per-model config: version policy, labels, adapter, batching, formats')
    .option('--rest-api-timeout-ms <ms>', 'per-request deadline')
    .option('--no-warmup', 'mark versions available without replaying a sample request')
    .action(async (repository: string, flags: ServeFlags, command: Command) => {
      const globals = command.optsWithGlobals() as SessionFlags;
      // Without a project config or --preset, serving wants the adapters too.
      const session = await openSession({ ...globals, ...(globals.preset ? {} : { defaultPresets: ['serving'] }) });
      const server = await startServer({
        repository, host: flags.host, port: portOf(flags),
        ...(flags.pollSeconds !== undefined ? { pollSeconds: Number(flags.pollSeconds) } : {}),
        ...(flags.modelConfigFile ? { configFile: flags.modelConfigFile } : {}),
        batching: {
          ...(flags.batching ? { enabled: true } : {}),
          ...(flags.maxBatchSize ? { maxBatchSize: Number(flags.maxBatchSize) } : {}),
          ...(flags.batchTimeoutMs ? { maxQueueDelayMs: Number(flags.batchTimeoutMs) } : {}),
        },
        ...(flags.restApiTimeoutMs ? { limits: { requestTimeoutMs: Number(flags.restApiTimeoutMs) } } : {}),
        warmup: { enabled: flags.warmup },
        container: session.registry.container, logger: session.logger,
      });
      process.stdout.write(`serving ${repository} at ${server.url} (${server.protocols.map((p) => describeProtocol(p, server.url)).join(', ')})\n`);
      await new Promise<void>((resolve) => {
        // Once only, though a Ctrl-C reaches the command twice (from the terminal and from bin.ts).
        let stopping = false;
        const stop = () => { if (!stopping) { stopping = true; void server.close().then(resolve); } };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        process.on('SIGHUP', () => { void server.reload(); });
        void announceStopsOnSignal(); // closing may take longer than bin.ts's grace
      });
    });
}
