import type { ScaffoldNames, ScaffoldType } from './new-plugin-names.js';

// test/<name>.test.ts of each scaffold: mocha + chai with @modelport/testing, running real things.

/** Every scaffold with options checks that src/options.ts and options.schema.json still agree. */
const optionsAgree = `
  it('has the same options and defaults in src/options.ts and options.schema.json', () => {
    const schema = JSON.parse(readFileSync(new URL('../../options.schema.json', import.meta.url), 'utf8')) as { properties: Record<string, { default?: unknown }> };
    expect(Object.keys(schema.properties)).to.deep.equal(Object.keys(DEFAULT_OPTIONS));
    for (const [key, value] of Object.entries(DEFAULT_OPTIONS)) expect(schema.properties[key]!.default, key).to.deep.equal(value);
  });`;

const head = (n: ScaffoldNames, kit: string, extra = '') => `import { expect } from 'chai';
import { readFileSync } from 'node:fs';
${extra}import { ${kit} } from '@modelport/testing';
import plugin, { ${n.type === 'exporter' ? 'TARGET, ' : n.type === 'runtime' ? 'FORMAT, ' : ''}PLUGIN_NAME } from '../src/index.js';
import { DEFAULT_OPTIONS } from '../src/options.js';
`;

const exporter = (n: ScaffoldNames) => `${head(n, 'runPipeline, tinyDenseGraph')}
describe(PLUGIN_NAME, function () {
  this.timeout(120_000);

  it('writes the ops and signatures of the graph it is given', async () => {
    const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [plugin], targets: [TARGET] });
    const summary = JSON.parse(await run.read(run.artifact(TARGET).path)) as { ops: Record<string, number>; signatures: Record<string, unknown> };
    expect(summary.ops).to.include({ MatMul: 1, BiasAdd: 1, Relu: 1 });
    expect(Object.keys(summary.signatures)).to.deep.equal(['serving_default']);
  });

  it('indents the JSON with pretty: true', async () => {
    const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [[plugin, { pretty: true }]], targets: [TARGET] });
    expect(await run.read(run.artifact(TARGET).path)).to.match(/^{\\n {2}"ops"/);
  });

  it('refuses an option its schema does not know, naming it', async () => {
    let error: unknown;
    try { await runPipeline({ graph: tinyDenseGraph(), plugins: [[plugin, { prety: true }]], targets: [TARGET] }); } catch (e) { error = e; }
    expect(String(error)).to.include('prety');
  });
${optionsAgree}
});
`;

const pass = (n: ScaffoldNames) => `${head(n, 'expectArtifactMatchesSource, runPipeline', "import { GraphBuilder, type Graph } from '@modelport/core';\n")}
/** x [1, 3] → Identity → Relu → Identity (the output: it stays). */
function graphWithIdentities(): Graph {
  const b = new GraphBuilder();
  const T = { T: { type: 'float32' } };
  const x = b.input('x', 'float32', [1, 3]);
  const inner = b.node('inner', { op: 'Identity', inputs: [x], attrs: T });
  const relu = b.node('relu', { op: 'Relu', inputs: [inner], attrs: T });
  const y = b.node('y', { op: 'Identity', inputs: [relu], attrs: T });
  return b.outputs(y).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [1, 3] } },
    outputs: { y: { name: 'y:0', dtype: 'float32', shape: [1, 3] } },
  }).build();
}

describe(PLUGIN_NAME, function () {
  this.timeout(120_000);

  it('removes an Identity inside the graph, keeps the one it outputs, and the model computes the same', async () => {
    const run = await runPipeline({ graph: graphWithIdentities(), plugins: [plugin], targets: ['tfjs'] });
    expect(run.graph.nodes.map((node) => node.name)).to.deep.equal(['x', 'relu', 'y']);
    expect(run.graph.nodes.find((node) => node.name === 'relu')!.inputs).to.deep.equal(['x:0']);
    expect(expectArtifactMatchesSource(run, 'tfjs').ok).to.equal(true);
  });

  it('removes only the ops it is told to', async () => {
    const run = await runPipeline({ graph: graphWithIdentities(), plugins: [[plugin, { ops: ['Snapshot'] }]], targets: ['tfjs'] });
    expect(run.graph.nodes.map((node) => node.name)).to.deep.equal(['x', 'inner', 'relu', 'y']);
  });
${optionsAgree}
});
`;

const quantizer = (n: ScaffoldNames) => `${head(n, 'expectArtifactMatchesSource, runPipeline, tinyDenseGraph')}
describe(PLUGIN_NAME, function () {
  this.timeout(120_000);

  it('stores weights of at least minElements values as float16 under --quantize float16, within tolerance', async () => {
    const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [plugin], targets: ['tfjs'], options: { quantize: 'float16' } });
    expect(run.graph.constants.get('dense/kernel')!.quantization?.dtype).to.equal('float16');
    expect(run.graph.constants.get('dense/bias')!.quantization).to.equal(undefined);
    expect(expectArtifactMatchesSource(run, 'tfjs').ok).to.equal(true);
  });

  it('leaves the weights as they are without --quantize', async () => {
    const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [plugin], targets: ['tfjs'] });
    expect([...run.graph.constants.values()].every((weight) => !weight.quantization)).to.equal(true);
  });
${optionsAgree}
});
`;

const runtime = (n: ScaffoldNames) => `${head(n, 'expectPredictorMatchesSource, runPipeline, serveArtifact, tinyDenseGraph')}
describe(PLUGIN_NAME, function () {
  this.timeout(120_000);

  it('serves a tfjs graph model as format ' + FORMAT + ' and answers like the source graph', async () => {
    const graph = tinyDenseGraph();
    const run = await runPipeline({ graph, targets: ['tfjs'] });
    const predictor = await serveArtifact({ plugins: [plugin], format: FORMAT, path: run.file('tfjs') });
    try {
      expect(predictor.format).to.equal(FORMAT);
      const [y] = await expectPredictorMatchesSource(predictor, graph);
      expect(y!.output).to.equal('y');
    } finally {
      await predictor.dispose();
    }
  });
${optionsAgree}
});
`;

const adapter = (n: ScaffoldNames) => `${head(n, 'randomInputs, runPipeline, serveArtifact, tinyDenseGraph', "import type { TensorData } from '@modelport/core';\n")}
describe(PLUGIN_NAME, function () {
  this.timeout(120_000);

  it('multiplies every output of the model it wraps by scale', async () => {
    const graph = tinyDenseGraph();
    const run = await runPipeline({ graph, targets: ['tfjs'] });
    const inputs = randomInputs(graph);
    const served = await serveArtifact({ format: 'tfjs', path: run.file('tfjs') });
    const plain = (await served.predict(inputs)).y!;
    const wrapped = await plugin.wrap(served, { scale: 3 });
    try {
      const scaled = (await wrapped.predict(inputs)).y as TensorData;
      expect(Array.from(scaled.data as Float32Array)).to.deep.equal(Array.from(plain.data as Float32Array, (v) => Math.fround(v * 3)));
    } finally {
      await wrapped.dispose();
    }
  });
${optionsAgree}
});
`;

const moduleTest = (n: ScaffoldNames) => `${head(n, 'runPipeline, runSource, tinyDenseGraph').replace('PLUGIN_NAME }', 'MODULE, PLUGIN_NAME }')}
describe(PLUGIN_NAME, function () {
  this.timeout(120_000);

  it('builds a signature whose "values" are scaled before they feed the model', async () => {
    const run = await runPipeline({
      graph: tinyDenseGraph(), plugins: [plugin], targets: ['tfjs'],
      options: { signatures: { scaled: [MODULE] }, moduleOptions: { [MODULE]: { scale: 2 } } },
    });
    const x = { dtype: 'float32' as const, shape: [1, 4], data: Float32Array.from([0.5, -1, 2, 0.25]) };
    const scaled = await runSource(run.graph, { values: x }, 'scaled');
    const direct = await runSource(run.graph, { x: { ...x, data: x.data.map((v) => v * 2) } }, 'serving_default');
    expect(Array.from(scaled.y!.data as Float32Array)).to.deep.equal(Array.from(direct.y!.data as Float32Array));
    expect(run.graph.signatures.scaled!.moduleMetadata).to.deep.equal({ [MODULE]: { scale: 2 } });
  });

  it('refuses scale 0, naming the signature, the module and the option', async () => {
    let error: unknown;
    try {
      await runPipeline({ graph: tinyDenseGraph(), plugins: [plugin], targets: ['tfjs'], options: { signatures: { scaled: [MODULE] }, moduleOptions: { [MODULE]: { scale: 0 } } } });
    } catch (e) { error = e; }
    expect(String(error)).to.include('signature "scaled", module "' + MODULE + '", option "scale"');
  });
${optionsAgree}
});
`;

const preset = (n: ScaffoldNames) => `import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { validateOptions } from '@modelport/core';
import { PRESET_SCHEMA } from '@modelport/registry';

const read = (file: string) => JSON.parse(readFileSync(new URL(\`../../\${file}\`, import.meta.url), 'utf8'));

describe('${n.packageName}', () => {
  it('is a preset file the registry accepts, extending default', () => {
    const preset = validateOptions<{ extends?: string[] }>(PRESET_SCHEMA, read('preset.json'), 'preset file', { file: 'preset.json' });
    expect(preset.extends).to.include('default');
  });

  it('is named by its manifest', () => {
    expect(read('package.json').modelport).to.include({ type: 'preset', preset: './preset.json' });
  });
});
`;

export const TEST_OF: Readonly<Record<ScaffoldType, (n: ScaffoldNames) => string>> = {
  exporter, pass, quantizer, runtime, adapter, module: moduleTest, preset,
};
