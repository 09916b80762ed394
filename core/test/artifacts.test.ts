import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArtifactStore, listVersions } from '@modelport/core';

describe('ArtifactStore', () => {
  let out: string;
  beforeEach(async () => { out = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-store-')); });
  afterEach(() => fs.rm(out, { recursive: true, force: true }));

  it('numbers versions 1, 2, … and writes export.json with the sha256 of every file', async () => {
    const store = new ArtifactStore();
    for (const text of ['one', 'two']) {
      const v = await store.begin(out, 'm');
      await fs.writeFile(path.join(v.dir, 'model.bin'), text);
      await v.commit({ note: text });
    }
    expect(await listVersions(path.join(out, 'm'))).to.deep.equal([1, 2]);
    const manifest = JSON.parse(await fs.readFile(path.join(out, 'm', '2', 'export.json'), 'utf8'));
    expect(manifest.version).to.equal(2);
    expect(manifest.files['model.bin']).to.deep.equal({ sha256: '3fc4ccfe745870e2c0d99f71f30ff0656c8dedd41cc1d7d3d376b0dbe685e2f3', bytes: 3 });
  });

  it('leaves nothing behind when aborted, and earlier versions untouched', async () => {
    const store = new ArtifactStore();
    const first = await store.begin(out, 'm');
    await fs.writeFile(path.join(first.dir, 'a'), 'x');
    await first.commit({});
    const second = await store.begin(out, 'm');
    await fs.writeFile(path.join(second.dir, 'half'), 'y');
    await second.abort();
    expect(await fs.readdir(path.join(out, 'm'))).to.deep.equal(['1']);
  });

  it('refuses a requested version that exists, removing the pending one', async () => {
    const store = new ArtifactStore();
    await (await store.begin(out, 'm')).commit({}, 5);
    const again = await store.begin(out, 'm');
    const err = await again.commit({}, 5).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/version 5 of "m" exists already/);
    expect(await fs.readdir(path.join(out, 'm'))).to.deep.equal(['5']);
  });
});
