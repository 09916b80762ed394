import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  argmaxRows, DEFAULT_SIGNATURE, dequantizeValues, quantizeValues, silentLogger,
  type Predictor, type Signature, type SignatureTensor, type TensorData,
} from '@modelport/core';
import { loadOnnxPredictor } from '@modelport/runtime-onnx';
import { describeTflite, loadTflitePredictor } from '@modelport/runtime-tflite';
import { runCli } from '../support/cli.js';
import { predictDigits, saveLayersModel, trainDigitsCnn } from '../support/digits-cnn.js';
import { accuracyOf, DIGIT_PIXELS, DIGITS_FILE, digitsAvailable, readDigits, splitDigits, type Digits } from '../support/digits.js';
import { scratchDir } from '../support/fixtures.js';

// The acceptance test of integer quantization: a CNN trained on real handwritten digits (scikit-learn's
// 1797, fetched by scripts/fetch-test-data.mjs) keeps its held-out accuracy within one point of the
// float model in both real runtimes, LiteRT.js and onnxruntime, after each integer mode.

const TRAIN = 1400;
const CALIBRATION = 200;
/** Accuracy may drop by at most one point (0.01) from the float artifact in the same runtime. */
const MAX_DROP = 0.01;

const RUNTIMES = {
  tflite: { file: 'model.tflite', load: (f: string) => loadTflitePredictor(f, silentLogger) },
  onnx: { file: 'model.onnx', load: (f: string) => loadOnnxPredictor(f, silentLogger, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' }) },
} as const;
type Runtime = keyof typeof RUNTIMES;

interface Exported {
  readonly dir: string;
  readonly manifest: { signatures: Record<string, Signature>; quantization?: { mode: string; calibration?: { samples: number; heldOut: number } } };
  readonly summary: { artifacts: { target: string; path: string; validation?: { ok: boolean; accuracy?: { inputs: string; samples: number; outputs: { top1?: number; cosine: number }[] } } }[] };
}

/** The digits as one sample of `spec`: integers with its quantization when it has one (int8-full's uint8 input). */
function feed(spec: SignatureTensor, pixels: Float32Array, shape: number[]): TensorData {
  if (!spec.quantization) return { dtype: 'float32', shape, data: pixels };
  const q = spec.quantization;
  const integers = quantizeValues(pixels, shape, q);
  return { dtype: (q.dtype ?? spec.dtype) as 'uint8', shape, data: integers };
}

/**
 * The digit an artifact predicts for each held-out image, in its runtime: a batch at once where the
 * file takes any batch size, one by one where it was pinned to 1 (TFLite).
 */
async function classify(predictor: Predictor, signature: Signature, d: Digits): Promise<Int32Array> {
  const [inputName, inputSpec] = Object.entries(signature.inputs)[0]!;
  const [outputName, outputSpec] = Object.entries(signature.outputs)[0]!;
  const fileShape = predictor.signatures[DEFAULT_SIGNATURE]?.inputs[inputName]?.shape ?? inputSpec.shape;
  const batch = fileShape && fileShape[0]! > 0 ? fileShape[0]! : d.count;
  const predicted = new Int32Array(d.count);
  for (let start = 0; start < d.count; start += batch) {
    const n = Math.min(batch, d.count - start);
    const pixels = new Float32Array(batch * DIGIT_PIXELS);
    pixels.set(d.pixels.subarray(start * DIGIT_PIXELS, (start + n) * DIGIT_PIXELS));
    const out = (await predictor.predict({ [inputName]: feed(inputSpec, pixels, [batch, 8, 8, 1]) }))[outputName]!;
    const scores = outputSpec.quantization ? { ...out, dtype: 'float32' as const, data: dequantizeValues(out.data as ArrayLike<number>, out.shape, outputSpec.quantization) } : out;
    predicted.set(argmaxRows(scores).subarray(0, n), start);
  }
  return predicted;
}

async function heldOutAccuracy(exported: Exported, runtime: Runtime, d: Digits): Promise<number> {
  const predictor = await RUNTIMES[runtime].load(path.join(exported.dir, RUNTIMES[runtime].file));
  try {
    return accuracyOf(await classify(predictor, exported.manifest.signatures[DEFAULT_SIGNATURE]!, d), d);
  } finally {
    await predictor.dispose();
  }
}

if (!digitsAvailable()) {
  describe('int8 quantization of a CNN trained on handwritten digits', () => {
    it(`is skipped: ${DIGITS_FILE} is absent (run node scripts/fetch-test-data.mjs)`);
  });
} else {
  describe('int8 quantization of a CNN trained on handwritten digits', function () {
    this.timeout(300_000);
    let dir: string;
    let heldOut: Digits;
    let modelFile: string;
    let calibrationFile: string;
    let trainingSeconds: number;
    let tfjsAccuracy: number;
    const exports = new Map<string, Promise<Exported>>();
    const floatAccuracy: Partial<Record<Runtime, number>> = {};

    /** Exports the digits model once per mode through the CLI, as a user would. */
    function exportAs(mode: string): Promise<Exported> {
      if (!exports.has(mode)) {
        exports.set(mode, (async () => {
          const flags = mode === 'float' ? [] : ['--quantize', mode, ...(mode === 'dynamic' ? [] : ['--calibration-data', calibrationFile])];
          const r = await runCli(['export', modelFile, '--to', 'tflite,onnx', '--out', path.join(dir, 'repo'), '--name', `digits-${mode}`, '--json', ...flags]);
          expect(r.code, `export ${mode}: ${r.stderr}`).to.equal(0);
          const summary = JSON.parse(r.stdout);
          const manifest = JSON.parse(await fs.readFile(path.join(summary.dir, 'export.json'), 'utf8'));
          return { dir: summary.dir, manifest, summary };
        })());
      }
      return exports.get(mode)!;
    }

    async function floatHeldOutAccuracy(runtime: Runtime): Promise<number> {
      floatAccuracy[runtime] ??= await heldOutAccuracy(await exportAs('float'), runtime, heldOut);
      return floatAccuracy[runtime]!;
    }

    before(async () => {
      dir = await scratchDir('digits');
      const split = splitDigits(await readDigits(), TRAIN);
      heldOut = split.heldOut;
      const trained = await trainDigitsCnn(split.train);
      trainingSeconds = trained.seconds;
      tfjsAccuracy = accuracyOf(predictDigits(trained.model, heldOut), heldOut);
      modelFile = await saveLayersModel(trained.model, path.join(dir, 'digits-cnn'));
      trained.model.dispose();
      // Calibration samples: the first training digits, as a JSON array of { <input>: { shape, data } }.
      const samples = Array.from({ length: CALIBRATION }, (_, i) => ({
        pixels: { shape: [1, 8, 8, 1], data: Array.from(split.train.pixels.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS)) },
      }));
      calibrationFile = path.join(dir, 'calibration.json');
      await fs.writeFile(calibrationFile, JSON.stringify(samples));
    });
    after(() => fs.rm(dir, { recursive: true, force: true }));

    it('trains the CNN on 1400 digits in tfjs in under 60 s to at least 90% held-out accuracy', () => {
      process.stderr.write(`      digits CNN: trained in ${trainingSeconds.toFixed(1)} s, ${(tfjsAccuracy * 100).toFixed(1)}% of ${heldOut.count} held-out digits right in tfjs\n`);
      expect(heldOut.count).to.equal(397);
      expect(trainingSeconds).to.be.below(60);
      expect(tfjsAccuracy).to.be.at.least(0.9);
    });

    it('exports the float model to TFLite and ONNX, which classify the held-out digits as tfjs does', async () => {
      for (const runtime of ['tflite', 'onnx'] as const) {
        const accuracy = await floatHeldOutAccuracy(runtime);
        process.stderr.write(`      float ${runtime}: ${(accuracy * 100).toFixed(1)}%\n`);
        expect(Math.abs(accuracy - tfjsAccuracy), runtime).to.be.at.most(1 / heldOut.count);
      }
    });

    for (const mode of ['dynamic', 'int8', 'int8-full'] as const) {
      it(`${mode}: keeps held-out accuracy within 1 point of float in LiteRT.js and onnxruntime, with smaller weights`, async () => {
        const quantized = await exportAs(mode);
        expect(quantized.manifest.quantization?.mode).to.equal(mode);
        const float = await exportAs('float');
        // The weights really are integers: a float file written under a quantize flag would pass the accuracy checks.
        const weightBytes = async (e: Exported) => describeTflite(await fs.readFile(path.join(e.dir, 'model.tflite')), 'model.tflite').weightBytes;
        expect(await weightBytes(quantized)).to.be.below(0.5 * await weightBytes(float));
        const onnxBytes = async (e: Exported) => (await fs.stat(path.join(e.dir, 'model.onnx'))).size;
        expect(await onnxBytes(quantized)).to.be.below(0.75 * await onnxBytes(float));
        for (const runtime of ['tflite', 'onnx'] as const) {
          const accuracy = await heldOutAccuracy(quantized, runtime, heldOut);
          const reference = await floatHeldOutAccuracy(runtime);
          process.stderr.write(`      ${mode} ${runtime}: ${(accuracy * 100).toFixed(1)}% (float ${(reference * 100).toFixed(1)}%)\n`);
          expect(accuracy, `${mode} in ${runtime}`).to.be.at.least(reference - MAX_DROP);
        }
      });
    }

    it('int8-full: feeds and returns uint8 at the edges, with the parameters export.json records', async () => {
      const signature = (await exportAs('int8-full')).manifest.signatures[DEFAULT_SIGNATURE]!;
      const input = Object.values(signature.inputs)[0]!;
      const output = Object.values(signature.outputs)[0]!;
      expect([input.dtype, input.quantization?.dtype]).to.deep.equal(['uint8', 'uint8']);
      expect([output.dtype, output.quantization?.dtype]).to.deep.equal(['uint8', 'uint8']);
    });

    it('int8: validation measures each artifact on the calibration samples held out, recording top-1 agreement with the float model', async () => {
      const exported = await exportAs('int8');
      const heldOutSamples = exported.manifest.quantization?.calibration?.heldOut ?? 0;
      expect(heldOutSamples).to.be.above(0);
      for (const artifact of exported.summary.artifacts) {
        const accuracy = artifact.validation?.accuracy;
        expect(accuracy?.inputs, artifact.target).to.equal('held-out');
        expect(accuracy!.samples).to.equal(heldOutSamples);
        expect(accuracy!.outputs[0]!.top1, artifact.target).to.be.at.least(0.9);
        expect(accuracy!.outputs[0]!.cosine, artifact.target).to.be.above(0.95);
      }
    });
  });
}
