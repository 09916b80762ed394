import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Graph } from '@modelport/core';
import type { ExporterTfhubOptions } from './options.js';

/** Text files the package carries beside the model: SavedModel assets/, and the tfjs folder. */
export interface PackageAssets {
  /** File name (labels.txt, vocab.txt) → its text. */
  readonly files: Readonly<Record<string, string>>;
  readonly labels?: number;
  readonly vocab?: number;
  readonly doLowerCase?: boolean;
}

/**
 * Labels a module left on a signature (the classification module's moduleMetadata.classification
 * first), from its labelOffset on: class i is labels[i + labelOffset] there, so line i of
 * labels.txt names class i here.
 */
export function moduleLabels(graph: Graph): readonly string[] | undefined {
  for (const signature of Object.values(graph.signatures)) {
    const metadata = signature.moduleMetadata ?? {};
    for (const m of [metadata.classification, ...Object.values(metadata)]) {
      const labels = m?.labels;
      if (!Array.isArray(labels) || !labels.length || !labels.every((l) => typeof l === 'string')) continue;
      const offset = typeof m!.labelOffset === 'number' && m!.labelOffset > 0 ? m!.labelOffset : 0;
      return (labels as string[]).slice(offset);
    }
  }
  return undefined;
}

async function readLines(file: string, option: string): Promise<string[]> {
  const text = await fs.readFile(path.resolve(file), 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ConfigError(`targetOptions.tfhub.${option}: cannot read "${file}" (${e.code ?? e.message}); give a text file, one entry a line`);
  });
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (!lines.length) throw new ConfigError(`targetOptions.tfhub.${option}: "${file}" is empty; give a text file, one entry a line`);
  return lines;
}

/** do_lower_case when only the vocabulary is given: as the Model Garden's BERT export infers it, from "uncased" in its path. */
function lowerCaseOf(vocabFile: string): boolean {
  return vocabFile.toLowerCase().includes('uncased');
}

/**
 * The labels (option `labels`, else the module labels) and vocabulary (option `vocab`) the package
 * carries, and do_lower_case. do_lower_case without a vocabulary is refused: it only tells how to
 * look text up in one.
 */
export async function packageAssets(graph: Graph, options: ExporterTfhubOptions): Promise<PackageAssets> {
  if (options.doLowerCase !== undefined && !options.vocab) {
    throw new ConfigError('targetOptions.tfhub.doLowerCase is set without targetOptions.tfhub.vocab: do_lower_case says how to look text up in a vocabulary; give the vocab.txt too');
  }
  const files: Record<string, string> = {};
  const labels = options.labels ? await readLines(options.labels, 'labels') : moduleLabels(graph);
  if (labels) files['labels.txt'] = `${labels.join('\n')}\n`;
  const vocab = options.vocab ? await readLines(options.vocab, 'vocab') : undefined;
  if (vocab) files['vocab.txt'] = `${vocab.join('\n')}\n`;
  return {
    files,
    ...(labels ? { labels: labels.length } : {}),
    ...(vocab ? { vocab: vocab.length } : {}),
    ...(vocab ? { doLowerCase: options.doLowerCase ?? lowerCaseOf(options.vocab!) } : {}),
  };
}

/**
 * The card's task when the options give none: a classifier (labels) of images (a 4-D input) or of
 * text (a vocabulary); undefined otherwise, as a wrong guess would misfile the model on tfhub.dev.
 */
export function defaultTask(graph: Graph, assets: PackageAssets): string | undefined {
  if (!assets.labels) return undefined;
  if (assets.vocab) return 'text-classification';
  const images = Object.values(graph.signatures).some((s) => Object.values(s.inputs).some((t) => t.shape?.length === 4));
  return images ? 'image-classification' : undefined;
}
