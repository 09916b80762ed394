import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SIGNATURE_FILES_KEY } from '@modelport/core';
import exporterTfjs from '@modelport/exporter-tfjs';
import exporterTflite from '@modelport/exporter-tflite';
import moduleClassification from '@modelport/module-classification';
import { moduleSignaturePlugins, runPipeline, smallImageClassifier, tinyDenseGraph, withTempRepository } from '@modelport/testing';
import { exporterTfhub } from '../src/index.js';

/** The error a run throws, or a failure when it succeeds. */
async function failure(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (e) {
    return e as Error;
  }
  throw new Error('the export succeeded, an error was expected');
}

describe('exporter-tfhub: options, assets and errors', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tfhub-options-')); });
  after(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('carries vocab.txt and do_lower_case beside the tfjs model and in its metadata, and says so in the card', async () => {
    const vocab = path.join(dir, 'vocab.txt');
    await fs.writeFile(vocab, '[PAD]\n[UNK]\nhello\nworld\n');
    const run = await runPipeline({
      graph: tinyDenseGraph(), plugins: [exporterTfjs, exporterTfhub], targets: ['tfhub'],
      options: { targetOptions: { tfhub: { variants: ['tfjs'], vocab, doLowerCase: true, task: 'text-embedding', language: 'en' } } },
    });
    expect(await run.read('tfhub/tfjs/vocab.txt')).to.equal('[PAD]\n[UNK]\nhello\nworld\n');
    const json = JSON.parse(await run.read('tfhub/tfjs/model.json'));
    expect(json.userDefinedMetadata.tokenization).to.deep.equal({ vocab_file: 'vocab.txt', do_lower_case: true });
    const card = await run.read('tfhub/README.md');
    expect(card).to.include('the 4-token vocabulary');
    expect(card).to.include('do_lower_case = True');
    expect(card).to.include('<!-- task: text-embedding -->');
    expect(card).to.include('<!-- language: en -->');
    expect(run.artifact('tfhub').files).to.include.members(['tfhub/tfjs/vocab.txt']);
    // The export's own metadata is untouched for other targets: only the package's variants carry tokenization.
    expect(run.summary.manifest.options).not.to.have.nested.property('metadata.tokenization');
  });

  it('infers do_lower_case from an uncased vocabulary\'s path when the option is not given, as the Model Garden does', async () => {
    for (const [folder, expected] of [['uncased_L-2_H-128', true], ['cased_L-2_H-128', false]] as const) {
      const vocab = path.join(dir, folder, 'vocab.txt');
      await fs.mkdir(path.dirname(vocab), { recursive: true });
      await fs.writeFile(vocab, 'hello\n');
      const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [exporterTfjs, exporterTfhub], targets: ['tfhub'], options: { targetOptions: { tfhub: { variants: ['tfjs'], vocab } } } });
      expect(JSON.parse(await run.read('tfhub/tfjs/model.json')).userDefinedMetadata.tokenization, folder).to.deep.equal({ vocab_file: 'vocab.txt', do_lower_case: expected });
    }
  });

  it('takes labels from a file over the module\'s, and names the handle, assetUrl and description as given', async () => {
    const labels = path.join(dir, 'labels.txt');
    await fs.writeFile(labels, 'red\r\ngreen\r\nblue\r\ncyan\r\nmagenta\r\n');
    const run = await runPipeline({
      graph: smallImageClassifier(), plugins: [...moduleSignaturePlugins, exporterTfjs, exporterTfhub], targets: ['tfhub'],
      options: {
        signatures: { classify: ['pixels', 'classes'] }, moduleOptions: { pixels: { height: 8, width: 8 } },
        targetOptions: { tfhub: { variants: ['tfjs'], labels, publisher: 'acme', modelName: 'colours', assetUrl: 'https://storage.example.com/colours/', description: 'Names the colour of a photo.', dataset: 'colour-swatches', networkArchitecture: 'convnet' } },
      },
    });
    expect(await run.read('tfhub/tfjs/labels.txt')).to.equal('red\ngreen\nblue\ncyan\nmagenta\n');
    const card = (await run.read('tfhub/README.md')).split('\n');
    expect(card.slice(0, 3)).to.deep.equal(['# Placeholder acme/colours/1', '', 'Names the colour of a photo.']);
    expect(card).to.include.members(['<!-- dataset: colour-swatches -->', '<!-- network-architecture: convnet -->']);
    const tfjsEntry = (await run.read('tfhub/docs/acme/models/colours/tfjs/1.md')).split('\n');
    expect(tfjsEntry).to.include.members(['<!-- asset-path: https://storage.example.com/colours/tfjs.tar.gz -->', '<!-- parent-model: acme/colours/1 -->']);
    // The per-signature tfjs file still holds the module's own labels: the package's labels.txt is the one the option named.
    const json = JSON.parse(await run.read('tfhub/tfjs/model.json'));
    expect(json.userDefinedMetadata[SIGNATURE_FILES_KEY].classify.moduleMetadata.classes.labels).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
  });

  it('writes the classification module\'s labels from its labelOffset on, so that line i names class i', async () => {
    const run = await runPipeline({
      graph: smallImageClassifier(), plugins: [moduleSignaturePlugins[0], moduleClassification, exporterTfjs, exporterTfhub], targets: ['tfhub'],
      options: {
        signatures: { classify: ['pixels', 'classification'] },
        moduleOptions: { pixels: { height: 8, width: 8 }, classification: { labels: ['background', 'red', 'green', 'blue', 'cyan', 'magenta'], labelOffset: 1, topK: 2 } },
        targetOptions: { tfhub: { variants: ['tfjs'] } },
      },
    });
    expect(run.graph.signatures.classify!.moduleMetadata!.classification).to.deep.include({ labelOffset: 1 });
    expect(await run.read('tfhub/tfjs/labels.txt')).to.equal('red\ngreen\nblue\ncyan\nmagenta\n');
    expect(await run.read('tfhub/README.md')).to.include('<!-- task: image-classification -->');
  });

  it('refuses a variant no applied plugin writes, naming the target and the plugin to install, and writes no version', async () => {
    await withTempRepository(async (out) => {
      const e = await failure(runPipeline({ graph: tinyDenseGraph(), plugins: [exporterTfjs, exporterTfhub], targets: ['tfhub'], out, options: { targetOptions: { tfhub: { tflite: true } } } }));
      expect(e.message).to.include('"savedmodel" (install and enable @modelport/exporter-savedmodel)');
      expect(e.message).to.include('"tflite" (install and enable @modelport/exporter-tflite)');
      expect(e.message).to.include('@modelport/exporter-tfhub');
      expect(await fs.readdir(path.join(out, 'model')).catch(() => [])).to.deep.equal([]);
    });
  });

  it('refuses do_lower_case without a vocabulary, and an unreadable labels file, naming the option', async () => {
    const lower = await failure(runPipeline({ graph: tinyDenseGraph(), plugins: [exporterTfjs, exporterTfhub], targets: ['tfhub'], options: { targetOptions: { tfhub: { variants: ['tfjs'], doLowerCase: false } } } }));
    expect(lower.message).to.include('targetOptions.tfhub.doLowerCase is set without targetOptions.tfhub.vocab');
    const missing = path.join(dir, 'no-such-labels.txt');
    const labels = await failure(runPipeline({ graph: tinyDenseGraph(), plugins: [exporterTfjs, exporterTfhub], targets: ['tfhub'], options: { targetOptions: { tfhub: { variants: ['tfjs'], labels: missing } } } }));
    expect(labels.message).to.include(`targetOptions.tfhub.labels: cannot read "${missing}" (ENOENT)`);
  });

  it('refuses a task outside tfhub.dev\'s domains, a license it does not know and an unknown option, naming the option', async () => {
    const task = await failure(runPipeline({ graph: tinyDenseGraph(), plugins: [exporterTfjs, exporterTfhub], targets: ['tfhub'], options: { targetOptions: { tfhub: { variants: ['tfjs'], task: 'classification' } } } }));
    expect(task.message).to.match(/targetOptions\.tfhub.*task/);
    const license = await failure(runPipeline({ graph: tinyDenseGraph(), plugins: [exporterTfjs, exporterTfhub], targets: ['tfhub'], options: { targetOptions: { tfhub: { variants: ['tfjs'], license: 'Apache 2' } } } }));
    expect(license.message).to.match(/targetOptions\.tfhub.*license/);
    const unknown = await failure(runPipeline({ graph: tinyDenseGraph(), plugins: [exporterTfjs, exporterTflite, exporterTfhub], targets: ['tfhub'], options: { targetOptions: { tfhub: { variants: ['tfjs'], lite: true } } } }));
    expect(unknown.message).to.match(/targetOptions\.tfhub.*lite/);
  });
});
