import { attrsFromJson, ModelLoadError, normalizeTensorRef, type Node } from '@modelport/core';
import type { NodeDefObject } from './saved-model-object.js';

/**
 * One NodeDef as an IR node: "^name" inputs become control inputs, "x" becomes "x:0". Attributes
 * whose name starts with "_" (_output_shapes, _class) are TensorFlow's runtime hints and are
 * dropped; devices too, since the IR places nothing.
 */
export function nodeFromNodeDef(def: NodeDefObject): Node {
  // proto3 leaves a missing string empty or absent: a NodeDef without name or op is a corrupt graph.
  if (!def.name) throw new ModelLoadError(`a NodeDef (op ${def.op || 'none'}) has no name: the graph is corrupt`, { op: def.op || undefined });
  if (!def.op) throw new ModelLoadError('the NodeDef has no op: the graph is corrupt', { node: def.name });
  const inputs: string[] = [];
  const controlInputs: string[] = [];
  for (const i of def.input ?? []) {
    if (i.startsWith('^')) controlInputs.push(i.slice(1));
    else inputs.push(normalizeTensorRef(i));
  }
  const attrs = Object.fromEntries(Object.entries(def.attr ?? {}).filter(([k]) => !k.startsWith('_')));
  return { name: def.name, op: def.op, inputs, attrs: attrsFromJson(attrs), ...(controlInputs.length ? { controlInputs } : {}) };
}
