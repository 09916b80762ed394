import path from 'node:path';
import type { JsonSchema, Logger, Plugin, Predictor } from '@modelport/core';

/*
 * The adapter contract of @modelport/serving-http, restated here because plugins do not import
 * each other; the symbol is global (Symbol.for), so both sides meet. It belongs in core (README).
 */

/** Where the adapted model is; files named in options resolve through it. */
export interface AdapterContext {
  readonly model: string;
  readonly version: number;
  readonly dir: string;
  resolveFile(file: string): string;
  readonly logger: Logger;
}

export interface ServingAdapter<Options> {
  readonly name: string;
  readonly version: string;
  readonly optionsSchema?: JsonSchema;
  wrap(predictor: Predictor, options: Options, context?: AdapterContext): Predictor;
}

export const ServingAdapterId = Symbol.for('modelport.ServingAdapter');

/** The plugin object of an adapter: `apply` offers it to servers, with its options as defaults for every model. */
export function adapterPlugin<Options>(adapter: ServingAdapter<Options>): Plugin<Options> & ServingAdapter<Options> {
  return {
    ...adapter,
    apply(_hooks, options, container) {
      container.bind(ServingAdapterId).toConstantValue({ adapter, defaults: options });
    },
  };
}

/** Without a server's context, files resolve against the working directory. */
export function resolveWith(context: AdapterContext | undefined): (file: string) => string {
  return context ? (f) => context.resolveFile(f) : (f) => path.resolve(f);
}
