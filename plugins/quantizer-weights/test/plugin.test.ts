import { expect } from 'chai';
import { createRequire } from 'node:module';
import {
  coreServices, createContainer, createHooks, encodeTfjsWeight, QUANTIZATION_SUMMARY_KEY, QUANTIZE_MODES,
  type Graph, type QuantizationSummary,
} from '@modelport/core';
import quantizerDefault, { optionsSchema, PLUGIN_NAME, quantizerWeights } from '../src/index.js';
import { exportContext, smallNet } from './graphs.js';

const require = createRequire(import.meta.url);

async function quantize(graph: Graph, options: Parameters<typeof exportContext>[0]) {
  const hooks = createHooks();
  await quantizerWeights.apply(hooks, {}, createContainer());
  const ctx = exportContext(options);
  return { graph: await hooks.quantize.promise(graph, ctx), ctx };
}

const FLOAT_WEIGHTS = ['conv/filter', 'conv/bias/value', 'dense/kernel', 'dense/shift/value', 'zeros/value'];

describe('quantizer-weights', () => {
  it('is the default export, with the package\'s name, version and options schema', () => {
    expect(quantizerDefault).to.equal(quantizerWeights);
    expect(quantizerWeights.name).to.equal(PLUGIN_NAME).and.to.equal('@modelport/quantizer-weights');
    expect(quantizerWeights.version).to.equal(require('../../package.json').version);
    expect(quantizerWeights.optionsSchema).to.equal(optionsSchema).and.to.deep.equal(require('../../options.schema.json'));
  });

  it('taps quantize under its name, and loads through the plugin host with no options', async () => {
    const { host, hooks } = coreServices(createContainer());
    await host.apply(quantizerWeights, {});
    expect(hooks.quantize.taps.map((t) => t.name)).to.deep.equal([PLUGIN_NAME]);
  });

  it('float16: annotates every float32 weight, keeps the int32 one and every value, states it in the summary and a note', async () => {
    const source = smallNet();
    const { graph, ctx } = await quantize(source, { quantize: 'float16' });
    const annotated = [...graph.constants].filter(([, c]) => c.quantization).map(([n]) => n);
    expect(annotated).to.have.members(FLOAT_WEIGHTS);
    for (const name of FLOAT_WEIGHTS) expect(graph.constants.get(name)!.quantization).to.deep.equal({ dtype: 'float16', scale: [], zeroPoint: [] });
    expect(graph.constants.get('flat/shape')).to.equal(source.constants.get('flat/shape'));
    for (const [name, c] of source.constants) expect(graph.constants.get(name)!.values).to.equal(c.values); // never rewritten
    expect(graph.nodes).to.equal(source.nodes);
    expect(source.constants.get('conv/filter')!.quantization).to.equal(undefined); // the input graph is untouched
    const summary = graph.metadata[QUANTIZATION_SUMMARY_KEY] as QuantizationSummary;
    expect(summary).to.deep.equal({ mode: 'float16', plugin: PLUGIN_NAME, weights: { quantized: 5, kept: 1 } });
    expect(ctx.notes).to.deep.equal(['quantize: 5 weights stored as float16 (1 weight kept: not float32 or not selected)']);
  });

  for (const mode of ['uint8', 'uint16'] as const) {
    it(`${mode}: tfjs's affine form, the scale and min tfjs's converter writes (zero point = −min / scale, whole)`, async () => {
      const { graph } = await quantize(smallNet(), { quantize: mode });
      for (const name of FLOAT_WEIGHTS) {
        const c = graph.constants.get(name)!;
        const q = c.quantization!;
        const tfjs = encodeTfjsWeight(name, { ...c, quantization: undefined }, mode).spec.quantization!;
        expect(q.dtype, name).to.equal(mode);
        expect(q.scale, name).to.deep.equal([tfjs.scale]);
        expect(Number.isInteger(q.zeroPoint[0]), name).to.equal(true);
        expect(-q.zeroPoint[0]! * q.scale[0]!, name).to.equal(tfjs.min);
        expect(q.zeroPoint[0]!, name).to.be.closeTo(-tfjs.min! / tfjs.scale!, 1e-9);
        expect(q.axis, name).to.equal(undefined);
      }
      // Ranges hold 0: an all-negative weight sits at the top level, an all-zero one at level 0 with scale 1.
      const levels = mode === 'uint8' ? 255 : 65535;
      expect(graph.constants.get('conv/bias/value')!.quantization!.zeroPoint).to.deep.equal([levels]);
      expect(graph.constants.get('dense/shift/value')!.quantization!.zeroPoint).to.deep.equal([0]);
      expect(graph.constants.get('zeros/value')!.quantization).to.deep.equal({ dtype: mode, scale: [1], zeroPoint: [0] });
    });
  }

  it('--quantize-weights: only the weights the globs name', async () => {
    const { graph, ctx } = await quantize(smallNet(), { quantize: 'uint8', quantizeWeights: ['dense/*', 'flat/shape'] });
    const annotated = [...graph.constants].filter(([, c]) => c.quantization).map(([n]) => n);
    expect(annotated).to.have.members(['dense/kernel', 'dense/shift/value']); // the int32 weight stays exact even when named
    expect((graph.metadata[QUANTIZATION_SUMMARY_KEY] as QuantizationSummary).weights).to.deep.equal({ quantized: 2, kept: 4 });
    expect(ctx.notes).to.deep.equal(['quantize: 2 weights stored as uint8 (4 weights kept: not float32 or not selected)']);
  });

  it('keeps an annotation another quantizer set', async () => {
    const source = smallNet();
    const int8 = { dtype: 'int8' as const, scale: [0.01], zeroPoint: [0] };
    const constants = new Map(source.constants).set('dense/kernel', { ...source.constants.get('dense/kernel')!, quantization: int8 });
    const { graph } = await quantize({ ...source, constants }, { quantize: 'float16' });
    expect(graph.constants.get('dense/kernel')!.quantization).to.equal(int8);
  });

  for (const mode of [undefined, ...QUANTIZE_MODES.filter((m) => !['float16', 'uint8', 'uint16'].includes(m))]) {
    it(`does nothing for --quantize ${mode ?? '(none)'}`, async () => {
      const source = smallNet();
      const { graph, ctx } = await quantize(source, mode ? { quantize: mode } : {});
      expect(graph).to.equal(source);
      expect(ctx.notes).to.deep.equal([]);
    });
  }
});
