import { readPluginPackage, type createContainer, type Hooks, type JsonSchema, type Logger, type PluginPackage } from '@modelport/core';
import type { ServingAdapter } from './adapters.js';
import type { ModelsConfigInput } from './model-config.js';
import type { ServingProtocol } from './protocols.js';

const pkg = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export const PLUGIN_NAME = pkg.name;
export const PLUGIN_VERSION = pkg.version;

/** The JSON schema of the serializable server options (options.schema.json), for hosts and the CLI. */
export const SERVE_OPTIONS_SCHEMA: JsonSchema = pkg.optionsSchema;

export interface BatchingOptions {
  readonly enabled: boolean;
  readonly maxBatchSize: number;
  readonly maxQueueDelayMs: number;
  readonly maxEnqueued: number;
}

export interface Limits {
  readonly maxBodyBytes: number;
  readonly maxTensorElements: number;
  /** Bytes all of one request's tensors may take once decoded (elements × bytes of the dtype). */
  readonly maxRequestTensorBytes: number;
  /** Request bodies being received or answered at once, in bytes; more wait their turn. */
  readonly maxBodyBytesInFlight: number;
  readonly requestTimeoutMs: number;
}

export interface WarmupOptions {
  readonly enabled: boolean;
  readonly generate: boolean;
  readonly fillUnknownDims: number;
  readonly iterations: number;
}

/** The options after validation, defaults filled in. */
export interface ServeSettings {
  readonly repository: string;
  readonly host: string;
  readonly port: number;
  readonly pollSeconds: number;
  readonly configFile?: string;
  readonly config?: ModelsConfigInput;
  readonly verifyDigests: boolean;
  readonly drainSeconds: number;
  readonly batching: BatchingOptions;
  readonly limits: Limits;
  readonly warmup: WarmupOptions;
}

/** The inversify container of a session, typed through core. */
export type Container = ReturnType<typeof createContainer>;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

/**
 * What startServer takes: the JSON options of SERVE_OPTIONS_SCHEMA, plus the things a host hands
 * over in code. Runtimes come from the `serve` hook of a configured container (pass `container`,
 * or `hooks` directly); adapters from the container's contributions and from `adapters`.
 */
export interface ServeOptions extends DeepPartial<Omit<ServeSettings, 'repository'>> {
  readonly repository: string;
  /** An inversify container configured by the registry (core's createContainer + Registry.configure). */
  readonly container?: Container;
  readonly hooks?: Hooks;
  readonly logger?: Logger;
  readonly adapters?: readonly ServingAdapter[];
  /** Protocols to speak besides the container's SERVING_PROTOCOLS contributions. */
  readonly protocols?: readonly ServingProtocol[];
}
