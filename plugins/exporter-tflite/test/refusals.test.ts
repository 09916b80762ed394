import { promises as fs } from 'node:fs';
import { expect } from 'chai';
import { attrValue, GraphBuilder, initBackend, tensorRef, UnsupportedOpsError, type Graph } from '@modelport/core';
import { DynamicInputShapeError, exportTflite } from '../src/index.js';
import { hooksWithExporter, writeContext } from './context.js';

/** x → Relu → FancyOp → Unique → (a v1 loop fragment) → out: three kinds of nodes TFLite builtins cannot express. */
function graphWithUnsupportedOps(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 4]);
  b.node('relu', { op: 'Relu', inputs: [x] });
  b.node('fancy', { op: 'FancyOp', inputs: ['relu:0'] });
  b.node('unique', { op: 'Unique', inputs: ['fancy:0'] });
  b.node('enter', { op: 'Enter', inputs: ['unique:0'], attrs: { frame_name: attrValue.string('loop') } });
  b.node('merge', { op: 'Merge', inputs: ['enter:0'] });
  b.node('exit', { op: 'Exit', inputs: ['merge:0'] });
  b.outputs(tensorRef('exit'));
  return b.build();
}

describe('exporter-tflite: refusals', () => {
  before(() => initBackend());

  it('lists every node without a TFLite builtin at once, control flow marked', async () => {
    const err = await exportTflite(graphWithUnsupportedOps()).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(UnsupportedOpsError);
    const unsupported = (err as UnsupportedOpsError).unsupported.map((u) => u.node);
    expect(unsupported).to.have.members(['fancy', 'unique', 'enter', 'merge', 'exit']);
    expect((err as Error).message).to.match(/"merge" \(Merge: control flow/);
  });

  it('writes nothing when it refuses', async () => {
    const ctx = await writeContext();
    const err = await hooksWithExporter().writeArtifact.for('tflite').promise(graphWithUnsupportedOps(), ctx).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(UnsupportedOpsError);
    expect(await fs.readdir(ctx.dir)).to.deep.equal([]);
    await fs.rm(ctx.dir, { recursive: true });
  });

  it('names every input and axis left dynamic besides the batch', async () => {
    const b = new GraphBuilder();
    const image = b.input('image', 'float32', [-1, -1, -1, 3]);
    const mask = b.input('mask', 'float32', null);
    b.node('sum', { op: 'AddV2', inputs: [image, mask] });
    b.outputs(tensorRef('sum'));
    const err = await exportTflite(b.build()).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(DynamicInputShapeError);
    expect((err as DynamicInputShapeError).problems).to.deep.equal(['input "image" [-1,-1,-1,3] is dynamic on axis 1, 2', 'input "mask" has an unknown rank']);
    expect((err as Error).message).to.contain('--input-shape image=1,<D1>,<D2>,3 --input-shape mask=<D0,D1,…>');
  });

  it('pins a dynamic batch to 1 and says so', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [-1, 3]);
    b.node('y', { op: 'Relu', inputs: [x] });
    b.outputs(tensorRef('y'));
    const result = await exportTflite(b.build());
    expect(result.notes.join()).to.match(/batch size pinned to 1 for input\(s\) "x"/);
  });

  it('refuses a shape argument that comes from input data, naming node and reason', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 6]);
    const axis = b.input('axis', 'int32', []);
    b.node('expand', { op: 'ExpandDims', inputs: [x, axis], attrs: { T: attrValue.dtype('float32') } });
    b.outputs(tensorRef('expand'));
    const err = await exportTflite(b.build()).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(UnsupportedOpsError);
    expect((err as Error).message).to.contain('"expand" (ExpandDims (axis (input 1) is computed at run time; TFLite needs it constant here))');
  });
});
