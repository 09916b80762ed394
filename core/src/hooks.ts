import { AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook, HookMap } from 'tapable';
import type { ArtifactRecord, ExportContext, ExportResult, ModelSource, ServeRequest, WriteArtifactContext } from './context.js';
import type { Graph } from './graph/types.js';
import type { Predictor } from './predictor.js';

/**
 * Every hook of modelport, declared once. The object is frozen: plugins tap these, nobody adds hooks.
 * Order of one export: loadModel → beforeExport → transformGraph → quantize → writeArtifact (per
 * target) → afterExport. `serve` is used by validation and by servers.
 */
export interface Hooks {
  /** Importers, keyed by source format. The first tap that returns a Graph wins. */
  readonly loadModel: HookMap<AsyncSeriesBailHook<[ModelSource, ExportContext], Graph | undefined>>;
  /** Checks of the request and of ctx.sourceGraph, in order; a throw aborts the export. */
  readonly beforeExport: AsyncSeriesHook<[ExportContext]>;
  /** Graph passes: each receives the graph the previous one returned; the host checks each one returned. */
  readonly transformGraph: AsyncSeriesWaterfallHook<[Graph, ExportContext]>;
  /** Quantizers, after the passes, same waterfall contract; they act on ctx.options.quantize. */
  readonly quantize: AsyncSeriesWaterfallHook<[Graph, ExportContext]>;
  /** Exporters, keyed by target: the first tap that returns an ArtifactRecord wins; the host checks its files. */
  readonly writeArtifact: HookMap<AsyncSeriesBailHook<[Graph, WriteArtifactContext], ArtifactRecord | undefined>>;
  /** After all artifacts are written, before the version becomes visible: validation, reports. */
  readonly afterExport: AsyncSeriesHook<[ExportResult]>;
  /** Runtimes, keyed by artifact format: the first tap that returns a Predictor wins. */
  readonly serve: HookMap<AsyncSeriesBailHook<[ServeRequest], Predictor | undefined>>;
}

export type HookName = keyof Hooks;
export const HOOK_NAMES: readonly HookName[] = Object.freeze(
  ['loadModel', 'beforeExport', 'transformGraph', 'quantize', 'writeArtifact', 'afterExport', 'serve'] as const);
/** The hooks that are HookMaps, keyed by format or target. */
export const KEYED_HOOKS: ReadonlySet<HookName> = new Set<HookName>(['loadModel', 'writeArtifact', 'serve']);

export const HooksId = Symbol.for('modelport.Hooks');

export function createHooks(): Hooks {
  return Object.freeze({
    loadModel: new HookMap(() => new AsyncSeriesBailHook<[ModelSource, ExportContext], Graph | undefined>(['source', 'context'])),
    beforeExport: new AsyncSeriesHook<[ExportContext]>(['context']),
    transformGraph: new AsyncSeriesWaterfallHook<[Graph, ExportContext]>(['graph', 'context']),
    quantize: new AsyncSeriesWaterfallHook<[Graph, ExportContext]>(['graph', 'context']),
    writeArtifact: new HookMap(() => new AsyncSeriesBailHook<[Graph, WriteArtifactContext], ArtifactRecord | undefined>(['graph', 'context'])),
    afterExport: new AsyncSeriesHook<[ExportResult]>(['result']),
    serve: new HookMap(() => new AsyncSeriesBailHook<[ServeRequest], Predictor | undefined>(['request'])),
  });
}
