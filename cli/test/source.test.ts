import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { sourceOf } from '../src/commands/source.js';

describe('sourceOf: what a path on the command line is', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-source-'));
    await fs.mkdir(path.join(dir, 'mobilenet', 'saved_model'), { recursive: true });
    await fs.writeFile(path.join(dir, 'mobilenet', 'saved_model', 'saved_model.pb'), '');
    await fs.mkdir(path.join(dir, 'resnet v2'));
    await fs.writeFile(path.join(dir, 'resnet v2', 'saved_model.pb'), '');
    await fs.mkdir(path.join(dir, 'web'));
    await fs.writeFile(path.join(dir, 'web', 'model.json'), '{}');
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('takes a directory holding saved_model.pb, or that file, as a SavedModel named after its folder', () => {
    const nested = path.join(dir, 'mobilenet', 'saved_model');
    expect(sourceOf(nested)).to.deep.equal({ format: 'savedmodel', path: nested, name: 'mobilenet' });
    expect(sourceOf(path.join(nested, 'saved_model.pb'))).to.deep.equal({ format: 'savedmodel', path: path.join(nested, 'saved_model.pb'), name: 'mobilenet' });
    expect(sourceOf(path.join(dir, 'resnet v2'))).to.deep.equal({ format: 'savedmodel', path: path.join(dir, 'resnet v2'), name: 'resnet_v2' });
  });

  it('takes anything else as a tfjs model, as before', () => {
    expect(sourceOf(path.join(dir, 'web', 'model.json'))).to.deep.equal({ format: 'tfjs', path: path.join(dir, 'web', 'model.json') });
    expect(sourceOf(path.join(dir, 'web'))).to.deep.equal({ format: 'tfjs', path: path.join(dir, 'web') });
    expect(sourceOf(path.join(dir, 'missing.json'))).to.deep.equal({ format: 'tfjs', path: path.join(dir, 'missing.json') });
  });
});
