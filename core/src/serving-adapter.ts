import path from 'node:path';
import { contribute, defineContributionPoint } from './contributions.js';
import type { JsonSchema } from './options.js';
import type { Logger } from './logger.js';
import type { Plugin } from './plugin.js';
import type { Predictor } from './predictor.js';

/** Where an adapted model is; files named in adapter options (labels, vocab) resolve through it. */
export interface AdapterContext {
  readonly model: string;
  readonly version: number;
  /** The version directory. */
  readonly dir: string;
  /** An absolute path for a file named in options: as is when absolute, else in the version directory, else beside the server's config file. */
  resolveFile(file: string): string;
  readonly logger: Logger;
}

/**
 * A serving adapter: wraps a model's Predictor with pre- and post-processing (image decoding,
 * tokenization, box decoding) and returns a Predictor with the signatures clients call. The
 * returned Predictor owns the inner one: disposing it disposes both.
 */
export interface ServingAdapter<Options = any> {
  readonly name: string;
  readonly version: string;
  readonly optionsSchema?: JsonSchema;
  wrap(predictor: Predictor, options: Options, context?: AdapterContext): Predictor | Promise<Predictor>;
}

/**
 * The id adapters were bound to before contribution points; servers still read it, so an adapter
 * that binds itself there directly keeps working. New code contributes to SERVING_ADAPTERS.
 */
export const ServingAdapterId = Symbol.for('modelport.ServingAdapter');

/** An adapter with the options its plugin was applied with, the defaults for every model. */
export interface AdapterContribution {
  readonly adapter: ServingAdapter;
  readonly defaults?: Readonly<Record<string, unknown>>;
}

/**
 * Adapters a server can wrap models with, credited to the plugin that contributed them. Declared
 * here beside the adapter contract, so that adapters depend on core only, not on a server.
 */
export const SERVING_ADAPTERS = defineContributionPoint<AdapterContribution>(
  'serving.adapters', 'a serving adapter (pre- and post-processing around a model) with its default options');

/** The plugin object of an adapter: `apply` contributes it to SERVING_ADAPTERS for servers to find. */
export function adapterPlugin<Options>(adapter: ServingAdapter<Options>): Plugin<Options> & ServingAdapter<Options> {
  return {
    ...adapter,
    apply(_hooks, options, container) {
      contribute(container, SERVING_ADAPTERS, { adapter, defaults: options as Readonly<Record<string, unknown>> });
    },
  };
}

/** How an adapter resolves files: through the server's context, else against the working directory. */
export function resolveWith(context: AdapterContext | undefined): (file: string) => string {
  return context ? (f) => context.resolveFile(f) : (f) => path.resolve(f);
}
