// Prints, per corpus model, the time tf.loadGraphModel takes to load it and the time modelport takes
// to export it to tfjs (load + passes + write; validation off, it is timed by the tests' runs).
// Usage: npm run bench:export [-- --runs 3 --only emotion,rvm]
import { promises as fs, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { coreServices, createContainer, initBackend, loadGraphModelFromMemory, readTfjsModelFiles } from '@modelport/core';
import importerTfjs from '@modelport/importer-tfjs';
import exporterTfjs from '@modelport/exporter-tfjs';
import passes from '@modelport/passes';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = path.join(root, '.corpus', 'models');
const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const runs = Number(arg('runs') ?? 3);
const only = arg('only')?.split(',');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-bench-'));
  const models = readdirSync(corpus).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).filter((m) => !only || only.includes(m)).sort();
  console.log(`# bench/export.ts — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, tfjs ${tf.version.tfjs} (${backend}), median of ${runs}`);
  console.log('model | size MB | tfjs load ms | export ms | nodes in → out');
  let totalLoad = 0, totalExport = 0;
  for (const model of models) {
    const file = path.join(corpus, `${model}.json`);
    const loads: number[] = [], exports: number[] = [];
    let nodes = '', size = 0; // filled by the runs
    for (let r = 0; r < runs; r++) {
      loads.push(await timeMs(async () => {
        const files = await readTfjsModelFiles(file);
        size = files.groups.reduce((n, g) => n + g.bytes.byteLength, 0);
        const m = await loadGraphModelFromMemory(files.json, files.groups.flatMap((g) => g.group.weights) as tf.io.WeightsManifestEntry[], new Uint8Array(Buffer.concat(files.groups.map((g) => g.bytes))));
        m.dispose();
      }));
      const container = createContainer();
      const { host, pipeline } = coreServices(container);
      for (const plugin of [importerTfjs, passes, exporterTfjs]) await host.apply(plugin as never, {});
      exports.push(await timeMs(async () => {
        const summary = await pipeline.run({ source: { format: 'tfjs', path: file }, options: { targets: ['tfjs'], out, validate: false } });
        const g = summary.manifest.graph as { sourceNodes: number; nodes: number };
        nodes = `${g.sourceNodes} → ${g.nodes}`;
      }));
    }
    totalLoad += median(loads); totalExport += median(exports);
    console.log(`${model} | ${(size / 1048576).toFixed(2)} | ${median(loads).toFixed(0)} | ${median(exports).toFixed(0)} | ${nodes}`);
  }
  console.log(`total | | ${totalLoad.toFixed(0)} | ${totalExport.toFixed(0)} |`);
  await fs.rm(out, { recursive: true, force: true });
}

await main();
