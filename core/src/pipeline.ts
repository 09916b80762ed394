import path from 'node:path';
import { inject, injectable, type Container } from 'inversify';
import { contributionsTo } from './contributions.js';
import { composeSignatures } from './export-modules/compose.js';
import { EXPORT_MODULES } from './export-modules/module.js';
import { ContainerId } from './container-id.js';
import { checkArtifactRecord, unlistedFiles } from './artifact-records.js';
import { ArtifactStore, ArtifactStoreId, type PendingVersion } from './artifacts.js';
import type { ArtifactRecord, ExportContext, ExportOptions, ExportRequest, ExportResult } from './context.js';
import { ConfigError, ModelportError, OptionsError } from './errors.js';
import { describeFsError, isErrnoError } from './fs-errors.js';
import { checkOutputDir } from './output-dir-check.js';
import { assertSaneAttrs } from './graph/attr-sanity.js';
import { assertValidGraph } from './graph/validate.js';
import type { Graph } from './graph/types.js';
import { HooksId, type Hooks } from './hooks.js';
import { LoggerId, type Logger } from './logger.js';
import { EXPORT_OPTIONS_SCHEMA, validateOptions } from './options.js';
import { PluginHost, PluginHostId } from './plugin-host.js';
import type { ValidationReport } from './tensors/compare.js';
import { CORE_VERSION } from './version.js';
import { QUANTIZATION_SUMMARY_KEY } from './graph/quantization/summary.js';

export const ExportPipelineId = Symbol.for('modelport.ExportPipeline');

/** Stages of one export, reported as they start, for progress displays. */
export type ExportStage = 'load' | 'check' | 'transform' | 'quantize' | 'write' | 'validate' | 'commit';
export type ProgressListener = (stage: ExportStage, detail?: string) => void;

export interface ExportSummary {
  readonly model: string;
  readonly version: number;
  readonly dir: string;
  readonly artifacts: readonly (ArtifactRecord & { readonly bytes: number; readonly validation?: ValidationReport; readonly seconds: number })[];
  readonly notes: readonly string[];
  readonly seconds: Readonly<Record<string, number>>;
  readonly manifest: Readonly<Record<string, unknown>>;
}

/** The model name a repository uses when the request names none: file name, or folder of a model.json. */
export function defaultModelName(request: ExportRequest): string {
  if (request.options.modelName) return request.options.modelName;
  if (request.source.name) return request.source.name;
  if (!request.source.path) return 'model';
  const base = path.basename(request.source.path).replace(/\.json$/i, '');
  const name = base === 'model' ? path.basename(path.dirname(path.resolve(request.source.path))) : base;
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '') || 'model';
}

/**
 * ExportPipeline: the order of hooks for one export, nothing else. loadModel → beforeExport →
 * transformGraph → quantize → writeArtifact per target → afterExport → commit of the version.
 * Any failure removes the temp version; earlier versions are never touched.
 */
@injectable()
export class ExportPipeline {
  constructor(
    @inject(HooksId) private readonly hooks: Hooks,
    @inject(PluginHostId) private readonly host: PluginHost,
    @inject(ArtifactStoreId) private readonly store: ArtifactStore,
    @inject(LoggerId) private readonly logger: Logger,
    @inject(ContainerId) private readonly container: Container,
  ) {}

  async run(request: ExportRequest, progress: ProgressListener = () => {}): Promise<ExportSummary> {
    const options = validateOptions<ExportOptions>(EXPORT_OPTIONS_SCHEMA, request.options, 'export options');
    const req: ExportRequest = { ...request, options };
    if (!req.source.graph) this.host.assertSingleProvider('loadModel', req.source.format, 'source format');
    assertDistinctTargets(options.targets);
    for (const target of options.targets) this.host.assertSingleProvider('writeArtifact', target, 'target');
    this.assertQuantizer(options);

    const ctx: ExportContext = { request: req, options, logger: this.logger, notes: [], data: new Map() };
    const seconds: Record<string, number> = {};
    const timed = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try { return await fn(); } finally { seconds[key] = (performance.now() - t0) / 1000; }
    };

    await checkOutputDir(options.out);
    try {
      return await this.runStages(req, ctx, seconds, timed, progress);
    } catch (e) {
      // Node's errno wording ("ENOTDIR: not a directory, mkdir …") becomes the path and what is wrong.
      throw isErrnoError(e) ? new ModelportError(describeFsError(e), {}, { cause: e }) : e;
    } finally {
      await ctx.reference?.dispose();
    }
  }

  /**
   * Signatures built from export modules go in after the passes and quantizers (which see the model
   * alone); the source graph gets the same ones, as the reference validation runs.
   */
  private buildModuleSignatures(graph: Graph, ctx: ExportContext): Graph {
    if (!ctx.options.signatures || Object.keys(ctx.options.signatures).length === 0) return graph;
    const modules = contributionsTo(this.container, EXPORT_MODULES);
    const origin = ctx.request.origins?.moduleOptions;
    ctx.referenceGraph = composeSignatures(ctx.sourceGraph!, ctx.options, modules, origin);
    return composeSignatures(graph, ctx.options, modules, origin);
  }

  /** --quantize with no quantizer tapped would write a float model: refused before anything runs. */
  private assertQuantizer(options: ExportOptions): void {
    if (!options.quantize || this.hooks.quantize.taps.length > 0) return;
    throw new ConfigError(`--quantize ${options.quantize}: no quantizer plugin is installed/selected (add @modelport/quantizer-weights or @modelport/quantizer-int8 to the preset)`);
  }

  private async runStages(
    req: ExportRequest, ctx: ExportContext, seconds: Record<string, number>,
    timed: <T>(key: string, fn: () => Promise<T>) => Promise<T>, progress: ProgressListener,
  ): Promise<ExportSummary> {
    const options = ctx.options;
    progress('load', req.source.path);
    const loaded = req.source.graph ?? await timed('load', () => this.hooks.loadModel.for(req.source.format).promise(req.source, ctx));
    if (!loaded) throw new ModelportError(`no importer recognised the ${req.source.format} model`, { file: req.source.path });
    assertValidGraph(loaded, 'the loaded graph');
    assertSaneAttrs(loaded, req.source.path);
    ctx.sourceGraph = loaded;

    progress('check');
    await this.hooks.beforeExport.promise(ctx);
    progress('transform');
    // Every tap's graph is checked as it returns (PluginHost), so the result needs no check here.
    let graph = await timed('transform', () => this.hooks.transformGraph.promise(loaded, ctx));
    progress('quantize');
    graph = await timed('quantize', () => this.hooks.quantize.promise(graph, ctx));
    graph = this.buildModuleSignatures(graph, ctx);

    const model = defaultModelName(req);
    const pending = await this.store.begin(options.out, model);
    const stale = pending.staleTempDirsRemoved;
    if (stale.length) ctx.notes.push(`removed ${stale.length} temp folder(s) left in the repository by exports whose process is gone: ${stale.join(', ')}`);
    try {
      return await this.writeVersion(graph, ctx, pending, model, seconds, timed, progress);
    } catch (e) {
      await pending.abort();
      throw e;
    }
  }

  private async writeVersion(
    graph: Graph, ctx: ExportContext, pending: PendingVersion, model: string, seconds: Record<string, number>,
    timed: <T>(key: string, fn: () => Promise<T>) => Promise<T>, progress: ProgressListener,
  ): Promise<ExportSummary> {
    const artifacts: ArtifactRecord[] = [];
    for (const target of ctx.options.targets) {
      progress('write', target);
      const record = await timed(`write:${target}`, () => this.hooks.writeArtifact.for(target).promise(graph, { export: ctx, target, dir: pending.dir }));
      const writer = this.host.chosen('writeArtifact', target) ?? this.host.providers('writeArtifact', target)[0];
      artifacts.push(await checkArtifactRecord(target, writer, record, pending.dir));
    }
    const unlisted = await unlistedFiles(pending.dir, artifacts);
    if (unlisted.length) ctx.notes.push(`${unlisted.length} file(s) in the version are listed by no exporter's record (kept, and in the checksums): ${unlisted.join(', ')}`);
    const result: ExportResult = { context: ctx, graph, dir: pending.dir, artifacts, validation: {} };
    progress('validate');
    await timed('validate', () => this.hooks.afterExport.promise(result));

    progress('commit');
    const manifest = {
      modelport: CORE_VERSION,
      model,
      createdAt: new Date().toISOString(),
      source: { format: ctx.request.source.format, ...(ctx.request.source.path ? { path: path.resolve(ctx.request.source.path) } : {}), ...(graph.metadata.source ? { details: graph.metadata.source } : {}) },
      signatures: graph.signatures,
      graph: { sourceNodes: ctx.sourceGraph!.nodes.length, nodes: graph.nodes.length, weights: graph.constants.size },
      targets: artifacts,
      plugins: this.host.plugins(),
      options: ctx.options,
      ...(graph.metadata[QUANTIZATION_SUMMARY_KEY] ? { quantization: graph.metadata[QUANTIZATION_SUMMARY_KEY] } : {}),
      validation: result.validation,
      notes: ctx.notes,
    };
    const { version, dir, files } = await timed('commit', () => pending.commit(manifest, ctx.options.version));
    return {
      model, version, dir, notes: ctx.notes, seconds, manifest,
      artifacts: artifacts.map((a) => ({
        ...a,
        bytes: a.files.reduce((n, f) => n + (files[f]?.bytes ?? 0), 0),
        seconds: seconds[`write:${a.target}`] ?? 0,
        ...(result.validation[a.target] ? { validation: result.validation[a.target] } : {}),
      })),
    };
  }
}

/**
 * A target named twice (`--to tfjs,tfjs`) is refused rather than silently written once: a version
 * holds one artifact per target, and a repeated name is more often a slip for another target.
 */
function assertDistinctTargets(targets: readonly string[]): void {
  const twice = targets.filter((t, i) => targets.indexOf(t) !== i);
  if (twice.length) throw new OptionsError(`targets name ${[...new Set(twice)].map((t) => `"${t}"`).join(', ')} more than once (${targets.join(',')}); a version holds one artifact per target: name each once`);
}
