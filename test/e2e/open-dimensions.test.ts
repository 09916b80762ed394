import { expect } from 'chai';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import {
  initBackend, judgeOutput, randomTensor, seededRandom, silentLogger, type DType, type Predictor, type TensorData,
} from '@modelport/core';
import { loadOnnxPredictor } from '@modelport/runtime-onnx';
import { loadGraphModelPredictor } from '@modelport/runtime-tfjs';
import { runCli } from '../support/cli.js';
import { scratchDir } from '../support/fixtures.js';
import { fullyConvolutional, saveLayersModel } from '../support/fully-convolutional.js';
import { CORPUS_DIR } from '../support/paths.js';
import { unmatchedRankedRow, type RankedOutputs } from '../support/ranked-rows.js';
import { graphModelSource, layersModelSource, type SourceModel } from '../support/source-models.js';

/** Relative to max|ref|, as validation's default; judgeOutput adds its rules for an uncertain reference. */
const TOLERANCE = 1e-4;

interface Size {
  readonly h: number;
  readonly w: number;
  readonly batch?: number;
  /** rvm's: the network runs at this fraction of the frame's size (1 when not given). */
  readonly downsampleRatio?: number;
}
/** Tensors by signature name. */
type Tensors = Record<string, TensorData>;

interface OpenDimensionModel {
  readonly name: string;
  /** The model.json to export (written into `dir` when it is not a corpus file). */
  file(dir: string): Promise<string>;
  source(file: string): Promise<SourceModel>;
  /** Flags the export needs beyond `--to`, `--out` and `--json`. */
  exportFlags?(dir: string): Promise<string[]>;
  /** Inputs at `size` by signature name; defaults to seeded random ones, open axes filled from `size`. */
  inputs?(source: SourceModel, size: Size): Promise<Tensors>;
  /** Detections ranked by score, whose near-tied rows may come in either order. */
  readonly ranked?: RankedOutputs;
  /** Every size here runs in the source itself (rvm included: 203 at ratio 1 and 0.5), so none is skipped. */
  readonly sizes: readonly Size[];
}

const SQUARE: readonly Size[] = [{ h: 160, w: 160 }, { h: 203, w: 203 }, { h: 256, w: 256 }, { h: 320, w: 320 }];
const NON_SQUARE: Size = { h: 160, w: 256 };
const BATCH_TWO: Size = { h: 160, w: 160, batch: 2 };

const label = (s: Size) => `${s.h}×${s.w}${s.batch ? ` batch ${s.batch}` : ''}${s.downsampleRatio ? ` downsample ratio ${s.downsampleRatio}` : ''}`;

/** An image as the model takes it: floats in [0, 1), integer pixels (uint8, int32) over 0–255 rather than randomTensor's 0–9. */
function randomImage(dtype: DType, shape: readonly number[], random: () => number): TensorData {
  if (dtype.startsWith('float')) return randomTensor(dtype, shape, random);
  const t = randomTensor(dtype, shape, () => 0);
  const data = t.data as Int32Array | Uint8Array;
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256);
  return t;
}

/** Random inputs by the source's signature: axis 0 open → batch, axes 1 and 2 open → height and width. */
function randomInputs(source: SourceModel, size: Size, fixed: Tensors = {}, seed = 0): Tensors {
  const random = seededRandom(seed * 1_000_003 + size.h * 1000 + size.w + (size.batch ?? 1));
  return Object.fromEntries(Object.entries(source.signature.inputs).map(([name, spec]) => {
    if (fixed[name]) return [name, fixed[name]!];
    if (!spec.shape) throw new Error(`input "${name}" has no known rank: give it a value`);
    const fill = [size.batch ?? 1, size.h, size.w];
    const shape = spec.shape.map((d, axis) => (d === -1 ? fill[axis] ?? 1 : d));
    return [name, randomImage(spec.dtype as DType, shape, random)];
  }));
}

const scalar = (value: number): TensorData => ({ dtype: 'float32', shape: [], data: Float32Array.of(value) });
const corpusFile = (name: string) => async () => path.join(CORPUS_DIR, `${name}.json`);

/**
 * rvm as a second video frame: the first runs from the scalar zero states it starts
 * with, and the states it returns (r1o…r4o, sized by the frame) are the second frame's r1i…r4i.
 */
async function rvmSecondFrame(source: SourceModel, size: Size): Promise<Tensors> {
  const start = { 'downsample_ratio:0': scalar(size.downsampleRatio ?? 1), 'r1i:0': scalar(0), 'r2i:0': scalar(0), 'r3i:0': scalar(0), 'r4i:0': scalar(0) };
  const states = await source.run(randomInputs(source, size, start, 1));
  return randomInputs(source, size, { ...start, 'r1i:0': states.r1o!, 'r2i:0': states.r2o!, 'r3i:0': states.r3o!, 'r4i:0': states.r4o! }, 2);
}

const MODELS: readonly OpenDimensionModel[] = [
  // faceboxes at 256×256 is the regression case: its anchor grid sizes (Size of the meshgrids) are
  // the same at 64 and 96 but not at 160 and above, so they must not be baked into the file.
  {
    name: 'faceboxes', file: corpusFile('faceboxes'), source: graphModelSource, sizes: [...SQUARE, NON_SQUARE, BATCH_TWO],
    ranked: { scores: 'scores', rows: ['boxes'] },
  },
  { name: 'handtrack', file: corpusFile('handtrack'), source: graphModelSource, sizes: [...SQUARE, NON_SQUARE] },
  { name: 'movenet-multipose', file: corpusFile('movenet-multipose'), source: graphModelSource, sizes: [...SQUARE, NON_SQUARE] },
  {
    name: 'rvm', file: corpusFile('rvm'), source: graphModelSource,
    sizes: [...SQUARE, NON_SQUARE, BATCH_TWO, { h: 256, w: 256, downsampleRatio: 0.5 }, { h: 203, w: 203, downsampleRatio: 0.5 }, { h: 160, w: 256, downsampleRatio: 0.25 }],
    // Validation needs the inputs rvm is meant to take: scalar zero states and a scalar ratio.
    async exportFlags(dir) {
      const file = path.join(dir, 'rvm-inputs.json');
      const src = { shape: [1, 64, 64, 3], data: Array.from({ length: 64 * 64 * 3 }, (_, i) => (i % 251) / 251) };
      const zero = { shape: [], data: [0] };
      await fs.writeFile(file, JSON.stringify({ src, downsample_ratio: { shape: [], data: [1] }, r1i: zero, r2i: zero, r3i: zero, r4i: zero }));
      return ['--inputs', file];
    },
    inputs: rvmSecondFrame,
  },
  {
    name: 'a Keras fully convolutional model',
    file: (dir) => saveLayersModel(fullyConvolutional(), path.join(dir, 'fcn')),
    source: async () => layersModelSource(fullyConvolutional()),
    sizes: [...SQUARE, NON_SQUARE, BATCH_TWO],
  },
];

/** The source's outputs at one size: on the usual backend, and on tfjs cpu once asked for. */
interface SourceRun { readonly inputs: Tensors; readonly reference: Tensors; cpu(): Promise<Tensors> }

/**
 * Every output of the source judged against the artifact's; one line per output that differs.
 * Ranked detections that differ only in the order of near-tied rows agree.
 */
async function differences(actual: Tensors, run: SourceRun, ranked?: RankedOutputs): Promise<string[]> {
  const problems = new Map<string, string>();
  for (const [name, want] of Object.entries(run.reference)) {
    const got = actual[name];
    if (!got) { problems.set(name, `${name}: the artifact does not return it`); continue; }
    const v = await judgeOutput(name, got, want, async () => (await run.cpu())[name]!, TOLERANCE);
    if (!v.ok) problems.set(name, `${name}: ${v.problem}${v.note ? ` (${v.note})` : ''}`);
  }
  const rankedNames = ranked ? [ranked.scores, ...ranked.rows] : [];
  if (ranked && problems.size && [...problems.keys()].every((n) => rankedNames.includes(n) && actual[n])) {
    const unmatched = unmatchedRankedRow(ranked, actual, run.reference, TOLERANCE);
    if (!unmatched) return [];
    problems.set(ranked.scores, `${[...problems.values()].join('; ')}; as ranked rows: ${unmatched}`);
    for (const n of ranked.rows) problems.delete(n);
  }
  return [...problems.values()];
}

const RUNTIMES = [
  { target: 'tfjs', runtime: 'tfjs', load: (file: string) => loadGraphModelPredictor(file, silentLogger) },
  { target: 'onnx', runtime: 'onnxruntime', load: (file: string) => loadOnnxPredictor(file, silentLogger, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' }) },
] as const;

/**
 * A model whose input declares an open dimension (-1) promises every size: each one is exported
 * once, without pins, and both artifacts must then match the source at sizes other than the one
 * the export was validated at — large, odd, non-square, and batch 2 where the batch is open.
 */
describe('open input dimensions: one export matches its source at every size', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => {
    await initBackend();
    dir = await scratchDir('open-dims');
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  for (const model of MODELS) {
    describe(model.name, () => {
      let source: SourceModel;
      const predictors = new Map<string, Predictor>();
      const runs = new Map<string, Promise<SourceRun>>();
      before(async function () {
        const file = await model.file(dir);
        if (!existsSync(file)) this.skip(); // the corpus: npm run corpus
        const out = path.join(dir, 'out');
        const r = await runCli(['export', file, '--to', 'tfjs,onnx', '--out', out, '--json', '--name', model.name.replace(/\W+/g, '-'), ...(await model.exportFlags?.(dir) ?? [])]);
        expect(r.code, r.stderr).to.equal(0);
        const summary: { dir: string; artifacts: { target: string; path: string }[] } = JSON.parse(r.stdout);
        for (const { target, load } of RUNTIMES) {
          const artifact = summary.artifacts.find((a) => a.target === target)!;
          predictors.set(target, await load(path.join(summary.dir, artifact.path)));
        }
        source = await model.source(file);
      });
      after(async () => {
        source?.dispose();
        for (const p of predictors.values()) await p.dispose();
      });

      /** The inputs at a size and the source's outputs on them, computed once for both runtimes. */
      const sourceRun = (size: Size) => {
        const key = label(size);
        if (!runs.has(key)) {
          runs.set(key, (async () => {
            const inputs = model.inputs ? await model.inputs(source, size) : randomInputs(source, size);
            let cpu: Promise<Tensors> | undefined;
            return { inputs, reference: await source.run(inputs), cpu: () => (cpu ??= source.runOnCpu(inputs)) };
          })());
        }
        return runs.get(key)!;
      };

      for (const size of model.sizes) {
        for (const { target, runtime } of RUNTIMES) {
          it(`${model.name} at ${label(size)} matches its source in ${runtime}`, async () => {
            const run = await sourceRun(size);
            const actual = await predictors.get(target)!.predict(run.inputs);
            const problems = await differences(actual, run, model.ranked);
            expect(problems, problems.join('; ')).to.deep.equal([]);
          });
        }
      }
    });
  }
});
