import type { Signature } from '@modelport/core';
import type { ExporterTfhubOptions, VariantName } from './options.js';
import { signatureTable } from './signature-text.js';
import { savedModelUsage, tfjsUsage, tfliteUsage } from './usage-snippets.js';

/** What the card says about the model: its handle, its metadata tags and what the package holds. */
export interface ModelCard extends Pick<ExporterTfhubOptions, 'publisher' | 'version' | 'task' | 'networkArchitecture' | 'dataset' | 'license' | 'language' | 'fineTunable'> {
  readonly model: string;
  readonly description: string;
  /** `<assetUrl>/` or '' (the archive's name alone, replaced before publishing). */
  readonly assetBase: string;
  readonly variants: readonly VariantName[];
  readonly signatures: Readonly<Record<string, Signature>>;
  /** Signature key → its model.json in the tfjs variant, and the node names tfjs feeds and fetches there. */
  readonly tfjsFiles: Readonly<Record<string, TfjsSignatureFile>>;
  readonly labels?: number;
  readonly vocab?: number;
  readonly doLowerCase?: boolean;
}

/** A signature's model.json in the tfjs variant and its tensors' names there, by signature key. */
export interface TfjsSignatureFile {
  readonly file: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly outputs: Readonly<Record<string, string>>;
}

/** The handle TF Hub URLs and Kaggle paths use: publisher/model/version. */
export function handleOf(card: ModelCard): string {
  return `${card.publisher}/${card.model}/${card.version}`;
}

/**
 * format: saved_model — our SavedModel is a TF1-style MetaGraphDef (graph, variables, signatures, no
 * object graph), so neither saved_model_2 (a TF2 SavedModel with tf.functions and trackable
 * objects) nor hub (the TF1 Hub format needs tfhub_module.pb) fits.
 */
const SAVED_MODEL_FORMAT = 'saved_model';

function metadataLines(tags: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(tags).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `<!-- ${k}: ${v} -->`);
}

/** Where a package asset sits in each variant that carries it: assets/ in the SavedModel, beside model.json in tfjs. */
function assetPlaces(card: ModelCard, name: string): string {
  const places = [
    ...(card.variants.includes('savedmodel') ? [`\`assets/${name}\` (SavedModel)`] : []),
    ...(card.variants.includes('tfjs') ? [`\`${name}\` (tfjs)`] : []),
  ];
  return places.join(' and ') || `\`${name}\``;
}

function assetLines(card: ModelCard): string[] {
  const lines: string[] = [];
  if (card.labels) lines.push(`- ${assetPlaces(card, 'labels.txt')}: the ${card.labels} class labels, one a line, in the order of the class index.`);
  if (card.vocab) lines.push(`- ${assetPlaces(card, 'vocab.txt')}: the ${card.vocab}-token vocabulary, one token a line.`);
  if (card.doLowerCase !== undefined) {
    lines.push(`- do_lower_case = ${card.doLowerCase ? 'True' : 'False'}: lower-case text before looking it up in the vocabulary.`);
    if (card.variants.includes('savedmodel')) lines.push('  SavedModel: `model.signatures["tokenization_info"]()["do_lower_case"]` (the signature TF1 Hub BERT modules answer it with).');
    if (card.variants.some((v) => v !== 'savedmodel')) lines.push('  tfjs and tflite: the model metadata `tokenization` ({ vocab_file, do_lower_case }).');
  }
  return lines.length ? ['## Assets', '', ...lines, ''] : [];
}

/** How a signature composed from export modules is built ("pixels → model → classes"); nothing for the model's own. */
function stagesLine(signature: Signature): string[] {
  if (!signature.stages?.length) return [];
  return [`Built as ${signature.stages.map((s) => (s === 'model' ? 'the model' : `\`${s}\``)).join(' → ')}.`, ''];
}

/** The model card in TF Hub's markdown format: `# Module publisher/model/version`, description, metadata, then free markdown. */
export function renderModelCard(card: ModelCard): string {
  const handle = handleOf(card);
  const url = `https://tfhub.dev/${handle}`;
  // Without a SavedModel there is no TensorFlow asset: tfhub.dev documents such a model as a
  // Placeholder (no asset-path, no format) that its Tfjs and Lite entries name as parent.
  const savedModel = card.variants.includes('savedmodel');
  const lines = [
    `# ${savedModel ? 'Module' : 'Placeholder'} ${handle}`, '', card.description, '',
    ...metadataLines({
      'asset-path': savedModel ? `${card.assetBase}savedmodel.tar.gz` : undefined,
      task: card.task,
      'network-architecture': card.networkArchitecture,
      dataset: card.dataset,
      format: savedModel ? SAVED_MODEL_FORMAT : undefined,
      'fine-tunable': String(card.fineTunable),
      license: card.license,
      language: card.language,
    }),
    '', '## Overview', '',
    `Exported by modelport. Formats in this package: ${card.variants.map((v) => `\`${v}\` (${v}.tar.gz)`).join(', ')}.`, '',
    '## Signatures', '',
  ];
  for (const [key, signature] of Object.entries(card.signatures)) lines.push(`### \`${key}\``, '', ...stagesLine(signature), ...signatureTable(signature), '');
  lines.push('## Usage', '');
  if (card.variants.includes('savedmodel')) lines.push(...savedModelUsage(card, url));
  if (card.variants.includes('tfjs')) lines.push(...tfjsUsage(card, `https://tfhub.dev/${card.publisher}/${card.model}/tfjs/${card.version}`));
  if (card.variants.includes('tflite')) lines.push(...tfliteUsage(card));
  lines.push(...assetLines(card));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A deployment format's own entry (tfjs, lite): `# Tfjs|Lite publisher/model/version` with its parent-model. */
export function renderVariantEntry(card: ModelCard, variant: 'tfjs' | 'tflite'): string {
  const handle = handleOf(card);
  const [kind, asset, what] = variant === 'tfjs'
    ? ['Tfjs', `${card.assetBase}tfjs.tar.gz`, 'a TensorFlow.js graph model (model.json and weight shards)']
    : ['Lite', `${card.assetBase}model.tflite`, 'a TensorFlow Lite model'];
  const lines = [
    `# ${kind} ${handle}`, '', `A deployment format of ${handle}: ${what}.`, '',
    ...metadataLines({ 'asset-path': asset, 'parent-model': handle }),
    '', '## Overview', '',
    ...(variant === 'tfjs' ? tfjsUsage(card, `https://tfhub.dev/${card.publisher}/${card.model}/tfjs/${card.version}`) : tfliteUsage(card)),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
