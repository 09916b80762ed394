import { expect } from 'chai';
import {
  asUint8, asymmetricParams, createHooks, dequantizeValues, GraphBuilder, GraphExecutor, quantizeValues, seededRandom, silentLogger,
  PluginError, RuntimeLimitError, ValidationError, type AccuracyTarget, type ExportContext, type ExportOptions, type ExportResult, type Graph, type Hooks,
  type Predictor, type Quantization, type Signature, type TensorData,
} from '@modelport/core';
import { validation } from '../src/index.js';

// An int8-full style artifact: uint8 at the input (and optionally the output), float inside. Its
// runtime, tapped on `serve` as any runtime plugin is, dequantizes what it is fed, runs its own
// graph in tfjs and quantizes the result, as an integer-only TFLite model does at its edges.

const FORMAT = 'uint8-edges';
const INPUT_Q = asUint8(asymmetricParams(-1, 3));
const OUTPUT_Q: Quantization = asUint8({ dtype: 'int8', scale: [1 / 256], zeroPoint: [-128] });
const WEIGHTS = [0.9, -0.4, 0.2, -0.3, 0.8, 0.1, 0.5, 0.3, -0.7, -0.2, 0.1, 0.6];
/** The same classifier with its classes swapped: what a broken quantization might produce. */
const SWAPPED = WEIGHTS.map((_, i) => WEIGHTS[Math.floor(i / 3) * 3 + ((i % 3) + 1) % 3]!);

function classifier(weights: readonly number[], quantizeOutput: boolean): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 4]);
  const w = b.constant('w', 'float32', [4, 3], weights);
  const logits = b.node('logits', { op: 'MatMul', inputs: [x, w] });
  const scores = b.node('scores', { op: 'Softmax', inputs: [logits] });
  const signature: Signature = {
    inputs: { x: { name: x, dtype: 'uint8', shape: [1, 4], quantization: INPUT_Q } },
    outputs: { scores: quantizeOutput ? { name: scores, dtype: 'uint8', shape: [1, 3], quantization: OUTPUT_Q } : { name: scores, dtype: 'float32', shape: [1, 3] } },
  };
  return b.outputs(scores).signature('serving_default', signature).build();
}

function floatSource(): Graph {
  const g = classifier(WEIGHTS, false);
  return { ...g, signatures: { serving_default: { inputs: { x: { name: 'x:0', dtype: 'float32', shape: [1, 4] } }, outputs: { scores: { name: 'scores:0', dtype: 'float32', shape: [1, 3] } } } } };
}

/** The runtime of the test format: records what it was fed. */
function tapRuntime(hooks: Hooks, weights: readonly number[], quantizeOutput: boolean, fed: TensorData[]): void {
  hooks.serve.for(FORMAT).tapPromise('uint8-edge runtime', async () => {
    const executor = await GraphExecutor.create(classifier(weights, false));
    const predictor: Predictor = {
      format: FORMAT,
      signatures: {},
      async predict(inputs) {
        const x = inputs.x!;
        fed.push(x);
        if (x.dtype !== 'uint8') throw new Error(`fed ${x.dtype}, the model takes uint8`);
        const [scores] = await executor.run({ x: { dtype: 'float32', shape: x.shape, data: dequantizeValues(x.data as Uint8Array, x.shape, INPUT_Q) } });
        if (!quantizeOutput) return { scores: scores! };
        return { scores: { dtype: 'uint8', shape: scores!.shape, data: quantizeValues(scores!.data as Float32Array, scores!.shape, OUTPUT_Q) } };
      },
      async dispose() { executor.dispose(); },
    };
    return predictor;
  });
}

function heldOut(count: number): Record<string, TensorData>[] {
  const random = seededRandom(7);
  return Array.from({ length: count }, () => ({ x: { dtype: 'float32', shape: [1, 4], data: Float32Array.from({ length: 4 }, () => -1 + 4 * random()) } }));
}

interface Run { result: ExportResult; fed: TensorData[]; error?: Error }

async function validate(opts: { weights?: readonly number[]; quantizeOutput?: boolean; accuracyTarget?: AccuracyTarget; tolerance?: number; samples?: number; runtimeLimit?: string }): Promise<Run> {
  const hooks = createHooks();
  await validation.apply(hooks, { fillUnknownDims: 64 }, undefined as never);
  const fed: TensorData[] = [];
  const quantizeOutput = opts.quantizeOutput ?? true;
  const limit = opts.runtimeLimit;
  if (limit) hooks.serve.for(FORMAT).tapPromise('limited runtime', async () => { throw new PluginError('limited runtime', 'serve', new RuntimeLimitError(limit)); });
  else tapRuntime(hooks, opts.weights ?? WEIGHTS, quantizeOutput, fed);
  const options: ExportOptions = {
    targets: ['tflite'], out: '/nonexistent', validate: true, quantize: 'int8-full',
    ...(opts.accuracyTarget ? { accuracyTarget: opts.accuracyTarget } : {}), ...(opts.tolerance !== undefined ? { tolerance: opts.tolerance } : {}),
  };
  const ctx: ExportContext = {
    request: { source: { format: 'test' }, options }, options, logger: silentLogger, notes: [], data: new Map(),
    sourceGraph: floatSource(), heldOutSamples: opts.samples === 0 ? [] : heldOut(opts.samples ?? 40),
  };
  const result: ExportResult = {
    context: ctx, graph: classifier(WEIGHTS, quantizeOutput), dir: '/nonexistent',
    artifacts: [{ target: 'tflite', format: FORMAT, plugin: 'test', path: 'model.bin', files: [] }], validation: {},
  };
  try {
    await hooks.afterExport.promise(result);
    return { result, fed };
  } catch (e) {
    return { result, fed, error: e as Error };
  }
}

describe('validation of integer-quantized artifacts', function () {
  this.timeout(60_000);

  it('measures an artifact with uint8 edges on the held-out samples and records cosine and top-1 in the report', async () => {
    const { result, fed, error } = await validate({});
    expect(error).to.equal(undefined);
    expect(fed).to.have.length(40);
    expect(fed.every((x) => x.dtype === 'uint8' && x.data instanceof Uint8Array)).to.equal(true);
    const report = result.validation.tflite!;
    expect(report.ok).to.equal(true);
    expect(report.tolerance).to.equal(null);
    expect(report.accuracy!.inputs).to.equal('held-out');
    expect(report.accuracy!.samples).to.equal(40);
    const scores = report.accuracy!.outputs[0]!;
    expect(scores.output).to.equal('scores');
    expect(scores.rows).to.equal(40);
    // The only error is the output's rounding to 1/256: half a step at most.
    expect(scores.maxAbsDiff).to.be.at.most(0.5 / 256 + 1e-6);
    expect(scores.cosine).to.be.above(0.999);
    expect(scores.top1).to.be.at.least(0.95);
    expect(result.context.notes.some((n) => /output "scores": cosine 0\.99\d+, top-1 \d/.test(n) && n.includes('40 held-out samples'))).to.equal(true);
  });

  it('feeds the source the real values of the integers the artifact gets, so both compute on the same numbers', async () => {
    // With a float output the artifact computes exactly what the source does on the dequantized input.
    const { result, error } = await validate({ quantizeOutput: false });
    expect(error).to.equal(undefined);
    const scores = result.validation.tflite!.accuracy!.outputs[0]!;
    expect(scores.maxAbsDiff).to.equal(0);
    expect(scores.top1).to.equal(1);
  });

  it('fails the export when the artifact misses the accuracy target in its runtime, naming the target, the output and the value', async () => {
    const { result, error } = await validate({ weights: SWAPPED, accuracyTarget: { metric: 'top1', value: 0.9 } });
    expect(error).to.be.instanceOf(ValidationError);
    expect(error!.message).to.match(/tflite output "scores" in uint8-edges on 40 held-out samples: top-1 agreement 0\.\d{4} misses the accuracy target top1=0\.9/);
    const report = result.validation.tflite!;
    expect(report.accuracy!.met).to.equal(false);
    expect(report.accuracy!.outputs[0]!.top1).to.be.below(0.9);
  });

  it('passes a poor artifact without a target, stating its cosine and top-1 in the notes', async () => {
    const { result, error } = await validate({ weights: SWAPPED });
    expect(error).to.equal(undefined);
    const top1 = result.validation.tflite!.accuracy!.outputs[0]!.top1!;
    expect(top1).to.be.below(0.9);
    expect(result.context.notes.some((n) => n.includes(`top-1 ${top1.toFixed(4)}`))).to.equal(true);
  });

  it('judges max |Δ| against the tolerance as for float artifacts when --tolerance is given', async () => {
    const { result, error } = await validate({ tolerance: 1e-6 });
    expect(error).to.be.instanceOf(ValidationError);
    expect(error!.message).to.match(/output "scores".*max \|Δ\|.*exceeds 0\.000001/);
    expect(result.validation.tflite!.tolerance).to.equal(1e-6);
    expect(result.validation.tflite!.accuracy!.outputs[0]!.cosine).to.be.above(0.999);
  });

  it('measures on the usual random inputs, quantized for the artifact, when the quantizer held nothing out', async () => {
    const { result, fed, error } = await validate({ samples: 0 });
    expect(error).to.equal(undefined);
    expect(fed).to.have.length(1);
    expect(fed[0]!.dtype).to.equal('uint8');
    expect(result.validation.tflite!.accuracy!.inputs).to.equal('random');
  });

  it('notes an artifact its runtime cannot run although its format allows it, and does not fail the export', async () => {
    const { result, error } = await validate({ runtimeLimit: 'input "x" is int8; this runtime only takes uint8' });
    expect(error).to.equal(undefined);
    expect(result.validation.tflite).to.equal(undefined);
    expect(result.context.notes).to.include('tflite: not validated: input "x" is int8; this runtime only takes uint8');
  });
});
