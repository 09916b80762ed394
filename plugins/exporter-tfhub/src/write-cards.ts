import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@modelport/core';
import { renderModelCard, renderVariantEntry, type ModelCard } from './model-card.js';

/**
 * README.md (the model's card) and the tfhub.dev docs tree to submit: docs/<publisher>/models/<model>/
 * <version>.md, with tfjs/<version>.md and lite/<version>.md as the deployment formats' own entries.
 * Returns the files written, relative to `root`.
 */
export async function writeCards(root: string, card: ModelCard): Promise<string[]> {
  const main = renderModelCard(card);
  const docs = `docs/${card.publisher}/models/${card.model}`;
  const entries: Record<string, string> = { 'README.md': main, [`${docs}/${card.version}.md`]: main };
  if (card.variants.includes('tfjs')) entries[`${docs}/tfjs/${card.version}.md`] = renderVariantEntry(card, 'tfjs');
  if (card.variants.includes('tflite')) entries[`${docs}/lite/${card.version}.md`] = renderVariantEntry(card, 'tflite');
  for (const [file, text] of Object.entries(entries)) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFileAtomic(path.join(root, file), text);
  }
  return Object.keys(entries);
}
