import type { FastifyInstance } from 'fastify';
import { ConfigError, contributionsTo, defineContributionPoint, type Contribution } from '@modelport/core';
import type { Container } from './options.js';
import type { ServingContext } from './routes/context.js';

/** A listener a protocol runs itself (a gRPC or raw TCP port), next to the HTTP port. */
export interface ProtocolListener {
  /** Where clients reach it, e.g. "grpc://127.0.0.1:8500". */
  readonly address: string;
  /** Stops taking requests and lets those in flight finish. */
  close(): Promise<void>;
}

/**
 * A protocol the server speaks. `register` adds routes to the server's HTTP app (in a scope of
 * their own: its hooks and decorations stay there); `listen` runs a listener of its own. Both get
 * the same context, so every protocol serves the same models, versions, batching and limits.
 */
export interface ServingProtocol {
  /** Unique among the server's protocols: "tf-serving-rest", "kserve-v2". */
  readonly name: string;
  /** For people, with where it is: "TF Serving REST /v1". */
  readonly description: string;
  register?(app: FastifyInstance, ctx: ServingContext): void | Promise<void>;
  listen?(ctx: ServingContext): Promise<ProtocolListener>;
}

/** The protocols a plugin adds to every server of its session; serving-http contributes TF Serving REST and KServe v2. */
export const SERVING_PROTOCOLS = defineContributionPoint<ServingProtocol>(
  'serving-http.protocols', 'a protocol the model server speaks: routes on its HTTP app, or a listener of its own');

/** A protocol a running server speaks, who contributed it and where. */
export interface ServedProtocol {
  readonly name: string;
  readonly description: string;
  readonly plugin: string;
  /** The HTTP base URL for routes, the listener's address for `listen`. */
  readonly address: string;
}

/**
 * The server's protocols: the built-in ones (unless the session's serving-http plugin already
 * contributed them), the container's contributions in the order plugins were applied, then those
 * passed in code. Two with one name are refused, naming both contributors.
 */
export function collectProtocols(
  builtIn: Contribution<ServingProtocol>[], container: Container | undefined, extra: readonly ServingProtocol[] = [],
): Contribution<ServingProtocol>[] {
  const contributed = container ? contributionsTo(container, SERVING_PROTOCOLS) : [];
  const builtInPlugin = builtIn[0]?.plugin;
  const all = [
    ...(contributed.some((c) => c.plugin === builtInPlugin) ? [] : builtIn),
    ...contributed,
    ...extra.map((value) => ({ plugin: 'startServer({ protocols })', value })),
  ];
  const byName = new Map<string, Contribution<ServingProtocol>>();
  for (const c of all) {
    if (!c.value.register && !c.value.listen) {
      throw new ConfigError(`serving protocol "${c.value.name}" has neither register (HTTP routes) nor listen (a listener of its own); give it one`, { plugin: c.plugin });
    }
    const first = byName.get(c.value.name);
    if (first) {
      throw new ConfigError(`serving protocol "${c.value.name}" is contributed twice, by ${first.plugin} and by ${c.plugin}; rename one of them or leave one plugin out of the session`);
    }
    byName.set(c.value.name, c);
  }
  return all;
}
