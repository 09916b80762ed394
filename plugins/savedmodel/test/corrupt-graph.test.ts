import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelLoadError } from '@modelport/core';
import { messageType, readSavedModel } from '../src/index.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures');

// Cases the fuzz harness (test/fuzz) found: one field of a TensorFlow-written saved_model.pb changed,
// each reaching the reader past decoding; each must be one ModelLoadError that says what is wrong.
describe('readSavedModel on a graph corrupt in one field', function () {
  this.timeout(60_000);
  const temps: string[] = [];
  after(async () => { for (const t of temps) await fs.rm(t, { recursive: true, force: true }); });

  /** A copy of a fixture whose saved_model.pb `edit` changes (protobufjs message objects). */
  async function corrupted(fixture: string, edit: (model: any) => void): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'savedmodel-corrupt-'));
    temps.push(dir);
    await fs.cp(path.join(FIXTURES, fixture, 'saved_model'), dir, { recursive: true });
    const type = messageType('SavedModel');
    const model = type.decode(await fs.readFile(path.join(dir, 'saved_model.pb'))) as any;
    edit(model);
    await fs.writeFile(path.join(dir, 'saved_model.pb'), type.encode(model).finish());
    return dir;
  }

  async function loadError(dir: string): Promise<string> {
    const error = await readSavedModel(dir).then(() => undefined, (e: unknown) => e);
    expect(error, 'readSavedModel should reject').to.be.instanceOf(ModelLoadError);
    return (error as Error).message;
  }

  const functions = (model: any): any[] => model.metaGraphs[0].graphDef.library.function;

  it('a RestoreV2 whose tensor_names is not a string constant', async () => {
    const dir = await corrupted('tf1-variables-mlp', (model) => {
      const nodes: any[] = model.metaGraphs[0].graphDef.node;
      const restore = nodes.find((n) => n.op === 'RestoreV2');
      const names = nodes.find((n) => n.name === restore.input[1]);
      names.attr.value.tensor.dtype = 1; // DT_FLOAT
    });
    expect(await loadError(dir)).to.match(/tensor_names of RestoreV2 ".+" is a float32 constant, not strings/);
  });

  it('a function output without a name', async () => {
    const dir = await corrupted('tf2-module-two-signatures', (model) => {
      for (const fn of functions(model)) for (const arg of fn.signature.outputArg ?? []) arg.name = '';
    });
    expect(await loadError(dir)).to.match(/function ".+" has an unnamed output \(output 0\)/);
  });

  it('a function node without an op', async () => {
    const dir = await corrupted('keras-export-cnn', (model) => {
      for (const fn of functions(model)) for (const node of fn.nodeDef ?? []) if (node.op === 'Relu') node.op = '';
    });
    expect(await loadError(dir)).to.include('the NodeDef has no op: the graph is corrupt').and.not.include('undefined');
  });

  it('a function node without a name', async () => {
    const dir = await corrupted('tf2-module-two-signatures', (model) => {
      for (const fn of functions(model)) for (const node of fn.nodeDef ?? []) node.name = '';
    });
    expect(await loadError(dir)).to.match(/function ".+" has a node \(op \w+\) without a name: the function library is corrupt/).and.not.include('undefined');
  });

  it('a function input "node:output:index" whose index is not a number', async () => {
    const dir = await corrupted('tf2-control-flow', (model) => {
      for (const fn of functions(model)) for (const node of fn.nodeDef ?? []) node.input = (node.input ?? []).map((i: string) => i.replace(/:(\d+)$/, ':p'));
    });
    expect(await loadError(dir)).to.match(/has an input ".+:p" that is not "node:output:index"/);
  });

  it('saved_model.pb whose field claims more bytes than the file has: said in words', async () => {
    const dir = await corrupted('tf1-frozen-cnn', () => {});
    const pb = path.join(dir, 'saved_model.pb');
    const bytes = await fs.readFile(pb);
    await fs.writeFile(pb, bytes.subarray(0, bytes.byteLength - 100));
    const message = await loadError(dir);
    expect(message).to.match(/claims \d+ byte\(s\), past the end of the data|ends inside a field/).and.not.match(/index out of range/);
  });
});
