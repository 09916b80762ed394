// Prints, per corpus model, what the host's check of a graph returned by a transformGraph or
// quantize tap costs (checkTapGraph: names, references, order, constants, signatures): nodes and
// the median milliseconds of one check. An export pays it once per tap.
// Usage: npm run build && node bench/dist/tap-checks.js [--runs 50 --only facemesh,facemesh-attention]
import { checkTapGraph, loadTfjsGraphModel } from '@modelport/core';
import path from 'node:path';
import { CORPUS_DIR, corpusModels, flag, median } from './corpus-bench.js';

const runs = Number(flag('runs') ?? 50);

for (const model of corpusModels()) {
  const graph = await loadTfjsGraphModel(path.join(CORPUS_DIR, `${model}.json`)).catch(() => undefined);
  if (!graph) continue; // layers models: the importer plugin builds their graph
  checkTapGraph('transformGraph', graph);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    checkTapGraph('transformGraph', graph);
    times.push(performance.now() - t0);
  }
  console.log(`${model.padEnd(32)} ${String(graph.nodes.length).padStart(6)} nodes  ${median(times).toFixed(2).padStart(7)} ms`);
}
