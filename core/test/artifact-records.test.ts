import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArtifactRecordError, coreServices, createContainer, definePlugin, type ArtifactRecord, type WriteArtifactContext } from '@modelport/core';
import { smallConvNet } from '@modelport/core/testing';

type Writer = (ctx: WriteArtifactContext) => Promise<unknown>;

/** An exporter of target "blob" that writes what `write` writes and returns what it returns. */
function blobExporter(write: Writer) {
  return definePlugin({
    name: 'blob-exporter', version: '1.0.0',
    apply(hooks) { hooks.writeArtifact.for('blob').tapPromise('blob-exporter', async (_graph, ctx) => (await write(ctx)) as ArtifactRecord | undefined); },
  });
}

const put = async (ctx: WriteArtifactContext, file: string, text: string) => {
  await fs.mkdir(path.dirname(path.join(ctx.dir, file)), { recursive: true });
  await fs.writeFile(path.join(ctx.dir, file), text);
};
const record = (files: string[], extra: Partial<ArtifactRecord> = {}) => ({ target: 'blob', format: 'blob', plugin: 'blob-exporter', path: files[0]!, files, ...extra });

describe('checks of the ArtifactRecord an exporter returns', () => {
  let out: string;
  beforeEach(async () => { out = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-records-')); });
  afterEach(() => fs.rm(out, { recursive: true, force: true }));

  async function exportWith(write: Writer) {
    const { host, pipeline } = coreServices(createContainer());
    await host.apply(blobExporter(write));
    return pipeline.run({ source: { format: 'graph', name: 'small', graph: smallConvNet() }, options: { targets: ['blob'], out, validate: false } });
  }
  async function failure(write: Writer): Promise<ArtifactRecordError> {
    const e = await exportWith(write).then(() => undefined, (err: unknown) => err);
    expect(e, 'the export should fail').to.be.instanceOf(ArtifactRecordError);
    // Nothing published, no temp folder left behind.
    expect(await fs.readdir(out)).to.deep.equal([]);
    return e as ArtifactRecordError;
  }

  it('names the plugin that tapped writeArtifact but returned no record', async () => {
    const e = await failure(async (ctx) => { await put(ctx, 'blob.bin', 'x'); return undefined; });
    expect(e.plugin).to.equal('blob-exporter');
    expect(e.target).to.equal('blob');
    expect(e.message).to.equal('[plugin blob-exporter] writeArtifact[blob]: returned no ArtifactRecord, so nothing wrote target "blob"; the tap must return { target, format, plugin, path, files } naming the files it wrote');
  });

  it('names the chosen exporter when several tap the target', async () => {
    const { host, pipeline } = coreServices(createContainer());
    const exporter = (name: string, returns: boolean) => definePlugin({
      name, version: '1.0.0',
      apply(hooks) {
        hooks.writeArtifact.for('blob').tapPromise(name, async (_graph, ctx) => {
          await fs.writeFile(path.join(ctx.dir, 'blob.bin'), name);
          return returns ? { ...record(['blob.bin']), plugin: name } : undefined;
        });
      },
    });
    await host.apply(exporter('first-exporter', true));
    await host.apply(exporter('second-exporter', false));
    host.choose('writeArtifact', 'blob', 'second-exporter');
    const e = await pipeline.run({ source: { format: 'graph', name: 'small', graph: smallConvNet() }, options: { targets: ['blob'], out, validate: false } })
      .then(() => undefined, (err: unknown) => err);
    expect(e).to.be.instanceOf(ArtifactRecordError);
    expect((e as ArtifactRecordError).plugin).to.equal('second-exporter');
    expect((e as Error).message).to.contain('[plugin second-exporter] writeArtifact[blob]: returned no ArtifactRecord, so nothing wrote target "blob"');
  });

  it('refuses a record for a file the exporter never wrote, naming plugin, target and file', async () => {
    const e = await failure(async (ctx) => { await put(ctx, 'blob.bin', 'x'); return record(['blob.bin', 'weights/shard1.bin']); });
    expect(e.file).to.equal('weights/shard1.bin');
    expect(e.message).to.equal('[plugin blob-exporter] writeArtifact[blob]: file "weights/shard1.bin": its ArtifactRecord lists 1 file(s) that are not in the version folder: '
      + '"weights/shard1.bin"; write them under the folder given as context.dir, or leave them out of the record (nothing was published)');
  });

  it('lists every missing field of a malformed record at once', async () => {
    const e = await failure(async (ctx) => { await put(ctx, 'blob.bin', 'x'); return { target: 'onnx', plugin: 'someone-else', files: [] }; });
    expect(e.message).to.equal('[plugin blob-exporter] writeArtifact[blob]: the ArtifactRecord it returned is malformed: target is "onnx", not "blob"; '
      + 'format (the serve key of its runtime) is missing; plugin is "someone-else", but "blob-exporter" wrote it; path (the file a runtime opens) is missing; '
      + 'files (every file it wrote) is missing or empty; return { target, format, plugin, path, files }');
  });

  it('refuses paths that leave the version folder, and folders listed as files', async () => {
    const outside = await failure(async (ctx) => { await put(ctx, 'blob.bin', 'x'); return record(['blob.bin', '../other/1/model.json']); });
    expect(outside.message).to.match(/files entry "\.\.\/other\/1\/model\.json" is not a path inside the version folder/);
    const folder = await failure(async (ctx) => { await put(ctx, 'layers/model.json', '{}'); return record(['layers/model.json', 'layers']); });
    expect(folder.message).to.match(/lists folder\(s\) where files belong: "layers"; list each file in them/);
  });

  it('hashes every listed file, nested folders included, and notes files no record lists', async () => {
    const summary = await exportWith(async (ctx) => {
      await put(ctx, 'blob/model.json', '{"a":1}');
      await put(ctx, 'blob/weights/group1-shard1of1.bin', 'weights');
      await put(ctx, 'stray.log', 'left here');
      return record(['./blob/model.json', 'blob/weights/group1-shard1of1.bin']);
    });
    const manifest = JSON.parse(await fs.readFile(path.join(summary.dir, 'export.json'), 'utf8')) as { files: Record<string, { sha256: string; bytes: number }> };
    expect(Object.keys(manifest.files)).to.deep.equal(['blob/model.json', 'blob/weights/group1-shard1of1.bin', 'stray.log']);
    expect(manifest.files['blob/weights/group1-shard1of1.bin']!.sha256).to.equal(createHash('sha256').update('weights').digest('hex'));
    expect(summary.artifacts[0]!.files).to.deep.equal(['blob/model.json', 'blob/weights/group1-shard1of1.bin']);
    expect(summary.artifacts[0]!.bytes).to.equal('{"a":1}'.length + 'weights'.length);
    expect(summary.notes).to.include("1 file(s) in the version are listed by no exporter's record (kept, and in the checksums): stray.log");
  });
});
