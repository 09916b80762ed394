import { ModelLoadError } from '@modelport/core';
import type { MetaGraphDefObject, SavedModelObject } from './saved-model-object.js';

export const SERVE_TAG = 'serve';

/** The MetaGraphDef whose tags are exactly `tags` (as a set), or else the first that has them all. */
export function pickMetaGraph(model: SavedModelObject, tags: readonly string[], file: string): MetaGraphDefObject {
  const metaGraphs = model.metaGraphs ?? [];
  const tagsOf = (m: MetaGraphDefObject) => m.metaInfoDef?.tags ?? [];
  const wanted = new Set(tags);
  const exact = metaGraphs.find((m) => tagsOf(m).length === wanted.size && tagsOf(m).every((t) => wanted.has(t)));
  const found = exact ?? metaGraphs.find((m) => tags.every((t) => tagsOf(m).includes(t)));
  if (!found) {
    const present = metaGraphs.map((m) => `[${tagsOf(m).join(', ')}]`).join(', ');
    throw new ModelLoadError(`no MetaGraphDef is tagged [${tags.join(', ')}]; the tag sets present are ${present}`, { file });
  }
  return found;
}
