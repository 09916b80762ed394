import { pinInputShapes } from './graph/pin-input-shapes.js';
import type { Hooks } from './hooks.js';

export const CORE_TAP = '@modelport/core';

/**
 * What every export does whatever plugins are installed, tapped like a plugin so that it shows in
 * ordering and errors: pinning input shapes runs first among the graph passes (stage -100), so
 * every pass, target and the validation see the same signature.
 */
export function applyCoreTaps(hooks: Hooks): void {
  hooks.transformGraph.tapPromise({ name: CORE_TAP, stage: -100 }, async (graph, ctx) => {
    const shapes = ctx.options.inputShapes;
    if (!shapes || Object.keys(shapes).length === 0) return graph;
    const pinned = pinInputShapes(graph, shapes);
    ctx.notes.push(`input shapes: ${pinned.inputs.map((n) => `${n} [${(pinned.nodes.find((x) => x.name === n)!.attrs.shape as { shape: number[] | null }).shape ?? '?'}]`).join(', ')}`);
    return pinned;
  });
}
