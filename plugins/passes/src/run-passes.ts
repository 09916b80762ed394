import { assertValidGraph, type ExportContext, type Graph } from '@modelport/core';
import { DEFAULT_FOLD_MAX_ELEMENTS, DEFAULT_FOLD_MAX_GROWTH, foldConstants, type FoldConstantsReport } from './fold-constants.js';
import { pruneDeadCode } from './prune-dead-code.js';
import { removeIdentity, type RemoveIdentityReport } from './remove-identity.js';

export type PassName = 'remove-identity' | 'prune-dead-code' | 'fold-constants';

/** The order passes run in, whatever order the options list them in: each one leaves less for the next. */
export const PASS_ORDER: readonly PassName[] = Object.freeze(['remove-identity', 'prune-dead-code', 'fold-constants']);

/** The plugin's options (options.schema.json). */
export interface PassesOptions {
  readonly passes?: readonly PassName[];
  readonly foldMaxElements?: number;
  readonly foldMaxGrowth?: number;
}

const sum = (counts: Readonly<Record<string, number | undefined>>) => Object.values(counts).reduce<number>((n, c) => n + (c ?? 0), 0);
const listCounts = (counts: Readonly<Record<string, number | undefined>>) =>
  Object.entries(counts).filter(([, n]) => n).sort(([a], [b]) => a.localeCompare(b)).map(([what, n]) => `${n} ${what}`).join(', ');

/**
 * Runs the chosen passes in PASS_ORDER, pruning once more after folding (folding leaves the
 * subgraphs behind its new Consts unread). Checks the graph after each pass, so that a broken pass
 * is named; adds one line to ctx.notes and details at debug level.
 */
export async function runPasses(graph: Graph, options: PassesOptions, ctx: Pick<ExportContext, 'logger' | 'notes'>): Promise<Graph> {
  const chosen = new Set(options.passes ?? PASS_ORDER);
  const summary: string[] = [];
  let pruned = 0;
  const prune = (g: Graph) => {
    const out = pruneDeadCode(g, { onReport: (r) => { pruned += sum(r.pruned); ctx.logger.debug(`prune-dead-code: dropped ${listCounts(r.pruned) || 'nothing'}`); } });
    assertValidGraph(out, 'the graph after prune-dead-code');
    return out;
  };

  if (chosen.has('remove-identity')) {
    let report: RemoveIdentityReport | undefined;
    graph = removeIdentity(graph, { onReport: (r) => { report = r; } });
    assertValidGraph(graph, 'the graph after remove-identity');
    ctx.logger.debug(`remove-identity: removed ${listCounts(report!.removed) || 'nothing'}; kept ${listCounts(report!.kept) || 'none'}`);
    summary.push(`removed ${listCounts(report!.removed) || 'no Identity or NoOp'}`);
  }
  if (chosen.has('prune-dead-code')) graph = prune(graph);
  if (chosen.has('fold-constants')) {
    let report: FoldConstantsReport | undefined;
    graph = await foldConstants(graph, {
      maxElements: options.foldMaxElements ?? DEFAULT_FOLD_MAX_ELEMENTS,
      maxGrowth: options.foldMaxGrowth ?? DEFAULT_FOLD_MAX_GROWTH,
      logger: ctx.logger,
      onReport: (r) => { report = r; },
    });
    assertValidGraph(graph, 'the graph after fold-constants');
    const r = report!;
    ctx.logger.debug(`fold-constants: ${r.constantNodes} constant node(s); ${r.replaced} replaced by ${r.created} Const(s) in ${r.evaluations} tfjs run(s); refused ${listCounts(r.refused) || 'none'}; dropped ${r.controlEdgesDropped} control input(s) naming constants`);
    summary.push(`folded ${r.replaced} node(s) into Consts`);
    if (chosen.has('prune-dead-code')) graph = prune(graph);
  }
  if (chosen.has('prune-dead-code')) summary.push(`pruned ${pruned} node(s)`);
  if (summary.length) ctx.notes.push(`passes: ${summary.join('; ')}`);
  return graph;
}
