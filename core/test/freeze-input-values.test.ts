import { expect } from 'chai';
import {
  coreServices, createContainer, decodeTfjsWeights, freezeInputValues, graphFromTfjsGraphModel, graphToTfjsGraphModel, type TfjsModelJson, GraphBuilder, GraphExecutor, initBackend, OptionsError, parseInputValueFlag,
  pinInputShapes, silentLogger, type ExportContext, type ExportOptions, type Graph, type TensorData,
} from '@modelport/core';

/** z = x · ratio + float(k): a float input of unknown rank and an int32 scalar beside the data. */
function scaled(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 4]);
  const ratio = b.input('ratio', 'float32', null);
  const k = b.input('k', 'int32', []);
  const y = b.node('y', { op: 'Mul', inputs: [x, ratio], attrs: { T: { type: 'float32' } } });
  const kf = b.node('kf', { op: 'Cast', inputs: [k], attrs: { SrcT: { type: 'int32' }, DstT: { type: 'float32' } } });
  const z = b.node('z', { op: 'AddV2', inputs: [y, kf], attrs: { T: { type: 'float32' } } });
  return b.outputs(z).signature('serving_default', {
    inputs: {
      pixels: { name: 'x:0', dtype: 'float32', shape: [-1, 4] },
      scale: { name: 'ratio:0', dtype: 'float32', shape: null },
      offset: { name: 'k:0', dtype: 'int32', shape: [] },
    },
    outputs: { out: { name: 'z:0', dtype: 'float32', shape: [-1, 4] } },
  }).build();
}

const x: TensorData = { dtype: 'float32', shape: [2, 4], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };

async function run(graph: Graph, feeds: Record<string, TensorData>): Promise<number[]> {
  const executor = await GraphExecutor.create(graph);
  try {
    const [z] = await executor.run(feeds, ['z:0']);
    return Array.from(z!.data as Float32Array);
  } finally {
    executor.dispose();
  }
}

describe('freezeInputValues', () => {
  before(() => initBackend());

  it('makes each named input a Const of its dtype and shape, drops it from the inputs and records it in the signature', () => {
    const g = freezeInputValues(scaled(), { scale: 0.5, 'k:0': 3 });
    expect(g.inputs).to.deep.equal(['x']);
    expect(g.nodes.filter((n) => n.name === 'ratio' || n.name === 'k').map((n) => n.op)).to.deep.equal(['Const', 'Const']);
    const ratio = g.constants.get('ratio')!;
    expect([ratio.dtype, ratio.shape, Array.from(ratio.values as Float32Array)]).to.deep.equal(['float32', [], [0.5]]);
    const k = g.constants.get('k')!;
    expect([k.dtype, k.shape, k.values instanceof Int32Array, Array.from(k.values as Int32Array)]).to.deep.equal(['int32', [], true, [3]]);
    const sig = g.signatures.serving_default!;
    expect(Object.keys(sig.inputs)).to.deep.equal(['pixels']);
    expect(sig.frozenInputs).to.deep.equal({
      scale: { name: 'ratio:0', dtype: 'float32', shape: [], values: [0.5] },
      offset: { name: 'k:0', dtype: 'int32', shape: [], values: [3] },
    });
  });

  it('computes in tfjs what the source computes when fed the same values', async () => {
    const frozen = await run(freezeInputValues(scaled(), { scale: 0.5, offset: 3 }), { x });
    const fed = await run(scaled(), { x, ratio: { dtype: 'float32', shape: [], data: Float32Array.of(0.5) }, k: { dtype: 'int32', shape: [], data: Int32Array.of(3) } });
    expect(frozen).to.deep.equal(fed);
    expect(frozen).to.deep.equal([3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
  });

  it('takes a vector for an input of unknown rank, and sizes one dynamic dimension by the count', () => {
    expect(freezeInputValues(scaled(), { scale: [1, 2, 3, 4] }).constants.get('ratio')!.shape).to.deep.equal([4]);
    expect(freezeInputValues(scaled(), { pixels: [1, 2, 3, 4, 5, 6, 7, 8] }).constants.get('x')!.shape).to.deep.equal([2, 4]);
  });

  it('takes the shape the signature declares when the Placeholder has none', () => {
    const g = scaled();
    const sig = g.signatures.serving_default!;
    const declared: Graph = { ...g, signatures: { serving_default: { ...sig, inputs: { ...sig.inputs, scale: { ...sig.inputs.scale!, shape: [2] } } } } };
    expect(freezeInputValues(declared, { scale: [1, 2] }).constants.get('ratio')!.shape).to.deep.equal([2]);
    expect(() => freezeInputValues(declared, { scale: 1 })).to.throw(OptionsError, /input "ratio": the input's shape \[2\] holds 2 value\(s\), 1 given/);
  });

  it('checks the count against the pinned shape', () => {
    const pinned = pinInputShapes(scaled(), { pixels: [1, 4] });
    expect(() => freezeInputValues(pinned, { pixels: [1, 2, 3] })).to.throw(OptionsError, /input value pixels=1,2,3 \(inputValues of the export options\): input "x": the input's shape \[1,4\] holds 4 value\(s\), 3 given/);
    expect(() => freezeInputValues(scaled(), { pixels: [1, 2, 3] })).to.throw(OptionsError, /shape \[-1,4\] has 1 dynamic dimension\(s\) that 3 value\(s\) do not decide; pin them with --input-shape/);
  });

  it('names the input, the value and where it was set for an unknown name or a value the dtype cannot hold, all at once', () => {
    const origin = (name: string) => (name === 'scal' ? '--input-value on the command line' : 'export.inputValues in /p/modelport.config.json');
    let err: Error | undefined;
    try { freezeInputValues(scaled(), { scal: 0.5, offset: 0.5 }, origin); } catch (e) { err = e as Error; }
    expect(err).to.be.instanceOf(OptionsError);
    expect(err!.message).to.contain('input value scal=0.5 (--input-value on the command line): the model has no input "scal"; its inputs are x or pixels, ratio or scale, k or offset');
    expect(err!.message).to.contain('input value offset=0.5 (export.inputValues in /p/modelport.config.json): input "k": the input is int32, which cannot hold 0.5');
    expect(() => freezeInputValues(scaled(), { offset: 2 ** 31 })).to.throw(OptionsError, /int32, which holds -2147483648 to 2147483647, not 2147483648/);
  });

  it('refuses an unnamed value when the model has several inputs, and an input given twice', () => {
    expect(() => freezeInputValues(scaled(), { '': 1 })).to.throw(OptionsError, /the model has 3 inputs .*: name the one to freeze, e.g. --input-value x=0.5/);
    expect(() => freezeInputValues(scaled(), { scale: 1, ratio: 2 })).to.throw(OptionsError, /input "ratio" is given twice/);
  });

  it('keeps the record through a tfjs model.json (userDefinedMetadata) and back', () => {
    const g = freezeInputValues(scaled(), { scale: 0.25 });
    const { modelJson, weights } = graphToTfjsGraphModel(g);
    expect(modelJson.userDefinedMetadata).to.deep.equal({ modelportFrozenInputs: g.signatures.serving_default!.frozenInputs });
    const json = { ...modelJson, weightsManifest: [{ paths: ['w.bin'], weights: weights.map((w) => w.spec) }] } as TfjsModelJson;
    const bytes = new Uint8Array(Buffer.concat(weights.map((w) => w.bytes)));
    const back = graphFromTfjsGraphModel(JSON.parse(JSON.stringify(json)), decodeTfjsWeights(json.weightsManifest[0]!.weights, bytes, 'w.bin'), 'model.json');
    expect(back.signatures.serving_default!.frozenInputs).to.deep.equal(g.signatures.serving_default!.frozenInputs);
    expect(back.metadata.userDefinedMetadata).to.equal(undefined);
  });

  it('gives a graph without signatures serving_default, so that the frozen input is recorded', () => {
    const { signatures: _none, ...rest } = scaled();
    const g = freezeInputValues({ ...rest, signatures: {} }, { ratio: 2 });
    expect(Object.keys(g.signatures.serving_default!.inputs)).to.deep.equal(['x', 'k']);
    expect(g.signatures.serving_default!.frozenInputs).to.deep.equal({ ratio: { name: 'ratio:0', dtype: 'float32', shape: [], values: [2] } });
  });
});

describe('parseInputValueFlag', () => {
  it('parses NAME=number, NAME=list and a bare value for the only input', () => {
    expect(parseInputValueFlag('downsample_ratio=0.25')).to.deep.equal(['downsample_ratio', 0.25]);
    expect(parseInputValueFlag('bias:0=1,-2.5,3e-2')).to.deep.equal(['bias:0', [1, -2.5, 0.03]]);
    expect(parseInputValueFlag('0.5')).to.deep.equal(['', 0.5]);
  });

  it('refuses what is not a number, naming the flag and the part', () => {
    expect(() => parseInputValueFlag('ratio=')).to.throw(OptionsError, /--input-value "ratio=": the value must be a number or a comma list of numbers \(no value\); write --input-value ratio=0.25/);
    expect(() => parseInputValueFlag('ratio=half')).to.throw(OptionsError, /got "half"/);
    expect(() => parseInputValueFlag('bias=1,,2')).to.throw(OptionsError, /got ""/);
  });
});

describe('core transformGraph tap: --input-shape then --input-value', () => {
  it('pins, then freezes, noting which inputs became constants; errors say where the value was set', async () => {
    const { hooks } = coreServices(createContainer({ logger: silentLogger }));
    const context = (options: Partial<ExportOptions>, origins?: Record<string, string>): ExportContext => {
      const full: ExportOptions = { targets: ['tfjs'], out: 'models', validate: false, ...options };
      return { request: { source: { format: 'tfjs' }, options: full, ...(origins ? { origins } : {}) }, options: full, logger: silentLogger, notes: [], data: new Map() };
    };
    const ctx = context({ inputShapes: { pixels: [1, 4] }, inputValues: { scale: 0.25 } });
    const g = await hooks.transformGraph.promise(scaled(), ctx);
    expect(g.signatures.serving_default!.inputs.pixels!.shape).to.deep.equal([1, 4]);
    expect(g.constants.get('ratio')!.shape).to.deep.equal([]);
    expect(ctx.notes).to.deep.equal(['input shapes: x [1,4], k []', 'input values frozen (constants now, no longer inputs): scale = 0.25']);
    const bad = context({ inputValues: { offset: 0.5 } }, { 'inputValues.offset': '--input-value on the command line' });
    let err: Error | undefined;
    try { await hooks.transformGraph.promise(scaled(), bad); } catch (e) { err = e as Error; }
    expect(err?.message).to.contain('input value offset=0.5 (--input-value on the command line): input "k": the input is int32, which cannot hold 0.5');
  });
});
