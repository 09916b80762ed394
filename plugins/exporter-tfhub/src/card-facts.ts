import { defaultModelName, type ExportRequest, type Graph } from '@modelport/core';
import { defaultTask, type PackageAssets } from './assets.js';
import type { ModelCard } from './model-card.js';
import type { ExporterTfhubOptions, VariantName } from './options.js';

/** "A model exported by modelport with signatures serving_default (x → logits); classify (image → probabilities, class)." */
function defaultDescription(signatures: Graph['signatures']): string {
  const parts = Object.entries(signatures).map(([key, s]) => `${key} (${Object.keys(s.inputs).join(', ')} → ${Object.keys(s.outputs).join(', ')})`);
  return `A model exported by modelport with signature${parts.length > 1 ? 's' : ''} ${parts.join('; ')}.`;
}

/** What the card states, from the options, the export and what the package holds; defaults where the options are silent. */
export function cardFacts(
  opts: ExporterTfhubOptions, request: ExportRequest, graph: Graph, assets: PackageAssets,
  variants: readonly VariantName[], tfjsFiles: ModelCard['tfjsFiles'],
): ModelCard {
  const task = opts.task ?? defaultTask(graph, assets);
  return {
    publisher: opts.publisher,
    model: opts.modelName ?? defaultModelName(request),
    version: opts.version,
    description: opts.description ?? defaultDescription(graph.signatures),
    assetBase: opts.assetUrl ? `${opts.assetUrl.replace(/\/+$/, '')}/` : '',
    ...(task ? { task } : {}),
    ...(opts.networkArchitecture ? { networkArchitecture: opts.networkArchitecture } : {}),
    ...(opts.dataset ? { dataset: opts.dataset } : {}),
    license: opts.license,
    ...(opts.language ? { language: opts.language } : {}),
    // Only the SavedModel keeps weights as variables: without it there is nothing to train.
    fineTunable: opts.fineTunable && variants.includes('savedmodel'),
    variants, signatures: graph.signatures, tfjsFiles,
    ...(assets.labels ? { labels: assets.labels } : {}),
    ...(assets.vocab ? { vocab: assets.vocab } : {}),
    ...(assets.doLowerCase !== undefined ? { doLowerCase: assets.doLowerCase } : {}),
  };
}
