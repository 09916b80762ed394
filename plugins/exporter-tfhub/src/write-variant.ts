import path from 'node:path';
import {
  checkArtifactRecord, ConfigError, type ArtifactRecord, type ExportContext, type Graph, type Hooks, type PluginHost, type WriteArtifactContext,
} from '@modelport/core';
import { VARIANT_PLUGINS, type VariantName } from './options.js';

/** How the package changes the export options its variants' exporters see. */
export interface VariantOverrides {
  /** Merged over targetOptions[<variant>]. */
  readonly targetOptions: Readonly<Record<string, unknown>>;
  /** Merged over the export's metadata (which exporters keep in their files). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** What a variant's own exporter wrote, with paths relative to the variant's folder. */
export interface WrittenVariant {
  readonly variant: VariantName;
  readonly record: ArtifactRecord;
}

/**
 * The options the variant's exporter sees: the export's own, with its target's options overridden
 * so that it writes at the root of the variant folder (and, for the SavedModel, with variables and
 * the package's assets).
 */
function overriddenExport(ctx: ExportContext, variant: VariantName, overrides: VariantOverrides): ExportContext {
  const targetOptions = ctx.options.targetOptions ?? {};
  const options = {
    ...ctx.options,
    targetOptions: { ...targetOptions, [variant]: { ...targetOptions[variant], ...overrides.targetOptions } },
    ...(overrides.metadata ? { metadata: { ...ctx.options.metadata, ...overrides.metadata } } : {}),
  };
  // The same notes and scratch space: what the variant's exporter reports lands in this export's summary.
  return { ...ctx, options };
}

/** Refuses, before anything is written, a variant whose target no applied plugin writes. */
export function assertVariantWriters(host: PluginHost, variants: readonly VariantName[]): void {
  const missing = variants.filter((v) => host.providers('writeArtifact', v).length === 0);
  if (!missing.length) return;
  const list = missing.map((v) => `"${v}" (install and enable ${VARIANT_PLUGINS[v]})`).join(', ');
  throw new ConfigError(`the tfhub package needs an exporter for target${missing.length > 1 ? 's' : ''} ${list}; or leave ${missing.length > 1 ? 'them' : 'it'} out with targetOptions.tfhub.variants / tflite: false`);
}

/**
 * Writes one variant through the writeArtifact hook of its own target, into `folder`, and checks the
 * record its exporter returned as the host checks any (every listed file is there).
 */
export async function writeVariant(
  hooks: Hooks, host: PluginHost, graph: Graph, ctx: ExportContext, variant: VariantName, folder: string,
  overrides: VariantOverrides,
): Promise<WrittenVariant> {
  const context: WriteArtifactContext = { export: overriddenExport(ctx, variant, overrides), target: variant, dir: folder };
  const value = await hooks.writeArtifact.for(variant).promise(graph, context);
  const writer = host.chosen('writeArtifact', variant) ?? host.providers('writeArtifact', variant)[0];
  const record = await checkArtifactRecord(variant, writer, value, folder);
  return { variant, record: { ...record, path: path.posix.normalize(record.path) } };
}
