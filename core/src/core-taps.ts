import { describeFrozenInputs, freezeInputValues } from './graph/freeze-input-values.js';
import { pinInputShapes } from './graph/pin-input-shapes.js';
import { placeholderTensor } from './graph/query.js';
import type { Graph } from './graph/types.js';
import type { Hooks } from './hooks.js';
import type { ExportContext } from './context.js';

export const CORE_TAP = '@modelport/core';

function freezeValues(graph: Graph, ctx: ExportContext): Graph {
  const values = ctx.options.inputValues;
  if (!values || Object.keys(values).length === 0) return graph;
  const origins = ctx.request.origins ?? {};
  const frozen = freezeInputValues(graph, values, (name) => origins[`inputValues.${name}`] ?? 'inputValues of the export options');
  const records = Object.assign({}, ...Object.values(frozen.signatures).map((s) => s.frozenInputs ?? {}));
  ctx.notes.push(`input values frozen (constants now, no longer inputs): ${describeFrozenInputs(records)}`);
  return frozen;
}

/**
 * What every export does whatever plugins are installed, tapped like a plugin so that it shows in
 * ordering and errors: pinning input shapes, then freezing input values, runs first among the
 * graph passes (stage -100), so every pass, target and the validation see the same signature,
 * and constant folding sees the frozen values.
 */
export function applyCoreTaps(hooks: Hooks): void {
  hooks.transformGraph.tapPromise({ name: CORE_TAP, stage: -100 }, async (graph, ctx) => {
    const shapes = ctx.options.inputShapes;
    const pinned = shapes && Object.keys(shapes).length ? pinInputShapes(graph, shapes) : graph;
    const at = ctx.notes.length;
    const frozen = freezeValues(pinned, ctx);
    if (pinned !== graph) {
      const byName = new Map(frozen.nodes.map((n) => [n.name, n]));
      // Listed after freezing, so that a frozen input is not shown as an input; noted before it.
      ctx.notes.splice(at, 0, `input shapes: ${frozen.inputs.map((n) => `${n} [${placeholderTensor(byName.get(n)!).shape ?? '?'}]`).join(', ')}`);
    }
    return frozen;
  });
}
