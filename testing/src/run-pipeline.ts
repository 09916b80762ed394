import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  coreServices, definePlugin, type ArtifactRecord, type ModelSource, type ExportOptions, type ExportSummary, type Graph, type Plugin,
} from '@modelport/core';
import exporterTfjs from '@modelport/exporter-tfjs';
import importerTfjs from '@modelport/importer-tfjs';
import { Registry } from '@modelport/registry';
import runtimeTfjs from '@modelport/runtime-tfjs';
import validation from '@modelport/validation';
import { createTempRepository } from './temp-repository.js';

/** A plugin object, or a plugin with the options it is applied with. */
export type PluginEntry = Plugin<any> | readonly [Plugin<any>, Record<string, unknown>];

export interface PipelineRunOptions {
  /** The model: a graph in memory (GraphBuilder) … */
  readonly graph?: Graph;
  /** … or a fixture: a tfjs model.json, or the folder that holds it … */
  readonly fixture?: string;
  /** … or any source an importer among `plugins` loads ({ format: 'savedmodel', path }). */
  readonly source?: ModelSource;
  /** The plugins under test, applied in order. */
  readonly plugins?: readonly PluginEntry[];
  /**
   * Installed presets to apply after `plugins` (e.g. ['default']), found from `cwd` as the CLI
   * finds them. With presets, the kit adds none of its own plugins: the presets bring them.
   */
  readonly presets?: readonly string[];
  /** The folder presets are found from; process.cwd() by default. */
  readonly cwd?: string;
  readonly targets: readonly string[];
  /** Run every artifact in its runtime against the source (default true). */
  readonly validate?: boolean;
  /** The model repository; a temporary one (removed at exit) by default. */
  readonly out?: string;
  /** The model's name in the repository; 'model' by default. */
  readonly name?: string;
  /** Any other export option (tolerance, targetOptions, quantize …). */
  readonly options?: Partial<ExportOptions>;
}

export interface PipelineRun {
  readonly summary: ExportSummary;
  /** The graph the exporters received: after every transformGraph and quantize tap. */
  readonly graph: Graph;
  /** The version folder written. */
  readonly dir: string;
  /** The export notes (e.g. "onnx: not validated: …"). */
  readonly notes: readonly string[];
  /** The record an exporter returned for `target`; throws when there is none. */
  artifact(target: string): ArtifactRecord & { readonly validation?: ExportSummary['artifacts'][number]['validation'] };
  /** The absolute path of a file the artifact of `target` lists (its main file by default). */
  file(target: string, name?: string): string;
  /** Reads a file of the version folder as text. */
  read(file: string): Promise<string>;
}

const KIT = '@modelport/testing';

/**
 * Runs the export pipeline as the CLI does (every host check included) on a graph or a fixture,
 * with the plugins under test. Unless a plugin given answers for them, the tfjs importer (for a
 * fixture), the tfjs exporter (for a 'tfjs' target), the tfjs runtime and validation are added, so
 * that every artifact in a format with a runtime is checked against the source.
 */
export async function runPipeline(options: PipelineRunOptions): Promise<PipelineRun> {
  if ([options.graph, options.fixture, options.source].filter(Boolean).length !== 1) throw new Error('runPipeline: give one of `graph`, `fixture` or `source`');
  const registry = new Registry({ cwd: options.cwd ?? process.cwd() });
  let exported: Graph | undefined;
  const capture = definePlugin({
    name: KIT, version: '0.1.0',
    apply(hooks) { hooks.afterExport.tapPromise(KIT, async (result) => { exported = result.graph; }); },
  });
  for (const entry of [...(options.plugins ?? []), capture]) await registry.register(...pluginAndOptions(entry));
  if (options.presets?.length) {
    await registry.configure({ presets: [...options.presets] });
  } else {
    // What a plugin under test needs around it, unless it brings its own: the tfjs importer for a
    // fixture, the tfjs exporter for a 'tfjs' target, the tfjs runtime and validation.
    const answered = (hook: 'loadModel' | 'writeArtifact' | 'serve', key: string) => registry.host.providers(hook, key).length > 0;
    const applied = new Set(registry.host.plugins().map((p) => p.name));
    const around: Plugin<any>[] = [
      ...(options.fixture && !answered('loadModel', 'tfjs') ? [importerTfjs] : []),
      ...(options.targets.includes('tfjs') && !answered('writeArtifact', 'tfjs') ? [exporterTfjs] : []),
      ...(!answered('serve', 'tfjs') ? [runtimeTfjs] : []),
      ...(!applied.has(validation.name) ? [validation] : []),
    ];
    for (const plugin of around) await registry.register(plugin);
    await registry.configure({ presets: [] });
  }

  const out = options.out ?? (await createTempRepository('modelport-repo-')).dir;
  const source: ModelSource = options.graph
    ? { format: 'graph', graph: options.graph, name: options.name ?? 'model' }
    : options.source
      ? { ...options.source, ...(options.name ? { name: options.name } : {}) }
      : { format: 'tfjs', path: await modelJson(options.fixture!), ...(options.name ? { name: options.name } : {}) };
  const { pipeline } = coreServices(registry.container);
  const summary = await pipeline.run({
    source, options: { validate: options.validate ?? true, ...options.options, targets: [...options.targets], out } as ExportOptions,
  });
  const artifact = (target: string) => {
    const found = summary.artifacts.find((a) => a.target === target);
    if (!found) throw new Error(`no artifact for target "${target}"; the export wrote ${summary.artifacts.map((a) => a.target).join(', ') || 'none'}`);
    return found;
  };
  return {
    summary, graph: exported!, dir: summary.dir, notes: summary.notes, artifact,
    file: (target, name) => path.join(summary.dir, name ?? artifact(target).path),
    read: (file) => fs.readFile(path.join(summary.dir, file), 'utf8'),
  };
}

async function modelJson(fixture: string): Promise<string> {
  const stat = await fs.stat(fixture);
  return stat.isDirectory() ? path.join(fixture, 'model.json') : fixture;
}

export function pluginAndOptions(entry: PluginEntry): [Plugin<any>, Record<string, unknown>] {
  return Array.isArray(entry) ? [entry[0], entry[1] ?? {}] : [entry as Plugin<any>, {}];
}
