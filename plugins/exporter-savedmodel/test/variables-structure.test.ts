import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { compareTensors, GraphBuilder, GraphExecutor, type Graph } from '@modelport/core';
import { messageType, readTensorBundle, TO_OBJECT_OPTIONS } from '@modelport/savedmodel';
import { exportSavedModel } from '../src/export-savedmodel.js';
import { writeSavedModelFiles } from '../src/write-files.js';
import { decodeSavedModel, FIXTURES } from './support/fixtures.js';
import { float32File } from './support/graph-from-fixture.js';

const dir = path.join(FIXTURES, 'tf1-variables-mlp');
const fixture = decodeSavedModel(path.join(dir, 'saved_model/saved_model.pb'));
/** Attrs TensorFlow's Python layer adds for its own bookkeeping (colocation, shapes, control-dependency marks). */
const BOOKKEEPING = ['_output_shapes', '_class', '_has_manual_control_dependencies'];
const plain = (attr: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(attr).filter(([k]) => !BOOKKEEPING.includes(k)));
const decodeVariableDef = (b: Uint8Array) => { const t = messageType('VariableDef'); return t.toObject(t.decode(b), TO_OBJECT_OPTIONS) as any; };

/** The fixture's MLP frozen: its variables' values (read from TensorFlow's checkpoint) as Consts of the same names. */
async function frozenMlp(): Promise<Graph> {
  const weights = await readTensorBundle(path.join(dir, 'saved_model/variables/variables'));
  const b = new GraphBuilder();
  const kernel = weights.get('dense/kernel')!, bias = weights.get('dense/bias')!;
  b.input('features', 'float32', [-1, 5]);
  b.constant('dense/kernel', 'float32', kernel.shape, kernel.values);
  b.constant('dense/bias', 'float32', bias.shape, bias.values);
  const T = { type: 'float32' };
  b.node('MatMul', { op: 'MatMul', inputs: ['features:0', 'dense/kernel:0'], attrs: { T, transpose_a: { b: false }, transpose_b: { b: false } } });
  b.node('BiasAdd', { op: 'BiasAdd', inputs: ['MatMul:0', 'dense/bias:0'], attrs: { T } });
  b.node('probs', { op: 'Softmax', inputs: ['BiasAdd:0'], attrs: { T } });
  b.outputs('probs:0');
  b.signature('serving_default', { inputs: { features: { name: 'features:0', dtype: 'float32', shape: [-1, 5] } }, outputs: { probs: { name: 'probs:0', dtype: 'float32', shape: [-1, 3] } } });
  return b.build();
}

describe('SavedModel variables, as TensorFlow\'s tf1-variables-mlp has them', () => {
  let out: string;
  let ours: any;
  let graph: Graph;
  before(async () => {
    graph = await frozenMlp();
    out = mkdtempSync(path.join(os.tmpdir(), 'sm-variables-'));
    const exported = exportSavedModel(graph, { variables: true, assets: [] });
    const files = await writeSavedModelFiles(out, exported);
    expect(files.sort()).to.deep.equal(['saved_model.pb', 'variables/variables.data-00000-of-00001', 'variables/variables.index']);
    ours = decodeSavedModel(path.join(out, 'saved_model.pb'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('the frozen MLP computes in tfjs what TensorFlow computed', async () => {
    const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'));
    const exec = await GraphExecutor.create(graph);
    try {
      const got = await exec.runSignature(graph.signatures.serving_default!, { features: float32File(readFileSync(path.join(dir, index.inputs[0].file)), index.inputs[0].shape) });
      const c = compareTensors('probs', got.probs!, float32File(readFileSync(path.join(dir, index.outputs[0].file)), index.outputs[0].shape), 1e-5);
      expect(c.ok, c.problem).to.equal(true);
    } finally { exec.dispose(); }
  });

  it('writes variables/ byte for byte as TensorFlow did (index and data)', () => {
    for (const f of ['variables.index', 'variables.data-00000-of-00001']) {
      expect(Buffer.compare(readFileSync(path.join(out, 'variables', f)), readFileSync(path.join(dir, 'saved_model/variables', f))), f).to.equal(0);
    }
  });

  it('keeps the weights out of saved_model.pb (zeros initializer)', () => {
    const pb = readFileSync(path.join(out, 'saved_model.pb'));
    const kernel = graph.constants.get('dense/kernel')!.values as Float32Array;
    expect(pb.includes(Buffer.from(kernel.buffer, kernel.byteOffset, kernel.byteLength))).to.equal(false);
    expect(ours.metaGraphs[0].graphDef.node.filter((n: any) => n.op === 'Const').map((n: any) => n.name)).to.not.include.members(['dense/kernel', 'dense/bias']);
  });

  it('has the same saver_def, collections and VariableDefs (initial value aside: zeros, not the weights)', () => {
    const [m, f] = [ours.metaGraphs[0], fixture.metaGraphs[0]];
    expect(m.saverDef).to.deep.equal(f.saverDef);
    expect(Object.keys(m.collectionDef).sort()).to.deep.equal(Object.keys(f.collectionDef).sort());
    for (const key of Object.keys(f.collectionDef)) {
      const mine = m.collectionDef[key].bytesList.value.map(decodeVariableDef);
      const theirs = f.collectionDef[key].bytesList.value.map(decodeVariableDef);
      const byVar = (xs: any[]) => [...xs].sort((a, b) => a.variableName.localeCompare(b.variableName)).map((v) => ({ ...v, initialValueName: undefined }));
      expect(byVar(mine), key).to.deep.equal(byVar(theirs));
      for (const v of mine) expect(v.initialValueName).to.equal(`${v.variableName.replace(/:0$/, '')}/Initializer/zeros:0`);
    }
  });

  it('writes the variables and the save/restore subgraph node for node as TensorFlow did', () => {
    const theirs = new Map<string, any>(fixture.metaGraphs[0].graphDef.node.map((n: any) => [n.name, n]));
    const mine = new Map<string, any>(ours.metaGraphs[0].graphDef.node.map((n: any) => [n.name, n]));
    const same = [...theirs.keys()].filter((name) => name.startsWith('save/') || /^dense\/(kernel|bias)(\/(Assign|IsInitialized\/VarIsInitializedOp|Read\/ReadVariableOp))?$/.test(name));
    expect(same.length).to.equal(35); // 27 save/ nodes, 4 per variable
    for (const name of same) {
      const [a, b] = [mine.get(name), theirs.get(name)];
      expect(a, name).to.not.equal(undefined);
      expect(a.op, name).to.equal(b.op);
      expect(a.device ?? '', name).to.equal(b.device ?? '');
      expect(plain(a.attr), name).to.deep.equal(plain(b.attr));
      // Assign reads the zeros initializer instead of the initial value
      if (!name.endsWith('/Assign')) expect(a.input ?? [], name).to.deep.equal(b.input ?? []);
    }
    expect(mine.get('init').input).to.deep.equal(theirs.get('init').input);
    expect(mine.get('BiasAdd').input).to.deep.equal(['MatMul', 'dense/bias/Read/ReadVariableOp']);
  });
});
