import type { ModuleContext } from '@modelport/core';
import { readLabels } from '@modelport/images';

/** What callers need to name the classes: kept as the signature's moduleMetadata.classification. */
export interface LabelsMetadata {
  readonly labels: readonly string[];
  readonly labelOffset: number;
}

/**
 * Reads the labels now, so that a wrong file fails the export rather than a caller later: class i
 * is labels[i + labelOffset], so there must be exactly classCount + labelOffset of them.
 */
export function labelsMetadata(ctx: ModuleContext, labels: string | readonly string[] | undefined, labelOffset: number, classCount: number): LabelsMetadata | undefined {
  let read: readonly string[] | undefined;
  try {
    read = readLabels(labels, ctx.resolve);
  } catch (e) {
    ctx.fail((e as Error).message + (typeof labels === 'string' ? ` (${ctx.resolve(labels)})` : ''), 'labels');
  }
  if (read === undefined) return undefined;
  if (read.length !== classCount + labelOffset) {
    const offset = labelOffset ? ` + labelOffset ${labelOffset}` : '';
    ctx.fail(`${read.length} labels for ${classCount} classes${offset}: expected ${classCount + labelOffset}`, 'labels');
  }
  return { labels: [...read], labelOffset };
}
