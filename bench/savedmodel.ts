// Prints, per corpus model, the time modelport takes to export it to a SavedModel (frozen, and with
// variables in a tensor bundle), the sizes written, and the time to read the SavedModel back into
// the Graph IR; the tfjs export of the same model is the yardstick. Validation is off (the tests
// run it). Usage: npm run bench:savedmodel [-- --runs 3 --only emotion,rvm]
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { coreServices, createContainer, initBackend, type ExportSummary } from '@modelport/core';
import importerTfjs from '@modelport/importer-tfjs';
import exporterTfjs from '@modelport/exporter-tfjs';
import exporterSavedModel from '@modelport/exporter-savedmodel';
import passes from '@modelport/passes';
import { readSavedModel } from '@modelport/savedmodel';
import { CORPUS_DIR, corpusModels, flag, median } from './corpus-bench.js';

const runs = Number(flag('runs') ?? 3);

async function timeMs<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

async function exportOnce(file: string, out: string, target: string, targetOptions?: Record<string, Record<string, unknown>>): Promise<[number, ExportSummary]> {
  const container = createContainer();
  const { host, pipeline } = coreServices(container);
  for (const plugin of [importerTfjs, passes, exporterTfjs, exporterSavedModel]) await host.apply(plugin as never, {});
  return timeMs(() => pipeline.run({ source: { format: 'tfjs', path: file }, options: { targets: [target], out, validate: false, ...(targetOptions ? { targetOptions } : {}) } }));
}

async function sizeOf(dir: string, files: readonly string[]): Promise<number> {
  let total = 0;
  for (const f of files) total += (await fs.stat(path.join(dir, f))).size;
  return total;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-bench-sm-'));
  const models = corpusModels();
  console.log(`# bench/savedmodel.ts — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, tfjs ${tf.version.tfjs} (${backend}), median of ${runs}`);
  console.log('model | tfjs export ms | frozen export ms | frozen MB | variables export ms | saved_model.pb KB | variables MB | read back ms (frozen) | read back ms (variables)');
  const totals = [0, 0, 0, 0, 0];
  for (const model of models) {
    const file = path.join(CORPUS_DIR, `${model}.json`);
    const t = { tfjs: [] as number[], frozen: [] as number[], variables: [] as number[], readFrozen: [] as number[], readVariables: [] as number[] };
    let frozenBytes = 0, pbBytes = 0, variableBytes = 0;
    for (let r = 0; r < runs; r++) {
      t.tfjs.push((await exportOnce(file, out, 'tfjs'))[0]);
      const [frozenMs, frozen] = await exportOnce(file, out, 'savedmodel');
      const [variablesMs, withVariables] = await exportOnce(file, out, 'savedmodel', { savedmodel: { variables: true } });
      t.frozen.push(frozenMs); t.variables.push(variablesMs);
      const frozenRecord = frozen.artifacts[0]!, variablesRecord = withVariables.artifacts[0]!;
      frozenBytes = await sizeOf(frozen.dir, frozenRecord.files ?? []);
      pbBytes = (await fs.stat(path.join(withVariables.dir, variablesRecord.path))).size;
      variableBytes = await sizeOf(withVariables.dir, (variablesRecord.files ?? []).filter((f) => f.includes('variables/')));
      t.readFrozen.push((await timeMs(() => readSavedModel(path.join(frozen.dir, frozenRecord.path))))[0]);
      t.readVariables.push((await timeMs(() => readSavedModel(path.join(withVariables.dir, variablesRecord.path))))[0]);
    }
    const m = [t.tfjs, t.frozen, t.variables, t.readFrozen, t.readVariables].map(median);
    m.forEach((v, i) => { totals[i]! += v; });
    console.log(`${model} | ${m[0]!.toFixed(0)} | ${m[1]!.toFixed(0)} | ${(frozenBytes / 1048576).toFixed(2)} | ${m[2]!.toFixed(0)} | ${(pbBytes / 1024).toFixed(0)} | ${(variableBytes / 1048576).toFixed(2)} | ${m[3]!.toFixed(0)} | ${m[4]!.toFixed(0)}`);
    await fs.rm(out, { recursive: true, force: true });
    await fs.mkdir(out, { recursive: true });
  }
  console.log(`total | ${totals[0]!.toFixed(0)} | ${totals[1]!.toFixed(0)} | | ${totals[2]!.toFixed(0)} | | | ${totals[3]!.toFixed(0)} | ${totals[4]!.toFixed(0)}`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await fs.rm(out, { recursive: true, force: true });
}

await main();
