import { expect } from 'chai';
import {
  composeSignatures, GraphExecutor, ModuleError, type Contribution, type ExportModule,
} from '../src/index.js';
import { denseGraph } from './support/dense-graph.js';

const T = { T: { type: 'float32' } } as const;

/** Input stage: integers in, halved, fed to the model. */
const halve: ExportModule<{ divisor?: number }> = {
  kind: 'input', name: 'halve',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { divisor: { type: 'number', exclusiveMinimum: 0, default: 2 } } },
  build(ctx, o) {
    const input = ctx.ops.input('counts', 'int32', [-1, 2]);
    const f = ctx.ops.node('to_float', { op: 'Cast', inputs: [input], attrs: { SrcT: { type: 'int32' }, DstT: { type: 'float32' } } });
    const d = ctx.ops.constant('divisor', 'float32', [], [o.divisor!]);
    return { feeds: { x: ctx.ops.node('halved', { op: 'RealDiv', inputs: [f, d], attrs: T }) } };
  },
};

/** Output stage: the index of the larger value. */
const best: ExportModule = {
  kind: 'output', name: 'best',
  build(ctx, _o, outputs) {
    const y = outputs.y ?? ctx.fail('the model has no output "y"');
    const axis = ctx.ops.constant('axis', 'int32', [], [1]);
    const arg = ctx.ops.node('argmax', { op: 'ArgMax', inputs: [y.name, axis], attrs: { T: { type: 'float32' }, Tidx: { type: 'int32' }, output_type: { type: 'int32' } } });
    return { outputs: { best: { name: arg, dtype: 'int32', shape: [-1] } } };
  },
};

const modules: Contribution<ExportModule>[] = [{ plugin: 'test-modules', value: halve }, { plugin: 'test-modules', value: best }];
const tensor = (shape: number[], data: number[], dtype: 'float32' | 'int32' = 'float32') => ({ dtype, shape, data: dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data) });

describe('export modules', function () {
  this.timeout(60_000);

  it('builds a signature from stages around its own copy of the model and keeps the source one', async () => {
    const graph = composeSignatures(denseGraph(), { signatures: { serving_default: ['halve', 'best'], halved: ['halve'] } }, modules);
    expect(Object.keys(graph.signatures)).to.have.members(['source', 'serving_default', 'halved']);
    expect(graph.signatures.serving_default!.stages).to.deep.equal(['halve', 'model', 'best']);
    expect(Object.keys(graph.signatures.serving_default!.inputs)).to.deep.equal(['counts']);
    expect(graph.nodes.map((n) => n.name)).to.include.members(['serving_default/mm', 'halved/mm', 'mm']);
    expect(graph.nodes.filter((n) => n.op === 'Const' && n.name.endsWith('w'))).to.have.length(1); // weights shared
    const exec = await GraphExecutor.create(graph);
    try {
      const counts = tensor([2, 2], [2, 4, 4, 0], 'int32'); // halved: [1, 2] → y [5, 1]; [2, 0] → [2, 0]
      const out = await exec.runSignature(graph.signatures.serving_default!, { counts });
      expect(Array.from(out.best!.data as Int32Array)).to.deep.equal([0, 0]);
      const halved = await exec.runSignature(graph.signatures.halved!, { counts });
      expect(Array.from(halved.y!.data as Float32Array)).to.deep.equal([5, 1, 2, 0]);
      const own = await exec.runSignature(graph.signatures.source!, { x: tensor([1, 2], [0, 1]) });
      expect(Array.from(own.y!.data as Float32Array)).to.deep.equal([2, 1]);
    } finally {
      exec.dispose();
    }
  });

  it('takes per-signature options and drops the source signature when asked', () => {
    const graph = composeSignatures(denseGraph(), { signatures: { a: ['halve'] }, moduleOptions: { halve: { divisor: 4 }, 'a/halve': { divisor: 8 } }, sourceSignature: false }, modules);
    expect(Object.keys(graph.signatures)).to.deep.equal(['a']);
    const divisor = [...graph.constants].find(([k]) => k.startsWith('a/halve/divisor'))![1];
    expect(Array.from(divisor.values as Float32Array)).to.deep.equal([8]);
  });

  it('names the signature, the module and the option when a signature cannot be built', () => {
    const build = (request: Parameters<typeof composeSignatures>[1]) => () => composeSignatures(denseGraph(), request, modules, 'opts.json');
    expect(build({ signatures: { s: ['halve'] }, moduleOptions: { halve: { divisor: -1 } } })).to.throw(ModuleError, /signature "s", module "halve": invalid options of module "halve": "divisor" must be > 0 \(set in opts.json\)/);
    expect(build({ signatures: { s: ['halv'] } })).to.throw(/signature "s": no export module "halv" \(did you mean "halve"\?\)/);
    expect(build({ signatures: { s: ['best', 'halve'] } })).to.throw(/input module "halve" comes after output module "best"/);
    expect(build({ signatures: { s: ['halve'] }, sourceSignature: 's' })).to.throw(/also the key of a module signature/);
    const broken: ExportModule = { kind: 'output', name: 'broken', build: (ctx) => ctx.fail('needs an output "boxes" of shape [n, anchors, 4]', 'outputs.boxes') };
    expect(() => composeSignatures(denseGraph(), { signatures: { s: ['broken'] } }, [{ plugin: 'p', value: broken }], 'opts.json'))
      .to.throw(/\[plugin p\] signature "s", module "broken", option "outputs.boxes" \(set in opts.json\): needs an output/);
  });

  it('gives modules the shapes inference finds where the model\'s signature leaves them open', () => {
    const open = denseGraph();
    const graph = { ...open, signatures: { serving_default: { ...open.signatures.serving_default!, outputs: { y: { name: 'y:0', dtype: 'float32' as const, shape: null } } } } };
    let seen: unknown;
    const look: ExportModule = { kind: 'output', name: 'look', build(ctx, _o, outputs) { seen = [outputs.y!.shape, ctx.model.outputs.y!.shape]; return { outputs: { y: outputs.y! } }; } };
    composeSignatures(graph, { signatures: { s: ['look'] } }, [{ plugin: 'test-modules', value: look }]);
    expect(seen).to.deep.equal([[-1, 2], [-1, 2]]);
  });
});
