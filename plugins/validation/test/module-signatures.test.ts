import { expect } from 'chai';
import {
  composeSignatures, createHooks, quantizeValues, GraphExecutor, silentLogger, ValidationError,
  type ExportContext, type ExportOptions, type ExportResult, type Graph, type Predictor,
  type Quantization, type TensorData,
} from '@modelport/core';
import { COLOUR_MODULES, COLOUR_WEIGHTS, colourClassifier } from '@modelport/core/testing';
import { validation } from '../src/index.js';
import { IMAGE_SIZE } from '../src/signature-inputs.js';

// A colour classifier (mean RGB → dense → softmax) with two module signatures around it: "pixels"
// takes a uint8 image of any size and averages it; "top" answers the best class as int32.

const SIGNATURES = { serving_default: ['pixels', 'top'], features: ['pixels'] };
const FORMAT = 'signatures-fake';

/** How the fake runtime departs from the exported graph. */
interface RuntimeBehaviour {
  /** Signatures it exposes (default: all of the graph's). */
  readonly exposes?: readonly string[];
  /** Changes an answer of one signature. */
  readonly alter?: (key: string, outputs: Record<string, TensorData>) => Record<string, TensorData>;
  /** Changes the exported graph's signatures (as a quantizer marking integer edges would). */
  readonly signatures?: (graph: Graph) => Graph['signatures'];
}

interface Validated { readonly result: ExportResult; readonly fed: Map<string, Record<string, TensorData>>; readonly error?: Error }

/** Runs the validation plugin's afterExport on an export of `graph` with module signatures, its artifact served by a runtime running `artifactGraph`. */
async function validate(behaviour: RuntimeBehaviour = {}, artifactWeights: readonly number[] = COLOUR_WEIGHTS, extra: Partial<ExportOptions> = {}): Promise<Validated> {
  const options: ExportOptions = { targets: ['fake'], out: '/nonexistent', validate: true, signatures: SIGNATURES, ...extra };
  const composed = composeSignatures(colourClassifier(artifactWeights), options, COLOUR_MODULES);
  const exported = behaviour.signatures ? { ...composed, signatures: behaviour.signatures(composed) } : composed;
  const fed = new Map<string, Record<string, TensorData>>();
  const hooks = createHooks();
  await validation.apply(hooks, { fillUnknownDims: 64 }, undefined as never);
  hooks.serve.for(FORMAT).tapPromise('signatures-fake runtime', async () => {
    const executor = await GraphExecutor.create(exported);
    const keys = behaviour.exposes ?? Object.keys(exported.signatures);
    const predictor: Predictor = {
      format: FORMAT,
      signatures: Object.fromEntries(keys.map((k) => [k, exported.signatures[k]!])),
      async predict(inputs, key = 'serving_default') {
        fed.set(key, { ...inputs });
        const out = await executor.runSignature(composed.signatures[key]!, inputs);
        return behaviour.alter ? behaviour.alter(key, out) : out;
      },
      async dispose() { executor.dispose(); },
    };
    return predictor;
  });
  const source = colourClassifier();
  const ctx: ExportContext = {
    request: { source: { format: 'test' }, options }, options, logger: silentLogger, notes: [], data: new Map(),
    sourceGraph: source, referenceGraph: composeSignatures(source, options, COLOUR_MODULES),
  };
  const result: ExportResult = {
    context: ctx, graph: exported, dir: '/nonexistent',
    artifacts: [{ target: 'fake', format: FORMAT, plugin: 'acme-exporter', path: 'model.fake', files: ['model.fake'] }], validation: {},
  };
  const error = await hooks.afterExport.promise(result).then(() => undefined, (e: Error) => e);
  return { result, fed, ...(error ? { error } : {}) };
}

describe('validation of module signatures', function () {
  this.timeout(60_000);

  it('validates every signature and reports each with its stages and the input shapes fed', async () => {
    const { result, error } = await validate();
    expect(error).to.equal(undefined);
    const report = result.validation.fake!;
    expect(report.ok).to.equal(true);
    expect(Object.keys(report.signatures!)).to.have.members(['serving_default', 'features', 'source']);
    expect(report.signatures!.serving_default).to.deep.include({ stages: ['pixels', 'model', 'top'], ok: true });
    expect(report.signatures!.serving_default!.inputs).to.deep.equal({ image: [1, IMAGE_SIZE.height, IMAGE_SIZE.width, 3] });
    expect(report.signatures!.source!.inputs).to.deep.equal({ x: [1, 3] });
    expect(report.outputs.map((o) => o.output)).to.have.members(['serving_default/class', 'serving_default/scores', 'features/scores', 'source/scores']);
  });

  it('feeds a uint8 image input pixels over the whole 0..255 range', async () => {
    const { fed } = await validate();
    const image = fed.get('serving_default')!.image!;
    expect(image.dtype).to.equal('uint8');
    const values = image.data as Uint8Array;
    expect(values.reduce((a, b) => Math.max(a, b), 0)).to.be.above(250);
    expect(values.reduce((a, b) => Math.min(a, b), 255)).to.be.below(5);
  });

  it('fails naming the target and the signature its runtime does not expose', async () => {
    const { error, result } = await validate({ exposes: ['serving_default', 'source'] });
    expect(error).to.be.instanceOf(ValidationError);
    expect(error!.message).to.contain('the fake artifact (model.fake, written by acme-exporter): signatures-fake does not expose signature "features" (it exposes "serving_default", "source")');
    expect(error!.message).not.to.contain('--tolerance');
    expect(result.validation.fake!.signatures!.features!.ok).to.equal(false);
  });

  it('compares integer outputs exactly: one class off fails though float scores may differ within tolerance', async () => {
    const { error } = await validate({
      alter: (key, out) => {
        if (key !== 'serving_default') return out;
        const classes = Int32Array.from(out.class!.data as Int32Array, (c) => (c + 1) % 3);
        const scores = Float32Array.from(out.scores!.data as Float32Array, (v) => v * (1 + 1e-6));
        return { class: { ...out.class!, data: classes }, scores: { ...out.scores!, data: scores } };
      },
    });
    expect(error).to.be.instanceOf(ValidationError);
    expect(error!.message).to.match(/fake signature "serving_default" output "class": integer output: 1 of 1 values differ from the source's; first at \[0\]: \d, the source \d/);
    expect(error!.message).not.to.contain('output "scores"');
  });

  it('fails a signature whose model differs from the source, naming signature and output', async () => {
    const { error } = await validate({}, COLOUR_WEIGHTS.map((w) => w * 1.5));
    expect(error).to.be.instanceOf(ValidationError);
    expect(error!.message).to.contain('fake signature "features" output "scores": max |Δ|');
    expect(error!.message).to.contain('fake signature "source" output "scores": max |Δ|');
  });

  it('notes rather than fails the differences of an integer-quantized export, unless --tolerance is given', async () => {
    const off = COLOUR_WEIGHTS.map((w) => w * 1.5);
    const measured = await validate({}, off, { quantize: 'int8' });
    expect(measured.error).to.equal(undefined);
    expect(measured.result.context.notes.some((n) => n.startsWith('fake signature "features" output "scores": max |Δ|'))).to.equal(true);
    expect(measured.result.validation.fake!.signatures!.features!.ok).to.equal(false);
    const judged = await validate({}, off, { quantize: 'int8', tolerance: 1e-3 });
    expect(judged.error).to.be.instanceOf(ValidationError);
    expect(judged.error!.message).to.contain('fake signature "features" output "scores": max |Δ|');
  });
});

describe('validation of a module signature with an integer output edge', function () {
  this.timeout(60_000);
  const Q: Quantization = { dtype: 'uint8', scale: [1 / 255], zeroPoint: [0] };
  const quantizedScores = (graph: Graph) => ({
    ...graph.signatures,
    features: { ...graph.signatures.features!, outputs: { scores: { ...graph.signatures.features!.outputs.scores!, dtype: 'uint8' as const, quantization: Q } } },
  });
  const answerUint8 = (key: string, out: Record<string, TensorData>) => (key !== 'features' ? out
    : { scores: { dtype: 'uint8' as const, shape: out.scores!.shape, data: quantizeValues(out.scores!.data as Float32Array, out.scores!.shape, Q) } });

  it('reads the quantized answer back as real values before comparing', async () => {
    const { error, result } = await validate({ signatures: quantizedScores, alter: answerUint8 }, COLOUR_WEIGHTS, { quantize: 'int8-full', tolerance: 1e-2 });
    expect(error).to.equal(undefined);
    const scores = result.validation.fake!.outputs.find((o) => o.output === 'features/scores')!;
    expect(scores.ok).to.equal(true);
    expect(scores.maxAbsDiff).to.be.above(0).and.at.most(0.5 / 255 + 1e-6);
  });
});
