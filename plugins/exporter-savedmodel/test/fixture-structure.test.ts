import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { compareTensors, GraphExecutor, relativeDiff } from '@modelport/core';
import { messageType, TO_OBJECT_OPTIONS } from '@modelport/savedmodel';
import { exportSavedModel } from '../src/export-savedmodel.js';
import { decodeSavedModel, FIXTURES } from './support/fixtures.js';
import { float32File, graphFromFixture } from './support/graph-from-fixture.js';

const dir = path.join(FIXTURES, 'tf1-frozen-cnn');
const fixture = decodeSavedModel(path.join(dir, 'saved_model/saved_model.pb'));
const decode = (bytes: Uint8Array) => { const t = messageType('SavedModel'); return t.toObject(t.decode(bytes), TO_OBJECT_OPTIONS) as any; };
/** TensorFlow's per-node shape annotations: informative, not read by its loaders, not written here. */
const withoutShapes = (attr: Record<string, unknown>) => Object.fromEntries(Object.entries(attr).filter(([k]) => k !== '_output_shapes'));
/** The build that wrote a SavedModel: TensorFlow names its own; modelport is not TensorFlow. */
const TF_BUILD_FIELDS = ['tensorflowVersion', 'tensorflowGitVersion'];

describe('SavedModel encoding, field for field with TensorFlow\'s tf1-frozen-cnn', () => {
  const source = graphFromFixture(fixture);
  const ours = decode(exportSavedModel(source, { variables: false, assets: [] }).savedModelPb);

  it('the fixture read into the IR computes in tfjs what TensorFlow computed (so the comparison below compares the same model)', async () => {
    const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'));
    const input = index.inputs[0];
    const exec = await GraphExecutor.create(source);
    try {
      const got = await exec.runSignature(source.signatures.serving_default!, { [input.name]: float32File(readFileSync(path.join(dir, input.file)), input.shape) });
      for (const o of index.outputs) {
        const c = compareTensors(o.name, got[o.name]!, float32File(readFileSync(path.join(dir, o.file)), o.shape), 1e-5);
        expect(c.ok, `${o.name}: ${c.problem}`).to.equal(true);
        console.log(`      ${o.name}: relative diff to TensorFlow ${relativeDiff(c).toExponential(2)}`);
      }
    } finally { exec.dispose(); }
  });

  it('has TensorFlow\'s message layout: SavedModel, MetaGraphDef, meta_info_def fields, tags, versions', () => {
    expect(Object.keys(ours).sort()).to.deep.equal(Object.keys(fixture).sort());
    expect(ours.savedModelSchemaVersion).to.equal(fixture.savedModelSchemaVersion);
    expect(ours.metaGraphs).to.have.length(1);
    const [m, f] = [ours.metaGraphs[0], fixture.metaGraphs[0]];
    expect(Object.keys(m).sort()).to.deep.equal(Object.keys(f).sort());
    expect(Object.keys(m.metaInfoDef).sort()).to.deep.equal(Object.keys(f.metaInfoDef).filter((k) => !TF_BUILD_FIELDS.includes(k)).sort());
    expect(m.metaInfoDef.tags).to.deep.equal(f.metaInfoDef.tags);
    expect(m.graphDef.versions).to.deep.equal(f.graphDef.versions);
  });

  it('writes the same SignatureDefs: method name, TensorInfo "node:0", DT_ type, -1 dims kept', () => {
    expect(ours.metaGraphs[0].signatureDef).to.deep.equal(fixture.metaGraphs[0].signatureDef);
  });

  it('writes every node as TensorFlow did: name, op, inputs, attrs (defaults included) and Const values byte for byte', () => {
    const byName = new Map<string, any>(fixture.metaGraphs[0].graphDef.node.map((n: any) => [n.name, n]));
    const nodes = ours.metaGraphs[0].graphDef.node;
    expect(nodes.map((n: any) => n.name).sort()).to.deep.equal([...byName.keys()].sort());
    for (const n of nodes) {
      const f = byName.get(n.name);
      expect(n.op, n.name).to.equal(f.op);
      expect(n.input ?? [], n.name).to.deep.equal(f.input ?? []);
      expect(withoutShapes(n.attr), n.name).to.deep.equal(withoutShapes(f.attr));
    }
  });

  it('lists the same OpDefs in stripped_op_list', () => {
    const names = (m: any) => m.metaInfoDef.strippedOpList.op.map((o: any) => o.name);
    expect(names(ours.metaGraphs[0])).to.deep.equal(names(fixture.metaGraphs[0]));
  });
});
