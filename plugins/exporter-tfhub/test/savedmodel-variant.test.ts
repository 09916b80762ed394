import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { list } from 'tar';
import { definePlugin, GraphExecutor, type Graph, type WriteArtifactContext } from '@modelport/core';
import exporterTfjs from '@modelport/exporter-tfjs';
import { moduleSignaturePlugins, runPipeline, smallImageClassifier, tinyDenseGraph } from '@modelport/testing';
import { exporterTfhub } from '../src/index.js';

/** What the savedmodel target was asked to write. */
interface SavedModelRequest { graph: Graph; dir: string; options: Record<string, unknown>; metadata: unknown; assets: Record<string, string> }

/**
 * A writer for the savedmodel target that keeps what the package asked of it and writes the files
 * its contract names (saved_model.pb, variables/, the assets it is given under assets/): it stands
 * where @modelport/exporter-savedmodel goes, to check the package's side of that contract.
 */
function savedModelRecorder(requests: SavedModelRequest[]) {
  return definePlugin({
    name: 'savedmodel-contract-recorder', version: '0.0.0',
    apply(hooks) {
      hooks.writeArtifact.for('savedmodel').tapPromise('savedmodel-contract-recorder', async (graph, ctx: WriteArtifactContext) => {
        const options = (ctx.export.options.targetOptions?.savedmodel ?? {}) as Record<string, unknown>;
        const given = (options.assets ?? {}) as Record<string, string>;
        const assets: Record<string, string> = {};
        for (const [name, file] of Object.entries(given)) assets[name] = await fs.readFile(file, 'utf8');
        requests.push({ graph, dir: ctx.dir, options, metadata: ctx.export.options.metadata, assets });
        const root = path.join(ctx.dir, String(options.directory ?? '.'));
        await fs.mkdir(path.join(root, 'variables'), { recursive: true });
        await fs.mkdir(path.join(root, 'assets'), { recursive: true });
        await fs.writeFile(path.join(root, 'saved_model.pb'), Uint8Array.of(8, 1));
        await fs.writeFile(path.join(root, 'variables', 'variables.index'), Uint8Array.of(0));
        await fs.writeFile(path.join(root, 'variables', 'variables.data-00000-of-00001'), Uint8Array.of(0));
        for (const [name, text] of Object.entries(assets)) await fs.writeFile(path.join(root, 'assets', name), text);
        const files = ['saved_model.pb', 'variables/variables.index', 'variables/variables.data-00000-of-00001', ...Object.keys(assets).map((a) => `assets/${a}`)];
        return { target: 'savedmodel', format: 'savedmodel', plugin: 'savedmodel-contract-recorder', path: 'saved_model.pb', files };
      });
    },
  });
}

describe('exporter-tfhub: the SavedModel variant, through the savedmodel target', function () {
  this.timeout(120_000);

  it('asks for variables at the root of tfhub/savedmodel with labels.txt as an asset, archives it and documents hub.load', async () => {
    const requests: SavedModelRequest[] = [];
    const run = await runPipeline({
      graph: smallImageClassifier(), plugins: [...moduleSignaturePlugins, exporterTfjs, savedModelRecorder(requests), exporterTfhub], targets: ['tfhub'],
      options: { signatures: { classify: ['pixels', 'classes'] }, moduleOptions: { pixels: { height: 16, width: 16 } }, targetOptions: { tfhub: { publisher: 'acme', modelName: 'tiny' } } },
    });
    expect(requests).to.have.length(1);
    const [request] = requests;
    // The version folder is a temp one while exporters write: the variant's folder is tfhub/savedmodel in it.
    expect(path.relative(path.dirname(run.dir), request!.dir).split(path.sep).slice(1)).to.deep.equal(['tfhub', 'savedmodel']);
    expect(request!.options).to.deep.include({ variables: true, directory: '.' });
    expect(request!.assets).to.deep.equal({ 'labels.txt': 'a\nb\nc\nd\ne\n' });
    expect(Object.keys(request!.graph.signatures)).to.have.members(['serving_default', 'classify']);

    const entries: string[] = [];
    await list({ file: path.join(run.dir, 'tfhub', 'savedmodel.tar.gz'), onReadEntry: (e) => { entries.push(e.path); } });
    expect(entries).to.deep.equal(['assets/', 'assets/labels.txt', 'saved_model.pb', 'variables/', 'variables/variables.data-00000-of-00001', 'variables/variables.index']);

    const card = await run.read('tfhub/README.md');
    expect(card).to.include('<!-- asset-path: savedmodel.tar.gz -->');
    expect(card).to.include('<!-- format: saved_model -->');
    expect(card).to.include('<!-- fine-tunable: true -->');
    expect(card).to.include('model = hub.load("https://tfhub.dev/acme/tiny/1")');
    expect(card).to.include('outputs = model.signatures["classify"](image=tf.zeros([1,16,16,3], tf.uint8))');
    expect(card).to.include('outputs = model.signatures["serving_default"](x=tf.zeros([1,8,8,3], tf.float32))');
    expect(card).to.include('hub.KerasLayer("https://tfhub.dev/acme/tiny/1", signature="serving_default", signature_outputs_as_dict=True)');
    expect(card).to.include('`assets/labels.txt` (SavedModel) and `labels.txt` (tfjs)');

    const details = run.artifact('tfhub').details as { variants: { variant: string; format: string; path: string }[] };
    expect(details.variants.map((v) => [v.variant, v.format, v.path])).to.deep.equal([
      ['savedmodel', 'savedmodel', 'tfhub/savedmodel/saved_model.pb'], ['tfjs', 'tfjs', 'tfhub/tfjs/model.json'],
    ]);
    // No runtime serves savedmodel in this run: noted for that variant, the tfjs one validated.
    expect(run.notes).to.include('tfhub/savedmodel: not validated: no runtime plugin serves "savedmodel"');
    expect((run.summary.manifest.validation as Record<string, { ok: boolean }>)['tfhub/tfjs']!.ok).to.equal(true);
  });

  it('gives the SavedModel vocab.txt as an asset and a tokenization_info signature whose do_lower_case runs to the option\'s value', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tfhub-vocab-'));
    try {
      const vocab = path.join(dir, 'vocab.txt');
      await fs.writeFile(vocab, 'hello\nworld\n');
      for (const doLowerCase of [true, false]) {
        const requests: SavedModelRequest[] = [];
        await runPipeline({
          graph: tinyDenseGraph(), plugins: [exporterTfjs, savedModelRecorder(requests), exporterTfhub], targets: ['tfhub'],
          options: { targetOptions: { tfhub: { vocab, doLowerCase, task: 'text-embedding' } } },
        });
        const [request] = requests;
        expect(request!.assets).to.deep.equal({ 'vocab.txt': 'hello\nworld\n' });
        expect(request!.metadata).to.deep.include({ tokenization: { vocab_file: 'vocab.txt', do_lower_case: doLowerCase } });
        const signature = request!.graph.signatures.tokenization_info!;
        expect(signature.inputs).to.deep.equal({});
        const exec = await GraphExecutor.create(request!.graph);
        try {
          const out = await exec.runSignature(signature, {});
          expect(out.do_lower_case!.dtype).to.equal('bool');
          expect(Array.from(out.do_lower_case!.data as Uint8Array)).to.deep.equal([doLowerCase ? 1 : 0]);
        } finally {
          exec.dispose();
        }
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
