import { assertValidGraph, type ExportContext, type Graph } from '@modelport/core';
import { DEFAULT_FOLD_MAX_ELEMENTS, DEFAULT_FOLD_MAX_GROWTH, foldConstants } from './fold-constants.js';
import { foldConds } from './fold-conds.js';
import { foldShapes, type FoldShapesReport } from './fold-shapes.js';
import { pruneDeadCode } from './prune-dead-code.js';
import { removeIdentity } from './remove-identity.js';

export type PassName = 'remove-identity' | 'prune-dead-code' | 'fold-shapes' | 'fold-constants';

/** The order passes run in, whatever order the options list them in: each one leaves less for the next. */
export const PASS_ORDER: readonly PassName[] = Object.freeze(['remove-identity', 'prune-dead-code', 'fold-shapes', 'fold-constants']);

/** The plugin's options (options.schema.json). */
export interface PassesOptions {
  readonly passes?: readonly PassName[];
  readonly foldMaxElements?: number;
  readonly foldMaxGrowth?: number;
}

/** Rounds of fold-conds → fold-constants: a cond whose predicate is decided inside another needs two. */
const MAX_COND_ROUNDS = 4;

type Counts = Record<string, number>;
const add = (into: Counts, counts: Readonly<Partial<Counts>>) => {
  for (const [k, n] of Object.entries(counts)) into[k] = (into[k] ?? 0) + (n ?? 0);
};
const total = (counts: Counts) => Object.values(counts).reduce((n, c) => n + c, 0);
const listCounts = (counts: Readonly<Partial<Counts>>) =>
  Object.entries(counts).filter(([, n]) => n).sort(([a], [b]) => a.localeCompare(b)).map(([what, n]) => `${n} ${what}`).join(', ');

/**
 * Runs the chosen passes in PASS_ORDER. After folding, the chosen cleanup passes run once more:
 * folding leaves the subgraphs behind its new Consts unread, and drops control edges to constants,
 * which can leave NoOps with nothing to wait for. Checks the graph after each pass, so that a
 * broken pass is named; adds one line to ctx.notes and details at debug level.
 */
export async function runPasses(graph: Graph, options: PassesOptions, ctx: Pick<ExportContext, 'logger' | 'notes'>): Promise<Graph> {
  const chosen = new Set(options.passes ?? PASS_ORDER);
  const removed: Counts = {};
  const pruned: Counts = {};
  let folded: number | undefined;
  let shapes: FoldShapesReport | undefined;
  let switchesFolded = 0;

  const removeIdentities = (g: Graph) => {
    const out = removeIdentity(g, {
      onReport: (r) => {
        add(removed, r.removed);
        ctx.logger.debug(`remove-identity: removed ${listCounts(r.removed) || 'nothing'}; kept ${listCounts(r.kept) || 'none'}`);
      },
    });
    assertValidGraph(out, 'the graph after remove-identity');
    return out;
  };
  const prune = (g: Graph) => {
    const out = pruneDeadCode(g, {
      onReport: (r) => {
        add(pruned, r.pruned);
        ctx.logger.debug(`prune-dead-code: dropped ${listCounts(r.pruned) || 'nothing'}`);
      },
    });
    assertValidGraph(out, 'the graph after prune-dead-code');
    return out;
  };

  const fixShapes = async (g: Graph) => {
    const out = await foldShapes(g, {
      onReport: (r) => {
        shapes = { folded: (shapes?.folded ?? 0) + r.folded, dynamic: r.dynamic, unknown: r.unknown };
        ctx.logger.debug(`fold-shapes: ${r.folded} Shape/Size/Rank node(s) made Consts, ${r.dynamic} left dynamic (${r.unknown} of them unknown to shape inference)`);
      },
    });
    assertValidGraph(out, 'the graph after fold-shapes');
    return out;
  };
  const fold = async (g: Graph) => {
    const out = await foldConstants(g, {
      maxElements: options.foldMaxElements ?? DEFAULT_FOLD_MAX_ELEMENTS,
      maxGrowth: options.foldMaxGrowth ?? DEFAULT_FOLD_MAX_GROWTH,
      logger: ctx.logger,
      onReport: (r) => {
        folded = (folded ?? 0) + r.replaced;
        ctx.logger.debug(`fold-constants: ${r.constantNodes} constant node(s); ${r.replaced} replaced by ${r.created} Const(s) in ${r.evaluations} tfjs run(s); `
          + `refused ${listCounts(r.refused) || 'none'}; dropped ${r.controlEdgesDropped} control input(s) of or to constants`);
      },
    });
    assertValidGraph(out, 'the graph after fold-constants');
    return out;
  };

  if (chosen.has('remove-identity')) graph = removeIdentities(graph);
  if (chosen.has('prune-dead-code')) graph = prune(graph);
  if (chosen.has('fold-shapes')) graph = await fixShapes(graph);
  if (chosen.has('fold-constants')) {
    graph = await fold(graph);
    // A cond whose predicate folded to a constant (an input frozen with --input-value) keeps only
    // its taken branch, which is then plain graph: shapes and constants are folded again inside it.
    for (let round = 0; round < MAX_COND_ROUNDS; round++) {
      let switches = 0;
      graph = foldConds(graph, { onReport: (r) => { switches = r.switches; ctx.logger.debug(`fold-conds: ${r.switches} Switch(es) on constant predicates, ${r.merges} Merge(s) resolved, ${r.dropped} node(s) of untaken branches dropped`); } });
      if (switches === 0) break;
      switchesFolded += switches;
      assertValidGraph(graph, 'the graph after fold-conds');
      if (chosen.has('remove-identity')) graph = removeIdentities(graph);
      if (chosen.has('prune-dead-code')) graph = prune(graph);
      if (chosen.has('fold-shapes')) graph = await fixShapes(graph);
      graph = await fold(graph);
    }
    if (chosen.has('remove-identity')) graph = removeIdentities(graph);
    if (chosen.has('prune-dead-code')) graph = prune(graph);
  }

  const summary: string[] = [];
  if (chosen.has('remove-identity')) summary.push(`removed ${listCounts(removed) || 'no Identity or NoOp'}`);
  if (shapes?.folded) summary.push(`fixed ${shapes.folded} shape node(s)`);
  if (switchesFolded) summary.push(`kept the taken branch of ${switchesFolded} Switch(es) on a constant predicate`);
  if (folded !== undefined) summary.push(`folded ${folded} node(s) into Consts`);
  if (chosen.has('prune-dead-code')) summary.push(`pruned ${total(pruned)} node(s)`);
  if (summary.length) ctx.notes.push(`passes: ${summary.join('; ')}`);
  return graph;
}
