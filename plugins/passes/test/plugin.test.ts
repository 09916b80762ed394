import { expect } from 'chai';
import { createRequire } from 'node:module';
import {
  coreServices, createContainer, createHooks, GraphBuilder, initBackend, OptionsError,
  type ExportContext, type ExportOptions, type Graph, type Logger,
} from '@modelport/core';
import passesDefault, { optionsSchema, passesPlugin, PLUGIN_NAME } from '../src/index.js';
import { opCounts, valid } from './helpers.js';

const require = createRequire(import.meta.url);

/** A graph every pass has work in: an Identity, a NoOp, a dead node, a constant subgraph. */
function untidyGraph(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2]);
  const k = b.node('k', { op: 'Square', inputs: [b.constant('k/base', 'float32', [2], [2, 3])] });
  b.node('deps', { op: 'NoOp', controlInputs: ['k/base'] });
  const id = b.node('x/read', { op: 'Identity', inputs: [x] });
  b.node('unused', { op: 'Exp', inputs: [x] });
  return b.outputs(b.node('y', { op: 'Mul', inputs: [id, k], controlInputs: ['deps'] })).build();
}

function exportContext(debug: string[] = []): ExportContext {
  const options: ExportOptions = { targets: ['tfjs'], out: 'out', validate: false };
  const logger: Logger = { debug: (m) => debug.push(m), info() {}, warn() {} };
  return { request: { source: { format: 'tfjs', path: 'model.json' }, options }, options, logger, notes: [], data: new Map() };
}

describe('passesPlugin', () => {
  before(() => initBackend());

  it('is the default export, with the package\'s name, version and options schema', () => {
    expect(passesDefault).to.equal(passesPlugin);
    expect(passesPlugin.name).to.equal(PLUGIN_NAME).and.to.equal('@modelport/passes');
    expect(passesPlugin.version).to.equal(require('../../package.json').version);
    expect(passesPlugin.optionsSchema).to.equal(optionsSchema).and.to.deep.equal(require('../../options.schema.json'));
  });

  it('taps transformGraph under its name, runs every pass, and notes what each did', async () => {
    const hooks = createHooks();
    await passesPlugin.apply(hooks, {}, createContainer());
    expect(hooks.transformGraph.taps.map((t) => t.name)).to.deep.equal([PLUGIN_NAME]);
    const debug: string[] = [];
    const ctx = exportContext(debug);
    const after = valid(await hooks.transformGraph.promise(untidyGraph(), ctx));
    expect(opCounts(after)).to.deep.equal({ Placeholder: 1, Const: 1, Mul: 1 });
    expect(after.nodes.find((n) => n.name === 'y')!.inputs).to.deep.equal(['x:0', 'k:0']);
    expect(ctx.notes).to.deep.equal(['passes: removed 1 Identity, 1 NoOp; folded 1 node(s) into Consts; pruned 2 node(s)']);
    expect(debug.some((m) => m.startsWith('remove-identity: removed 1 Identity, 1 NoOp'))).to.equal(true);
    expect(debug.some((m) => m.startsWith('fold-constants: 1 constant node(s); 1 replaced by 1 Const(s)'))).to.equal(true);
  });

  it('runs only the passes the options name', async () => {
    const hooks = createHooks();
    await passesPlugin.apply(hooks, { passes: ['prune-dead-code'] }, createContainer());
    const ctx = exportContext();
    const after = valid(await hooks.transformGraph.promise(untidyGraph(), ctx));
    expect(opCounts(after)).to.deep.equal({ Placeholder: 1, Const: 1, Square: 1, NoOp: 1, Identity: 1, Mul: 1 });
    expect(ctx.notes).to.deep.equal(['passes: pruned 1 node(s)']);
  });

  it('fills in defaults through the plugin host, and refuses an unknown pass naming the ones there are', async () => {
    const { host } = coreServices(createContainer());
    await host.apply(passesPlugin, {});
    expect(host.plugins()[0]!.options).to.deep.equal({
      passes: ['remove-identity', 'prune-dead-code', 'fold-shapes', 'fold-constants'], foldMaxElements: 1048576, foldMaxGrowth: 4,
    });
    const other = coreServices(createContainer()).host;
    const err = await other.apply(passesPlugin, { passes: ['fold-everything'] }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(OptionsError);
    expect((err as Error).message).to.match(/@modelport\/passes.*"remove-identity", "prune-dead-code", "fold-shapes", "fold-constants"/);
  });
});
