// Prints, per corpus model and quantization mode (float, dynamic, int8): the .tflite and .onnx sizes,
// the latency of one batch-1 inference in LiteRT.js and onnxruntime-node (1 thread each, median),
// and the accuracy validation measured against the float source (cosine, top-1 agreement). Exports
// go through the modelport command as a user runs it; int8 is calibrated on the photos of
// `npm run test-data` (models whose input is not one image: seeded noise, marked "noise").
// Usage: npm run bench:quantize [-- --runs 10 --only emotion,age --modes float,dynamic,int8 --markdown]
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { concreteShape, randomTensor, seededRandom, silentLogger, type DType, type Predictor, type TensorData } from '@modelport/core';
import { loadOnnxPredictor } from '@modelport/runtime-onnx';
import { loadTflitePredictor } from '@modelport/runtime-tflite';
import { CORPUS_DIR, corpusModels, flag, median, ROOT, timeRuns } from './corpus-bench.js';

const runs = Number(flag('runs') ?? 10);
const modes = (flag('modes') ?? 'float,dynamic,int8').split(',');
const CLI = path.join(ROOT, 'cli', 'dist', 'src', 'bin.js');
const PHOTOS = path.join(ROOT, '.test-data', 'skimage');
const NEAR_ZERO = 1e-2;

/** Inputs TFLite cannot leave dynamic, pinned as the corpus tests pin them. */
const PINNED: Readonly<Record<string, readonly string[]>> = {
  faceboxes: ['image_tensor=1,64,64,3'],
  handtrack: ['input_tensor=1,320,320,3'],
  rvm: ['src=1,96,128,3', 'downsample_ratio=', 'r1i=', 'r2i=', 'r3i=', 'r4i='],
};
const FROZEN: Readonly<Record<string, readonly string[]>> = { rvm: ['downsample_ratio=1'] };

interface Measured { cosine: number; maxAbsRef: number; top1?: number }
interface Artifact { target: string; path: string; bytes: number; validation?: { outputs: Measured[]; accuracy?: { outputs: Measured[] } } }
interface Row { model: string; mode: string; target: string; bytes: number; ms: number; cosine?: number; top1?: number; calibration: string; error?: string }

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** One image input of 1 or 3 channels: calibrated on photos; anything else on noise. */
async function calibrationFlags(model: string): Promise<{ flags: string[]; source: string }> {
  type Dims = { dim?: { size?: string }[] };
  const json = JSON.parse(await fs.readFile(path.join(CORPUS_DIR, `${model}.json`), 'utf8')) as { modelTopology?: { node?: { op: string; attr?: { shape?: { shape?: Dims } } }[] } };
  const inputs = (json.modelTopology?.node ?? []).filter((n) => n.op === 'Placeholder');
  const dims = inputs[0]?.attr?.shape?.shape?.dim?.map((d) => Number(d.size ?? -1));
  const image = inputs.length === 1 && dims?.length === 4 && (dims[3] === 3 || dims[3] === 1);
  if (image && existsSync(PHOTOS)) return { flags: ['--calibration-data', PHOTOS], source: 'photos' };
  if (image) throw new Error(`no photos in ${PHOTOS}: run npm run test-data`);
  return { flags: ['--calibration', 'random'], source: 'noise' };
}

async function latency(target: string, file: string): Promise<number> {
  const predictor: Predictor = target === 'onnx'
    ? await loadOnnxPredictor(file, silentLogger, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' })
    : await loadTflitePredictor(file, silentLogger);
  try {
    const sig = predictor.signatures.serving_default ?? Object.values(predictor.signatures)[0]!;
    const random = seededRandom(5);
    const inputs: Record<string, TensorData> = Object.fromEntries(Object.entries(sig.inputs)
      .map(([k, t]) => [k, randomTensor(t.dtype as DType, concreteShape(t.shape, 64), random)]));
    return await timeRuns(runs, () => predictor.predict(inputs));
  } finally {
    await predictor.dispose();
  }
}

async function exportModel(model: string, mode: string, out: string): Promise<Row[]> {
  const calibration = mode === 'int8' ? await calibrationFlags(model) : { flags: [], source: '' };
  const args = ['export', path.join(CORPUS_DIR, `${model}.json`), '--to', 'tflite,onnx', '--out', out, '--name', `${model}-${mode}`, '--json', '--no-progress',
    ...(PINNED[model] ?? []).flatMap((p) => ['--input-shape', p]), ...(FROZEN[model] ?? []).flatMap((v) => ['--input-value', v]),
    ...(mode === 'float' ? [] : ['--quantize', mode]), ...calibration.flags];
  const result = await cli(args);
  if (result.code !== 0) return [{ model, mode, target: 'tflite,onnx', bytes: 0, ms: 0, calibration: calibration.source, error: result.stderr.trim().split('\n').pop() ?? `exit ${result.code}` }];
  const summary = JSON.parse(result.stdout) as { dir: string; artifacts: Artifact[] };
  const rows: Row[] = [];
  for (const a of summary.artifacts) {
    // Integer modes record accuracy over the held-out samples; float ones, the comparison on one input.
    // Outputs that stay near zero (a presence score of 1e-6 on photos without the object) have no
    // meaningful cosine: the worst of the others is shown.
    const all = a.validation?.accuracy?.outputs ?? a.validation?.outputs ?? [];
    const outputs = all.some((o) => o.maxAbsRef >= NEAR_ZERO) ? all.filter((o) => o.maxAbsRef >= NEAR_ZERO) : all;
    const top1 = outputs.map((o) => o.top1).filter((v): v is number => v !== undefined);
    rows.push({
      model, mode, target: a.target, bytes: a.bytes, ms: await latency(a.target, path.join(summary.dir, a.path)), calibration: calibration.source,
      ...(outputs.length ? { cosine: Math.min(...outputs.map((o) => o.cosine)) } : {}),
      ...(top1.length ? { top1: Math.min(...top1) } : {}),
    });
  }
  return rows;
}

function print(rows: readonly Row[]): void {
  const float = (r: Row) => rows.find((f) => f.model === r.model && f.target === r.target && f.mode === 'float');
  console.log('model | mode | target | size MB | × float size | ms (1 thread) | speed-up vs float | cosine | top-1 | calibration');
  for (const r of rows) {
    if (r.error) { console.log(`${r.model} | ${r.mode} | ${r.target} | failed: ${r.error.slice(0, 200)}`); continue; }
    const f = float(r);
    console.log([r.model, r.mode, r.target, (r.bytes / 1e6).toFixed(2), f ? (r.bytes / f.bytes).toFixed(2) : '—', r.ms.toFixed(2),
      f ? `${(f.ms / r.ms).toFixed(2)}×` : '—', r.cosine?.toFixed(4) ?? '—', r.top1?.toFixed(3) ?? '—', r.calibration || '—'].join(' | '));
  }
  console.log('\nmedian over models | target | mode | × float size | speed-up vs float');
  for (const target of ['tflite', 'onnx']) {
    for (const mode of modes.filter((m) => m !== 'float')) {
      const pairs = rows.filter((r) => r.target === target && r.mode === mode && !r.error).map((r) => [r, float(r)] as const).filter(([, f]) => f && !f.error);
      if (!pairs.length) continue;
      console.log(`all (${pairs.length}) | ${target} | ${mode} | ${median(pairs.map(([r, f]) => r.bytes / f!.bytes)).toFixed(2)} | ${median(pairs.map(([r, f]) => f!.ms / r.ms)).toFixed(2)}×`);
    }
  }
}

async function main(): Promise<void> {
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-bench-quantize-'));
  console.log(`# bench/quantize.ts — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, LiteRT.js (wasm, XNNPACK, 1 thread) and onnxruntime-node (1 intra-op thread), median of ${runs} after 1 warm-up, batch 1`);
  const rows: Row[] = [];
  try {
    for (const model of corpusModels()) {
      for (const mode of modes) {
        rows.push(...await exportModel(model, mode, out));
        const last = rows[rows.length - 1]!;
        process.stderr.write(`${model} ${mode}: ${last.error ?? 'ok'}\n`);
      }
    }
  } finally {
    await fs.rm(out, { recursive: true, force: true });
  }
  print(rows);
}

await main();
